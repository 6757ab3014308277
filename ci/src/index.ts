/**
 * CI/CD pipeline of the prestamos monorepo (Django backend, React frontend, Kubernetes).
 *
 * `dagger call ci` runs the whole gate concurrently (lint, tests, both image builds, the
 * manifests checks, Trivy's scan and the images' smoke test); with registry credentials it
 * then publishes the images, and it ends with a run summary. Each stage's engine calls live
 * in ci/src/stages/; every command run in a container comes from ci/src/commands.ts, the
 * same definitions the native scripts run.
 */
import { argument, type Container, type Directory, func, object, type Secret } from "@dagger.io/dagger";

import { sendSlack } from "./notify";
import { GATE_STEPS, type GateStep, planCi } from "./plan";
import { buildImage } from "./stages/build";
import { lint } from "./stages/lint";
import { manifests } from "./stages/manifests";
import { publish } from "./stages/publish";
import { scanConfig } from "./stages/scan-config";
import { smoke } from "./stages/smoke";
import { test, testReports } from "./stages/test";
import { allPassed, runConcurrently, runStep, skipped, type StepOutput, type StepResult } from "./steps";
import { formatSummary, slackPayload, type RunMeta } from "./summary";
import { validateCiArgs, validateImageLabels, validatePublishArgs } from "./validate";

/** The pipeline of the prestamos monorepo. */
@object()
export class Prestamos {
  /** The repository (by default the git root, without dependencies, caches and secrets). */
  source: Directory;

  /**
   * @param source The repository root. Defaults to the git repository this module lives in,
   *   without node_modules, virtualenvs, tool caches, build outputs, reports, local databases and .env.
   */
  constructor(
    @argument({
      defaultPath: "/",
      ignore: [
        "**/node_modules",
        ".venv",
        ".git",
        ".cache",
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

  /**
   * Static checks, concurrently: ruff (lint + format) on the backend, ESLint and tsc on the
   * frontend, tsc on the root and on this module. Returns one line per check; fails naming
   * every failed check (`dagger call -i lint` opens a terminal in the failing container).
   */
  @func()
  async lint(): Promise<string> {
    return lint(this.source);
  }

  /**
   * The test suites, concurrently: Django on PostgreSQL with coverage (≥ 90 %), Django's
   * deploy and migration checks, the frontend unit tests, and the root vitest projects ci,
   * k8s, platform and docs. Returns the reports (JUnit XML, coverage); fails naming every
   * failed command (`dagger call -i test` opens a terminal in the failing container).
   */
  @func()
  async test(): Promise<Directory> {
    return test(this.source);
  }

  /**
   * The same suites as `test`, returning the reports even when tests fail (status.json holds
   * every exit code). Runs afresh every time. Example: dagger call test-reports -o reports/
   */
  @func()
  async testReports(): Promise<Directory> {
    return testReports(this.source);
  }

  /**
   * The backend image (backend.Dockerfile at the repository root).
   *
   * @param sha Commit SHA: org.opencontainers.image.revision.
   * @param version org.opencontainers.image.version; defaults to the short SHA.
   * @param sourceUrl Repository URL: org.opencontainers.image.source.
   * @param buildDate RFC 3339 timestamp: org.opencontainers.image.created.
   */
  @func()
  backend(sha?: string, version?: string, sourceUrl?: string, buildDate?: string): Container {
    return buildImage(this.source, "backend", validateImageLabels({ sha, version, sourceUrl, buildDate }));
  }

  /**
   * The frontend image (frontend.Dockerfile: nginx serving the built SPA).
   *
   * @param sha Commit SHA: org.opencontainers.image.revision.
   * @param version org.opencontainers.image.version; defaults to the short SHA.
   * @param sourceUrl Repository URL: org.opencontainers.image.source.
   * @param buildDate RFC 3339 timestamp: org.opencontainers.image.created.
   */
  @func()
  frontend(sha?: string, version?: string, sourceUrl?: string, buildDate?: string): Container {
    return buildImage(this.source, "frontend", validateImageLabels({ sha, version, sourceUrl, buildDate }));
  }

  /**
   * Both kustomize overlays rendered (pinned kubectl 1.32.4), validated against the
   * Kubernetes schemas and our policy. Returns dev.yaml, prod.yaml and report.txt; fails
   * listing every schema error and policy finding. Example: dagger call manifests -o rendered/
   */
  @func()
  async manifests(): Promise<Directory> {
    return manifests(this.source);
  }

  /**
   * Trivy's misconfiguration scan (pinned aquasec/trivy) of both rendered overlays and both
   * Dockerfiles. Returns Trivy's table; fails on any finding not listed in .trivyignore.
   */
  @func()
  async scanConfig(): Promise<string> {
    return scanConfig(this.source);
  }

  /**
   * The images run together: PostgreSQL, the backend image's migrations, the backend and
   * the frontend as services; then HTTP checks through nginx (SPA index, /healthz, loan
   * rules, creating a loan). Returns the checks' output; fails when one fails.
   */
  @func()
  async smoke(): Promise<string> {
    return smoke(this.source, this.backend(), this.frontend());
  }

  /**
   * Builds and pushes both images as <registry>/backend and <registry>/frontend, tagged
   * <short-sha> and <branch>-<short-sha> (never latest). Returns the references with digests.
   *
   * @param registry Repository prefix without scheme or tag, e.g. ghcr.io/org/prestamos
   * @param registryUsername Registry user (GHCR: the GitHub user; ECR: AWS).
   * @param registryPassword Registry password or token, e.g. env://REGISTRY_PASSWORD
   * @param sha Commit SHA the images are built from (tags use its first 7 characters).
   * @param branch Branch name, sanitised into the <branch>-<short-sha> tag.
   * @param sourceUrl Repository URL (org.opencontainers.image.source), e.g. https://github.com/org/prestamos
   * @param buildDate RFC 3339 timestamp (org.opencontainers.image.created), e.g. the commit's.
   * @param version Version label; defaults to the short SHA.
   */
  @func({ cache: "never" })
  async publish(
    registry: string,
    registryUsername: string,
    registryPassword: Secret,
    sha: string,
    branch: string,
    sourceUrl: string,
    buildDate: string,
    version?: string,
  ): Promise<string[]> {
    const args = validatePublishArgs({ registry, username: registryUsername, hasPassword: Boolean(registryPassword), sha, branch, sourceUrl, buildDate });
    const image = validateImageLabels({ sha: args.sha, version, sourceUrl: args.sourceUrl, buildDate: args.buildDate });
    return publish(
      { registry: args.registry, username: args.username, password: registryPassword, sha: args.sha, branch: args.branch },
      { backend: buildImage(this.source, "backend", image), frontend: buildImage(this.source, "frontend", image) },
    );
  }

  /**
   * The whole gate, concurrently: lint, test, build-backend, build-frontend, manifests,
   * scan-config and smoke; then publish (only with registry credentials, only when the gate
   * passed); deploy is decided by the branch (dev → development/challenge-dev, main →
   * production/challenge-prd) but not implemented yet. Returns the run summary (status and
   * duration per step, the gate's critical path, digests), posts it to Slack when a webhook
   * is given, and fails with the summary as its error when a step failed.
   *
   * @param branch Branch being built (CI: $GITHUB_REF_NAME / $CI_COMMIT_REF_NAME).
   * @param sha Commit SHA (CI: $GITHUB_SHA / $CI_COMMIT_SHA); labels and tags the images.
   * @param version Version label for the images; defaults to the short SHA.
   * @param sourceUrl Repository URL for the images' source label; required to publish.
   * @param buildDate RFC 3339 timestamp for the images' created label; required to publish.
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
    sourceUrl?: string,
    buildDate?: string,
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
      sourceUrl,
      buildDate,
      registry,
      registryUsername,
      hasRegistryPassword: Boolean(registryPassword),
      hasKubeconfig: Boolean(kubeconfig),
      hasSlackWebhook: Boolean(slackWebhook),
    });
    const plan = planCi(args);
    const image = validateImageLabels(args);
    const backend = buildImage(this.source, "backend", image);
    const frontend = buildImage(this.source, "frontend", image);

    const bodies: Record<GateStep, () => Promise<StepOutput | void>> = {
      lint: async () => {
        await lint(this.source);
      },
      test: async () => {
        await test(this.source).then((reports) => reports.sync());
      },
      "build-backend": async () => {
        await backend.sync();
      },
      "build-frontend": async () => {
        await frontend.sync();
      },
      manifests: async () => {
        await manifests(this.source);
      },
      "scan-config": async () => {
        await scanConfig(this.source);
      },
      smoke: async () => {
        await smoke(this.source, backend, frontend);
      },
    };
    const gate = await runConcurrently(GATE_STEPS.map((name) => [name, bodies[name]] as const));
    const results: StepResult[] = [...gate.results];

    for (const step of plan.steps) {
      if (step.name === "publish") {
        if (!step.run || !args.publish || !registryPassword || !args.sha || !args.branch) {
          results.push(skipped("publish", step.skipReason ?? "not requested"));
        } else if (!allPassed(gate.results)) {
          results.push(skipped("publish", "gate failed"));
        } else {
          const target = { ...args.publish, password: registryPassword, sha: args.sha, branch: args.branch };
          results.push(await runStep("publish", async () => ({ digests: await publish(target, { backend, frontend }) })));
        }
      } else if (step.name === "deploy") {
        results.push(skipped("deploy", step.skipReason ?? "not requested"));
      }
    }

    const meta: RunMeta = { branch: args.branch, sha: args.sha, environment: plan.environment, gateWallMs: gate.wallMs, gateSteps: GATE_STEPS };
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
    // Printed once, by the CLI: the return value on success, the error on failure.
    if (!allPassed(results)) throw new Error(summary);
    return summary;
  }
}
