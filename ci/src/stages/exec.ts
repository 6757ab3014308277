/**
 * Running CommandSpecs (ci/src/commands.ts) in containers, in the two ways the pipeline
 * needs: as gate commands (the default expectation: a non-zero exit fails the step, is never
 * cached as a success, and `dagger call -i` opens a terminal in the failing container) and,
 * for `test-reports` only, tolerating failures so the reports survive.
 */
import { type Container, ExecError, ReturnType } from "@dagger.io/dagger";
import type { CommandSpec } from "../commands";

/** Where the repository is mounted inside the pipeline's containers. */
export const SRC = "/src";

/** Exit status of one command. */
export interface CommandResult {
  readonly name: string;
  readonly exitCode: number;
}

/** Sets a command's working directory and environment on a container. */
export function prepare(ctr: Container, spec: CommandSpec): Container {
  let out = ctr.withWorkdir(spec.cwd === "." ? SRC : `${SRC}/${spec.cwd}`);
  for (const [name, value] of Object.entries(spec.env ?? {})) out = out.withEnvVariable(name, value);
  return out;
}

/** The commands one after the other in one container, each with the default expectation (success). */
export function withCommands(base: Container, specs: readonly CommandSpec[]): Container {
  return specs.reduce((ctr, spec) => prepare(ctr, spec).withExec([...spec.argv]), base);
}

/** Names the command an ExecError came from; rethrows anything that is not a command failure. */
function failureOf(error: unknown, specs: readonly CommandSpec[]): CommandResult {
  if (!(error instanceof ExecError)) throw error;
  const argv = JSON.stringify(error.cmd);
  const spec = specs.find((s) => JSON.stringify(s.argv) === argv);
  return { name: spec?.name ?? error.cmd.join(" "), exitCode: error.exitCode };
}

/** "eslint (exit 1), vitest (k8s) (exit 2)" */
export function describeFailures(results: readonly CommandResult[]): string {
  return results.map((r) => `${r.name} (exit ${r.exitCode})`).join(", ");
}

/**
 * Evaluates independent command chains concurrently. Returns the failed commands (empty when
 * all passed); engine errors other than a command's exit status are rethrown.
 */
export async function runChains(
  chains: ReadonlyArray<{ container: Container; specs: readonly CommandSpec[] }>,
): Promise<CommandResult[]> {
  const settled = await Promise.allSettled(chains.map((chain) => chain.container.sync()));
  return settled.flatMap((outcome, i) =>
    outcome.status === "fulfilled" ? [] : [failureOf(outcome.reason, chains[i]?.specs ?? [])],
  );
}

/**
 * For reports that must exist whatever the outcome: runs the commands in order, keeps going
 * after a failure (expect ANY) and records every exit status. `runId` goes into the
 * container first so a failure is never replayed from the cache on the next run.
 */
export async function runTolerant(
  base: Container,
  specs: readonly CommandSpec[],
  runId: string,
): Promise<{ container: Container; results: CommandResult[] }> {
  let container = base.withEnvVariable("PRESTAMOS_RUN_ID", runId);
  const results: CommandResult[] = [];
  for (const spec of specs) {
    container = prepare(container, spec).withExec([...spec.argv], { expect: ReturnType.Any });
    results.push({ name: spec.name, exitCode: await container.exitCode() });
  }
  return { container, results };
}
