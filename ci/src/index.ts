/**
 * CI/CD pipeline of the prestamos monorepo (Django backend, React frontend, Kubernetes).
 *
 * `dagger call ci` runs the whole gate concurrently (lint, tests, both image builds, the
 * manifests checks, Trivy's scans and the images' smoke test); with registry credentials it
 * then publishes the images, deploys dev and writes the release record; on main it promotes
 * dev's record to production without building. Each stage's engine calls live in
 * ci/src/stages/; every command run in a container comes from ci/src/commands.ts, the same
 * definitions the native scripts run.
 */
import {
  argument,
  type Container,
  type Directory,
  func,
  type GitRepository,
  object,
  type Secret,
  type Service,
} from "@dagger.io/dagger";

import { checkGitFacts } from "./git/facts";
import { planCi } from "./plan";
import { buildImage } from "./stages/build";
import { deployContainer, deployTarget, releasesContainer, renderedManifests, type Credentials } from "./stages/deploy";
import { readGitFacts } from "./stages/git";
import { lint } from "./stages/lint";
import { manifests } from "./stages/manifests";
import { runCi } from "./stages/pipeline";
import { promoteToProduction } from "./stages/promote";
import { publish } from "./stages/publish";
import { scanConfig } from "./stages/scan-config";
import { requireCleanScans, scanImages } from "./stages/scan";
import { smoke } from "./stages/smoke";
import { test, testReports } from "./stages/test";
import {
  ArgumentError,
  type ClusterArgs,
  validateCiArgs,
  validateClusterArgs,
  validateDeployArgs,
  validateEnvironment,
  validateImageLabels,
  validatePromoteArgs,
  validatePublishArgs,
} from "./validate";

/** The cluster-access arguments a function was given, as validate.ts checks them (Secrets by presence). */
function clusterArgs(
  awsAccessKeyId: Secret | undefined,
  awsSecretAccessKey: Secret | undefined,
  awsSessionToken: Secret | undefined,
  awsRegion: string | undefined,
  eksCluster: string | undefined,
  kubeContext: string | undefined,
  kubeApi: Service | undefined,
  deployTimeout?: string,
): ClusterArgs {
  return {
    hasAwsAccessKeyId: Boolean(awsAccessKeyId),
    hasAwsSecretAccessKey: Boolean(awsSecretAccessKey),
    hasAwsSessionToken: Boolean(awsSessionToken),
    awsRegion,
    eksCluster,
    kubeContext,
    hasKubeApi: Boolean(kubeApi),
    deployTimeout,
  };
}

/** The Secrets a deploy may be given: the kubeconfig, and AWS credentials for EKS. */
function credentials(
  kubeconfig: Secret,
  awsAccessKeyId?: Secret,
  awsSecretAccessKey?: Secret,
  awsSessionToken?: Secret,
): Credentials {
  return { kubeconfig, awsAccessKeyId, awsSecretAccessKey, awsSessionToken };
}

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
   * Trivy (pinned image) on both built images: a JSON vulnerability report and a CycloneDX
   * SBOM per image, returned as a Directory; fails when an image has a HIGH or CRITICAL
   * vulnerability with a fix. Example: dagger call scan-images -o scan/
   */
  @func()
  async scanImages(): Promise<Directory> {
    const result = await scanImages(
      { backend: this.backend(), frontend: this.frontend() },
      new Date().toISOString().slice(0, 10),
    );
    requireCleanScans(result);
    return result.artifacts;
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
    const args = validatePublishArgs({
      registry,
      username: registryUsername,
      hasPassword: Boolean(registryPassword),
      sha,
      branch,
      sourceUrl,
      buildDate,
    });
    const image = validateImageLabels({ sha: args.sha, version, sourceUrl: args.sourceUrl, buildDate: args.buildDate });
    return publish(
      {
        registry: args.registry,
        username: args.username,
        password: registryPassword,
        sha: args.sha,
        branch: args.branch,
      },
      { backend: buildImage(this.source, "backend", image), frontend: buildImage(this.source, "frontend", image) },
    );
  }

  /**
   * The pipeline. Without credentials: the gate, concurrently (lint, test, build-backend,
   * build-frontend, manifests, scan-config, scan-images, smoke). With registry credentials:
   * then publish (only when the gate passed), optional cosign signing, on dev the deploy to
   * challenge-dev (with a kubeconfig), and the release record, published as
   * <registry>/releases:tree-<hash> only after dev's deploy and smoke test passed. On main
   * with registry credentials nothing is built: the record of the commit's tree is looked up
   * and its digests are deployed to challenge-prd, or production is refused with the reason.
   * Returns a Directory (summary.txt; release.json, scan/, the deploy log and badge when
   * made), prints the summary once, sends one Slack message when a webhook is given, and
   * fails with the summary as its error when a step failed.
   * Example: dagger call ci -o ci-out/   (or: dagger call ci file --path=summary.txt contents)
   *
   * @param branch Branch being built (CI: $GITHUB_REF_NAME / $CI_COMMIT_REF_NAME).
   * @param sha Commit SHA (CI: $GITHUB_SHA / $CI_COMMIT_SHA); labels and tags the images. When
   *   publishing or promoting it must be the checked-out commit.
   * @param version Version label for the images; defaults to the short SHA.
   * @param sourceUrl Repository URL for the images' source label; required to publish.
   * @param buildDate RFC 3339 timestamp for the images' created label; required to publish.
   * @param registry Where to publish, e.g. ghcr.io/org/prestamos. Needs the two credentials below.
   * @param registryUsername Registry user.
   * @param registryPassword Registry password or token, e.g. env://REGISTRY_PASSWORD.
   * @param kubeconfig Kubeconfig of the target cluster (dev or main only), e.g. env://KUBECONFIG_CONTENT;
   *   for EKS the one `aws eks update-kubeconfig` writes (no secret in it).
   * @param slackWebhook Slack incoming-webhook URL, e.g. env://SLACK_WEBHOOK_URL.
   * @param awsAccessKeyId EKS: AWS access key id (short-lived, from OIDC), e.g. env://AWS_ACCESS_KEY_ID.
   * @param awsSecretAccessKey EKS: AWS secret access key, e.g. env://AWS_SECRET_ACCESS_KEY.
   * @param awsSessionToken EKS: AWS session token, e.g. env://AWS_SESSION_TOKEN.
   * @param awsRegion EKS: the cluster's region, when the kubeconfig does not name it.
   * @param eksCluster EKS: the cluster's name, when the kubeconfig does not name it.
   * @param kubeContext The kubeconfig context to use (default: its current context).
   * @param kubeApi A cluster API server on your machine (minikube), e.g. tcp://localhost:32771.
   * @param deployTimeout Limit of each deploy wait (migrations, rollout), e.g. 10m.
   * @param runUrl The CI run's page, linked from the record and the Slack message.
   * @param cosignKey Sign the published images with this cosign private key, e.g. env://COSIGN_KEY.
   * @param cosignPassword The cosign key's password, e.g. env://COSIGN_PASSWORD.
   * @param git The repository (default: the checkout): commit, tree and author come from it.
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
    awsAccessKeyId?: Secret,
    awsSecretAccessKey?: Secret,
    awsSessionToken?: Secret,
    awsRegion?: string,
    eksCluster?: string,
    kubeContext?: string,
    kubeApi?: Service,
    deployTimeout?: string,
    runUrl?: string,
    cosignKey?: Secret,
    cosignPassword?: Secret,
    @argument({ defaultPath: "/" }) git?: GitRepository,
  ): Promise<Directory> {
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
      cluster: clusterArgs(
        awsAccessKeyId,
        awsSecretAccessKey,
        awsSessionToken,
        awsRegion,
        eksCluster,
        kubeContext,
        kubeApi,
        deployTimeout,
      ),
      runUrl,
      hasCosignKey: Boolean(cosignKey),
      hasCosignPassword: Boolean(cosignPassword),
    });
    const secrets = {
      registryPassword,
      kubeconfig,
      slackWebhook,
      awsAccessKeyId,
      awsSecretAccessKey,
      awsSessionToken,
      cosignKey,
      cosignPassword,
    };
    const outcome = await runCi({
      source: this.source,
      args: { ...args, ...validateImageLabels(args) },
      plan: planCi(args),
      secrets,
      git,
      kubeApi,
    });
    // Printed once: as a log line on success, as the error on failure.
    if (!outcome.passed) throw new Error(outcome.summary);
    console.log(outcome.summary);
    return outcome.artifacts;
  }

  /**
   * Deploys images to an environment with the deploy engine (ci/src/deploy): the overlay
   * rendered with the images pinned, validated, then server-side applied with a migrations
   * gate, rollout wait, smoke test, automatic rollback, prune and a namespace lock. Returns
   * the deploy log; fails with the engine's error lines.
   *
   * @param environment dev (challenge-dev) or prod (challenge-prd).
   * @param backendImage Backend image; prod takes only <repository>@sha256:<digest>.
   * @param frontendImage Frontend image; prod takes only <repository>@sha256:<digest>.
   * @param sha The commit the images were built from (names the migrations Job, goes into the history).
   * @param kubeconfig Kubeconfig, e.g. cmd://"kubectl config view --raw --minify --flatten".
   * @param awsAccessKeyId EKS: AWS access key id, e.g. env://AWS_ACCESS_KEY_ID.
   * @param awsSecretAccessKey EKS: AWS secret access key.
   * @param awsSessionToken EKS: AWS session token.
   * @param awsRegion EKS: the cluster's region, when the kubeconfig does not name it.
   * @param eksCluster EKS: the cluster's name, when the kubeconfig does not name it.
   * @param kubeContext The kubeconfig context to use.
   * @param kubeApi A cluster API server on your machine (minikube), e.g. tcp://localhost:32771.
   * @param dryRun Server-side dry run with a diff; nothing persists.
   * @param timeout Limit of each wait (migrations, rollout), e.g. 10m.
   */
  @func({ cache: "never" })
  async deploy(
    environment: string,
    backendImage: string,
    frontendImage: string,
    sha: string,
    kubeconfig: Secret,
    awsAccessKeyId?: Secret,
    awsSecretAccessKey?: Secret,
    awsSessionToken?: Secret,
    awsRegion?: string,
    eksCluster?: string,
    kubeContext?: string,
    kubeApi?: Service,
    dryRun = false,
    timeout?: string,
  ): Promise<string> {
    const cluster = clusterArgs(
      awsAccessKeyId,
      awsSecretAccessKey,
      awsSessionToken,
      awsRegion,
      eksCluster,
      kubeContext,
      kubeApi,
      timeout,
    );
    const args = validateDeployArgs({ environment, sha, backendImage, frontendImage, cluster });
    const manifestsYaml = await renderedManifests(this.source, args.environment, args.images);
    const target = deployTarget(args.environment, args.sha, args.images, args.cluster, dryRun);
    return deployContainer(
      this.source,
      manifestsYaml,
      credentials(kubeconfig, awsAccessKeyId, awsSecretAccessKey, awsSessionToken),
      target,
      kubeApi,
    ).stdout();
  }

  /**
   * The recorded deploys of an environment's namespace, newest first: revision, outcome,
   * commit, time and images (read-only; never Secret values).
   *
   * @param environment dev (challenge-dev) or prod (challenge-prd).
   * @param kubeconfig Kubeconfig, e.g. cmd://"kubectl config view --raw --minify --flatten".
   * @param awsAccessKeyId EKS: AWS access key id.
   * @param awsSecretAccessKey EKS: AWS secret access key.
   * @param awsSessionToken EKS: AWS session token.
   * @param awsRegion EKS: the cluster's region.
   * @param eksCluster EKS: the cluster's name.
   * @param kubeContext The kubeconfig context to use.
   * @param kubeApi A cluster API server on your machine (minikube), e.g. tcp://localhost:32771.
   */
  @func({ cache: "never" })
  async status(
    environment: string,
    kubeconfig: Secret,
    awsAccessKeyId?: Secret,
    awsSecretAccessKey?: Secret,
    awsSessionToken?: Secret,
    awsRegion?: string,
    eksCluster?: string,
    kubeContext?: string,
    kubeApi?: Service,
  ): Promise<string> {
    const env = validateEnvironment(environment);
    const cluster = validateClusterArgs(
      clusterArgs(awsAccessKeyId, awsSecretAccessKey, awsSessionToken, awsRegion, eksCluster, kubeContext, kubeApi),
      true,
    );
    const where = {
      environment: env,
      context: cluster.kubeContext,
      eksCluster: cluster.eksCluster,
      awsRegion: cluster.awsRegion,
    } as const;
    return releasesContainer(
      this.source,
      credentials(kubeconfig, awsAccessKeyId, awsSecretAccessKey, awsSessionToken),
      where,
      kubeApi,
    ).stdout();
  }

  /**
   * Promotes to production, from a terminal, what passed on dev: the release record of a git
   * tree (given, or a commit's) is read from the registry and, when the promotion rules
   * allow it, its digests are deployed to challenge-prd without rebuilding; otherwise it
   * fails with the refusal's code and reason. Returns the decision and the deploy log.
   *
   * @param registry Where dev published, e.g. ghcr.io/org/prestamos.
   * @param registryUsername Registry user.
   * @param registryPassword Registry password or token (read access), e.g. env://REGISTRY_PASSWORD.
   * @param kubeconfig Production's kubeconfig.
   * @param tree The git tree hash (git rev-parse <commit>^{tree}); or give --commit.
   * @param commit A commit of the repository whose tree to promote; or give --tree.
   * @param awsAccessKeyId EKS: AWS access key id.
   * @param awsSecretAccessKey EKS: AWS secret access key.
   * @param awsSessionToken EKS: AWS session token.
   * @param awsRegion EKS: the cluster's region.
   * @param eksCluster EKS: the cluster's name.
   * @param kubeContext The kubeconfig context to use.
   * @param kubeApi A cluster API server on your machine, e.g. tcp://localhost:32771.
   * @param dryRun Server-side dry run with a diff; nothing persists.
   * @param timeout Limit of each wait (migrations, rollout), e.g. 10m.
   * @param git The repository (default: the checkout), to find a commit's tree.
   */
  @func({ cache: "never" })
  async promote(
    registry: string,
    registryUsername: string,
    registryPassword: Secret,
    kubeconfig: Secret,
    tree?: string,
    commit?: string,
    awsAccessKeyId?: Secret,
    awsSecretAccessKey?: Secret,
    awsSessionToken?: Secret,
    awsRegion?: string,
    eksCluster?: string,
    kubeContext?: string,
    kubeApi?: Service,
    dryRun = false,
    timeout?: string,
    @argument({ defaultPath: "/" }) git?: GitRepository,
  ): Promise<string> {
    const target = validatePromoteArgs({ registry, registryUsername, tree, commit });
    const cluster = validateClusterArgs(
      clusterArgs(
        awsAccessKeyId,
        awsSecretAccessKey,
        awsSessionToken,
        awsRegion,
        eksCluster,
        kubeContext,
        kubeApi,
        timeout,
      ),
      true,
    );
    let treeHash = target.tree;
    if (!treeHash) {
      if (!git)
        throw new ArgumentError("--commit needs the repository (--git, by default the checkout) to find its tree");
      const facts = await readGitFacts(git, target.commit ?? "");
      checkGitFacts(facts, { sha: target.commit, building: false });
      treeHash = facts.tree;
    }
    return promoteToProduction(this.source, {
      auth: { registry: target.registry, username: target.username, password: registryPassword },
      tree: treeHash,
      credentials: credentials(kubeconfig, awsAccessKeyId, awsSecretAccessKey, awsSessionToken),
      cluster,
      kubeApi,
      dryRun,
    });
  }
}
