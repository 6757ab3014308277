/**
 * CI/CD pipeline of the prestamos monorepo (Django backend, React frontend, Kubernetes).
 *
 * `dagger call ci` runs the whole gate: lint, tests (Django on PostgreSQL + frontend unit
 * tests) and both image builds, concurrently; with registry credentials it publishes
 * the images, and it always ends with a run summary. Every command run inside a
 * container comes from ci/src/commands.ts, the same definitions the native scripts use.
 */
import {
  argument,
  type BuildArg,
  Container,
  dag,
  Directory,
  func,
  object,
  ReturnType,
  Secret,
  Service,
} from "@dagger.io/dagger";

import {
  backendTestCommands,
  type CommandSpec,
  frontendLintCommands,
  frontendTestCommands,
  pythonLintCommands,
  rootTypecheckCommands,
} from "./commands";
import { NODE_IMAGE, POSTGRES_IMAGE, PYTHON_IMAGE } from "./images";
import { sendSlack } from "./notify";
import { planCi } from "./plan";
import { allPassed, runStep, skipped, type StepResult } from "./steps";
import { formatSummary, slackPayload, type RunMeta } from "./summary";
import { imageReference, imageTags, parseReferenceWithDigest, registryHost, shortSha } from "./tags";
import { validateCiArgs, validatePublishArgs, validateSha, validateVersion } from "./validate";

/** Where the repository is mounted inside the pipeline's containers. */
const SRC = "/src";
/** Where JUnit XML and coverage reports are written inside the test containers. */
const REPORTS = "/reports";
/** Throwaway credentials of the throwaway test database (lives only inside the engine). */
const TEST_DB = { user: "postgres", password: "postgres", name: "prestamos" } as const;
/** Hostname of the PostgreSQL service as seen from the backend test container. */
const DB_HOST = "db";

/** Exit status of one command. */
interface CommandResult {
  readonly name: string;
  readonly exitCode: number;
}

/** Reports plus the exit status of every test command. */
interface TestRun {
  readonly reports: Directory;
  readonly results: readonly CommandResult[];
}

function failures(results: readonly CommandResult[]): string {
  return results
    .filter((r) => r.exitCode !== 0)
    .map((r) => `${r.name} (exit ${r.exitCode})`)
    .join(", ");
}

/** Sets a command's working directory and environment on a container. */
function prepare(ctr: Container, spec: CommandSpec): Container {
  let out = ctr.withWorkdir(spec.cwd === "." ? SRC : `${SRC}/${spec.cwd}`);
  for (const [name, value] of Object.entries(spec.env ?? {})) out = out.withEnvVariable(name, value);
  return out;
}

/** Runs each command as its own branch of `base`, all concurrently; never throws on exit codes. */
async function runIndependent(base: Container, specs: readonly CommandSpec[]): Promise<CommandResult[]> {
  return Promise.all(
    specs.map(async (spec) => {
      const exitCode = await prepare(base, spec)
        .withExec([...spec.argv], { expect: ReturnType.Any })
        .exitCode();
      return { name: spec.name, exitCode };
    }),
  );
}

/**
 * Runs commands one after the other in the same container (later ones see earlier
 * outputs, e.g. coverage data) and keeps going after a failure so every report is
 * written. Returns the final container and each exit status.
 */
async function runSequence(
  base: Container,
  specs: readonly CommandSpec[],
): Promise<{ container: Container; results: CommandResult[] }> {
  let container = base;
  const results: CommandResult[] = [];
  for (const spec of specs) {
    container = prepare(container, spec).withExec([...spec.argv], { expect: ReturnType.Any });
    results.push({ name: spec.name, exitCode: await container.exitCode() });
  }
  return { container, results };
}

/** The pipeline of the prestamos monorepo. */
@object()
export class Prestamos {
  /** The repository (by default the git root, without dependencies, caches and secrets). */
  source: Directory;

  /**
   * @param source The repository root. Defaults to the git repository this module lives in,
   *   without node_modules, virtualenvs, build outputs, reports, local databases and .env.
   */
  constructor(
    @argument({
      defaultPath: "/",
      ignore: [
        "**/node_modules",
        ".venv",
        ".git",
        "**/dist",
        "reports",
        "**/__pycache__",
        "ci/sdk",
        "**/*.sqlite3",
        ".env",
      ],
    })
    source: Directory,
  ) {
    this.source = source;
  }

  /** Python with the backend's pinned dev requirements installed (pip cache volume). */
  private python(): Container {
    return dag
      .container()
      .from(PYTHON_IMAGE)
      .withEnvVariable("PIP_DISABLE_PIP_VERSION_CHECK", "1")
      .withEnvVariable("PYTHONDONTWRITEBYTECODE", "1")
      .withEnvVariable("PYTHONUNBUFFERED", "1")
      .withMountedCache("/root/.cache/pip", dag.cacheVolume("prestamos-pip"))
      .withWorkdir(SRC)
      .withFile(`${SRC}/backend/requirements.txt`, this.source.file("backend/requirements.txt"))
      .withFile(`${SRC}/backend/requirements-dev.txt`, this.source.file("backend/requirements-dev.txt"))
      .withExec(["pip", "install", "-r", "backend/requirements-dev.txt"])
      .withDirectory(SRC, this.source);
  }

  /** Node with the root workspace (root + frontend) installed by `npm ci` (npm cache volume). */
  private node(): Container {
    return dag
      .container()
      .from(NODE_IMAGE)
      .withEnvVariable("CI", "true")
      .withMountedCache("/root/.npm", dag.cacheVolume("prestamos-npm"))
      .withWorkdir(SRC)
      .withDirectory(SRC, this.source, { include: ["package.json", "package-lock.json", "**/package.json"] })
      .withExec(["npm", "ci", "--no-audit", "--no-fund"])
      .withDirectory(SRC, this.source);
  }

  /** PostgreSQL for the Django tests, ready when pg_isready answers. */
  private postgres(): Service {
    return dag
      .container()
      .from(POSTGRES_IMAGE)
      .withEnvVariable("POSTGRES_USER", TEST_DB.user)
      .withEnvVariable("POSTGRES_PASSWORD", TEST_DB.password)
      .withEnvVariable("POSTGRES_DB", TEST_DB.name)
      .withExposedPort(5432)
      .withDockerHealthcheck(["pg_isready", "-U", TEST_DB.user, "-d", TEST_DB.name], {
        interval: "2s",
        timeout: "5s",
        retries: 30,
      })
      .asService({ useEntrypoint: true });
  }

  /** Runs both test suites concurrently and gathers their reports. */
  private async runTests(): Promise<TestRun> {
    const backendBase = this.python()
      .withServiceBinding(DB_HOST, this.postgres())
      .withEnvVariable(
        "DATABASE_URL",
        `postgres://${TEST_DB.user}:${TEST_DB.password}@${DB_HOST}:5432/${TEST_DB.name}`,
      )
      .withDirectory(REPORTS, dag.directory());
    const frontendBase = this.node().withDirectory(REPORTS, dag.directory());

    const [backend, frontend] = await Promise.all([
      runSequence(backendBase, backendTestCommands(REPORTS, "postgres")),
      runSequence(frontendBase, frontendTestCommands(REPORTS)),
    ]);
    const results = [...backend.results, ...frontend.results];
    const status = { passed: results.every((r) => r.exitCode === 0), commands: results };
    const reports = dag
      .directory()
      .withDirectory(".", backend.container.directory(REPORTS))
      .withDirectory(".", frontend.container.directory(REPORTS))
      .withNewFile("status.json", `${JSON.stringify(status, null, 2)}\n`);
    return { reports, results };
  }

  /**
   * Static checks of all the code, concurrently: ruff (lint + format) on the backend,
   * ESLint and tsc on the frontend, tsc on the root (pipeline, scripts, tests).
   * Returns one line per check; fails when any check fails.
   */
  @func()
  async lint(): Promise<string> {
    const [python, frontend, root] = await Promise.all([
      runIndependent(this.python(), pythonLintCommands()),
      runIndependent(this.node(), frontendLintCommands()),
      runIndependent(this.node(), rootTypecheckCommands()),
    ]);
    const results = [...python, ...frontend, ...root];
    const report = results.map((r) => `${r.name}: ${r.exitCode === 0 ? "passed" : `failed (exit ${r.exitCode})`}`);
    if (results.some((r) => r.exitCode !== 0)) throw new Error(`lint failed: ${failures(results)}`);
    return report.join("\n");
  }

  /**
   * Django tests against PostgreSQL (with coverage) and the frontend unit tests, run
   * concurrently. Returns the reports directory (JUnit XML, coverage, status.json);
   * fails when any test command fails. To get the reports of a failing run, use
   * `test-reports`, which never fails because of test results.
   */
  @func()
  async test(): Promise<Directory> {
    const run = await this.runTests();
    if (run.results.some((r) => r.exitCode !== 0)) throw new Error(`tests failed: ${failures(run.results)}`);
    return run.reports;
  }

  /**
   * The same tests as `test`, but returns the reports directory even when tests fail
   * (status.json holds every exit code). Example: dagger call test-reports -o reports/
   */
  @func()
  async testReports(): Promise<Directory> {
    return (await this.runTests()).reports;
  }

  /** Builds an image from a repo-root Dockerfile, labelled with the commit and version. */
  private image(dockerfile: string, title: string, sha?: string, version?: string): Container {
    const commit = sha ? validateSha(sha) : undefined;
    const label = version ? validateVersion(version) : commit ? shortSha(commit) : undefined;
    const buildArgs: BuildArg[] = [];
    if (commit) buildArgs.push({ name: "VCS_REF", value: commit });
    if (label) buildArgs.push({ name: "VERSION", value: label });
    let ctr = this.source
      .dockerBuild({ dockerfile, buildArgs })
      .withLabel("org.opencontainers.image.title", title);
    if (commit) ctr = ctr.withLabel("org.opencontainers.image.revision", commit);
    if (label) ctr = ctr.withLabel("org.opencontainers.image.version", label);
    return ctr;
  }

  /**
   * The backend image, built from backend.Dockerfile at the repository root.
   *
   * @param sha Commit SHA, recorded as org.opencontainers.image.revision (and build arg VCS_REF).
   * @param version Version label (org.opencontainers.image.version, build arg VERSION);
   *   defaults to the short SHA when a SHA is given.
   */
  @func()
  backend(sha?: string, version?: string): Container {
    return this.image("backend.Dockerfile", "prestamos-backend", sha, version);
  }

  /**
   * The frontend image (nginx serving the built SPA), built from frontend.Dockerfile at the
   * repository root.
   *
   * @param sha Commit SHA, recorded as org.opencontainers.image.revision (and build arg VCS_REF).
   * @param version Version label (org.opencontainers.image.version, build arg VERSION);
   *   defaults to the short SHA when a SHA is given.
   */
  @func()
  frontend(sha?: string, version?: string): Container {
    return this.image("frontend.Dockerfile", "prestamos-frontend", sha, version);
  }

  /**
   * Builds and pushes both images as <registry>/backend and <registry>/frontend, tagged
   * <short-sha> and <branch>-<short-sha> (never latest). Returns the references with digests.
   *
   * @param registry Repository prefix without scheme or tag, e.g. ghcr.io/org/prestamos or
   *   123456789012.dkr.ecr.us-east-1.amazonaws.com/prestamos
   * @param registryUsername Registry user (GHCR: the GitHub user; ECR: AWS).
   * @param registryPassword Registry password or token, e.g. env://REGISTRY_PASSWORD or
   *   cmd://"aws ecr get-login-password --region us-east-1"
   * @param sha Commit SHA the images are built from (tags use its first 7 characters).
   * @param branch Branch name, sanitised into the <branch>-<short-sha> tag.
   * @param version Version label; defaults to the short SHA.
   */
  @func({ cache: "never" })
  async publish(
    registry: string,
    registryUsername: string,
    registryPassword: Secret,
    sha: string,
    branch: string,
    version?: string,
  ): Promise<string[]> {
    const args = validatePublishArgs({
      registry,
      username: registryUsername,
      hasPassword: Boolean(registryPassword),
      sha,
      branch,
    });
    const tags = imageTags(args.sha, args.branch);
    const host = registryHost(args.registry);
    const images: Array<[string, Container]> = [
      [`${args.registry}/backend`, this.backend(args.sha, version)],
      [`${args.registry}/frontend`, this.frontend(args.sha, version)],
    ];
    const refs = await Promise.all(
      images.flatMap(([repository, image]) => {
        const authed = image.withRegistryAuth(host, args.username, registryPassword);
        return tags.map((tag) => authed.publish(imageReference(repository, tag)));
      }),
    );
    for (const ref of refs) parseReferenceWithDigest(ref);
    return refs;
  }

  /**
   * The whole gate: lint, tests and both image builds concurrently; then publish (only with
   * registry credentials, only when the gate passed); deploy is decided by the branch
   * (dev → challenge-dev, main → challenge-prd) but not implemented yet. Prints and returns a
   * run summary (step, status, duration, digests), posts it to Slack when a webhook is given,
   * and fails when any step failed. With no arguments: lint, tests and builds.
   *
   * @param branch Branch being built (CI: $GITHUB_REF_NAME / $CI_COMMIT_REF_NAME). Selects
   *   the environment and the <branch>-<short-sha> tag.
   * @param sha Commit SHA (CI: $GITHUB_SHA / $CI_COMMIT_SHA); labels and tags the images.
   * @param version Version label for the images; defaults to the short SHA.
   * @param registry Where to publish, e.g. ghcr.io/org/prestamos. Needs the two credentials below.
   * @param registryUsername Registry user.
   * @param registryPassword Registry password or token, e.g. env://REGISTRY_PASSWORD.
   * @param kubeconfig Kubeconfig of the target cluster (only on dev or main), e.g.
   *   env://KUBECONFIG_CONTENT. Deploy is not implemented yet: the step reports skipped.
   * @param slackWebhook Slack incoming-webhook URL, e.g. env://SLACK_WEBHOOK_URL; read only
   *   when the message is sent.
   */
  @func({ cache: "never" })
  async ci(
    branch?: string,
    sha?: string,
    version?: string,
    registry?: string,
    registryUsername?: string,
    registryPassword?: Secret,
    kubeconfig?: Secret,
    slackWebhook?: Secret,
  ): Promise<string> {
    const args = validateCiArgs({
      branch,
      sha,
      version,
      registry,
      registryUsername,
      hasRegistryPassword: Boolean(registryPassword),
      hasKubeconfig: Boolean(kubeconfig),
      hasSlackWebhook: Boolean(slackWebhook),
    });
    const plan = planCi(args);

    const gate = await Promise.all([
      runStep("lint", async () => {
        await this.lint();
      }),
      runStep("test", async () => {
        await this.test();
      }),
      runStep("build-backend", async () => {
        await this.backend(args.sha, args.version).sync();
      }),
      runStep("build-frontend", async () => {
        await this.frontend(args.sha, args.version).sync();
      }),
    ]);
    const results: StepResult[] = [...gate];

    for (const step of plan.steps) {
      if (step.name === "publish") {
        if (!step.run) results.push(skipped("publish", step.skipReason ?? "not requested"));
        else if (!allPassed(gate)) results.push(skipped("publish", "gate failed"));
        else {
          const target = args.publish;
          const password = registryPassword;
          results.push(
            await runStep("publish", async () => {
              if (!target || !password || !args.sha || !args.branch) throw new Error("publish planned without its arguments");
              return {
                digests: await this.publish(target.registry, target.username, password, args.sha, args.branch, args.version),
              };
            }),
          );
        }
      } else if (step.name === "deploy") {
        results.push(skipped("deploy", step.skipReason ?? "not requested"));
      }
    }

    const meta: RunMeta = { branch: args.branch, sha: args.sha, environment: plan.environment };
    let summary = formatSummary(results, meta);
    if (slackWebhook) {
      let line: string;
      try {
        // The only plaintext read of the module, at send time, never logged.
        const url = await slackWebhook.plaintext();
        line = (await sendSlack(url, slackPayload(results, meta))).detail;
      } catch {
        line = "slack: not sent (could not read the webhook secret)";
      }
      summary = `${summary}\n${line}`;
    }
    console.log(summary);
    if (!allPassed(results)) throw new Error(summary);
    return summary;
  }
}
