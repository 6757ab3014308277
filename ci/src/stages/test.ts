/**
 * The test stage: Django's tests on PostgreSQL with coverage, Django's deploy and migration
 * checks, the frontend unit tests, and every root vitest project (ci, k8s, platform, docs),
 * each suite in its own container, all concurrently. JUnit XML and coverage land in one
 * reports directory.
 */
import { type Container, dag, type Directory } from "@dagger.io/dagger";
import { randomUUID } from "node:crypto";
import {
  backendTestCommands,
  type CommandSpec,
  djangoCheckCommands,
  frontendTestCommands,
  junitReportFiles,
  ROOT_TEST_PROJECTS,
  rootTestCommand,
} from "../commands";
import { type CommandResult, describeFailures, runChains, runTolerant, withCommands } from "./exec";
import { DATABASE_URL, DB_HOST, node, postgres, python, rootTests } from "./toolchains";

/** Where JUnit XML and coverage reports are written inside the test containers. */
export const REPORTS = "/reports";

interface Suite {
  readonly base: Container;
  readonly specs: readonly CommandSpec[];
  /** Whether the suite writes into REPORTS. */
  readonly reports: boolean;
}

function suites(source: Directory): Suite[] {
  const withReports = (ctr: Container) => ctr.withDirectory(REPORTS, dag.directory());
  const backend = python(source).withServiceBinding(DB_HOST, postgres()).withEnvVariable("DATABASE_URL", DATABASE_URL);
  const root = withReports(rootTests(source));
  return [
    { base: withReports(backend), specs: backendTestCommands(REPORTS, "postgres"), reports: true },
    { base: python(source), specs: djangoCheckCommands(), reports: false },
    { base: withReports(node(source)), specs: frontendTestCommands(REPORTS), reports: true },
    ...ROOT_TEST_PROJECTS.map((project): Suite => ({
      base: root,
      specs: [rootTestCommand(project, REPORTS)],
      reports: true,
    })),
  ];
}

/** The JUnit XML files of the reports directory `test` returns (the release record counts tests from them). */
export function junitReports(): string[] {
  const specs = [
    ...backendTestCommands(REPORTS, "postgres"),
    ...frontendTestCommands(REPORTS),
    ...ROOT_TEST_PROJECTS.map((p) => rootTestCommand(p, REPORTS)),
  ];
  return junitReportFiles(specs, REPORTS);
}

function mergeReports(containers: readonly Container[], status?: unknown): Directory {
  let reports = dag.directory();
  for (const ctr of containers) reports = reports.withDirectory(".", ctr.directory(REPORTS));
  return status === undefined ? reports : reports.withNewFile("status.json", `${JSON.stringify(status, null, 2)}\n`);
}

/** Runs every suite; throws naming each failed command, else returns the reports. */
export async function test(source: Directory): Promise<Directory> {
  const chains = suites(source).map((suite) => ({
    suite,
    container: withCommands(suite.base, suite.specs),
    specs: suite.specs,
  }));
  const failed = await runChains(chains);
  if (failed.length > 0) throw new Error(`tests failed: ${describeFailures(failed)}`);
  return mergeReports(chains.filter((c) => c.suite.reports).map((c) => c.container));
}

/**
 * The same suites, returning the reports even when tests fail: every command runs (later
 * ones after a failure too) and status.json holds each exit status. Never cached across
 * runs, so a flaky failure is not replayed.
 */
export async function testReports(source: Directory): Promise<Directory> {
  const runId = randomUUID();
  const runs = await Promise.all(
    suites(source).map(async (suite) => ({ suite, ...(await runTolerant(suite.base, suite.specs, runId)) })),
  );
  const commands: CommandResult[] = runs.flatMap((r) => r.results);
  const status = { passed: commands.every((r) => r.exitCode === 0), commands };
  return mergeReports(
    runs.filter((r) => r.suite.reports).map((r) => r.container),
    status,
  );
}
