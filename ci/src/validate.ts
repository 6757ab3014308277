/**
 * Argument validation for the pipeline functions. Pure: no Dagger, no I/O.
 *
 * Every check runs before any engine work, so a wrong flag fails in milliseconds with a
 * message that names the flag (in its CLI kebab-case spelling) and the fix.
 */
import { ENVIRONMENTS, validateImageArgument, type EnvironmentName } from "./deploy/release-plan";
import { parseDuration } from "./deploy/timing";
import {
  DEPLOY_BRANCHES,
  environmentForBranch,
  normalizeBranch,
  PROMOTION_BRANCH,
  type Environment,
} from "./environments";
import { parseImageReference } from "./image-ref";
import { isSha, shortSha } from "./tags";

/** Thrown for a bad argument combination; the message is meant for the person calling. */
export class ArgumentError extends Error {
  override readonly name = "ArgumentError";
}

/** What the caller passed to `ci`. Secrets are represented by their presence only. */
export interface CiArgs {
  readonly branch?: string;
  readonly sha?: string;
  readonly version?: string;
  readonly sourceUrl?: string;
  readonly buildDate?: string;
  readonly registry?: string;
  readonly registryUsername?: string;
  readonly hasRegistryPassword: boolean;
  readonly hasKubeconfig: boolean;
  readonly hasSlackWebhook: boolean;
  /** How the deploy reaches the cluster (all optional; each needs --kubeconfig). */
  readonly cluster?: ClusterArgs;
  /** The CI run's page, linked from the record and the Slack message. */
  readonly runUrl?: string;
  readonly hasCosignKey?: boolean;
  readonly hasCosignPassword?: boolean;
}

/** Deploy access arguments besides the kubeconfig. Secrets by presence only. */
export interface ClusterArgs {
  readonly hasAwsAccessKeyId?: boolean;
  readonly hasAwsSecretAccessKey?: boolean;
  readonly hasAwsSessionToken?: boolean;
  readonly awsRegion?: string;
  readonly eksCluster?: string;
  readonly kubeContext?: string;
  readonly hasKubeApi?: boolean;
  readonly deployTimeout?: string;
}

/** Cluster access after validation: blanks removed. */
export interface ValidClusterArgs {
  readonly awsRegion?: string;
  readonly eksCluster?: string;
  readonly kubeContext?: string;
  readonly deployTimeout?: string;
}

/** Arguments after validation: blanks removed, branch normalised, decisions taken. */
export interface ValidCiArgs {
  readonly branch?: string;
  readonly sha?: string;
  readonly version?: string;
  /** Labels of the images: org.opencontainers.image.source and .created. */
  readonly sourceUrl?: string;
  readonly buildDate?: string;
  /** Present when images are to be published. */
  readonly publish?: { readonly registry: string; readonly username: string };
  /** Present when a deploy is requested (kubeconfig given on a deploying branch). */
  readonly deploy?: Environment;
  /** main with registry credentials: production gets dev's release record, nothing is built. */
  readonly promote: boolean;
  readonly cluster: ValidClusterArgs;
  readonly runUrl?: string;
  /** Sign the published images with cosign. */
  readonly sign: boolean;
  readonly notify: boolean;
}

/** Git refuses these in branch names; we also refuse whitespace and control characters. */
const BAD_BRANCH = /[\s~^:?*[\\\x00-\x1f\x7f]|\.\.|@\{|^\/|\/$|\.lock$|^-/;
const VERSION_PATTERN = /^[0-9A-Za-z][0-9A-Za-z._+-]{0,127}$/;

/** Treats undefined, empty and whitespace-only strings alike (CI passes blanks for unset vars). */
export function blankToUndefined(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

/** Throws ArgumentError unless `address` is a registry address as described above. */
export function validateRegistry(address: string): string {
  if (/^[a-z]+:\/\//i.test(address)) {
    throw new ArgumentError(`--registry "${address}" must not include a scheme: use e.g. ghcr.io/org/prestamos`);
  }
  if (address.includes("@")) {
    throw new ArgumentError(`--registry "${address}" must not include a digest: images are tagged by the pipeline`);
  }
  const parsed = parseImageReference(address);
  if (
    !parsed ||
    parsed.tag !== undefined ||
    !parsed.domain ||
    parsed.domain !== parsed.domain.toLowerCase() ||
    parsed.name === parsed.domain
  ) {
    throw new ArgumentError(
      `--registry "${address}" is not a registry address: expected <host>/<path> in lowercase without a tag, ` +
        `e.g. ghcr.io/org/prestamos or 123456789012.dkr.ecr.us-east-1.amazonaws.com/prestamos`,
    );
  }
  return address;
}

/** An http(s) URL without credentials, query or fragment: where the source code lives. */
const SOURCE_URL_PATTERN = /^https?:\/\/[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:\/[A-Za-z0-9._~%-]+)*\/?$/;
/** RFC 3339 date-time, e.g. 2025-06-01T12:00:00Z or 2025-06-01T14:00:00+02:00. */
const BUILD_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Throws ArgumentError unless `url` is the http(s) address of the repository, without credentials. */
export function validateSourceUrl(url: string): string {
  if (!SOURCE_URL_PATTERN.test(url)) {
    throw new ArgumentError(
      `--source-url "${url}" must be the repository's http(s) URL without credentials, e.g. https://github.com/org/prestamos`,
    );
  }
  return url;
}

/** Throws ArgumentError unless `date` is an RFC 3339 timestamp (what OCI `created` expects). */
export function validateBuildDate(date: string): string {
  if (!BUILD_DATE_PATTERN.test(date) || Number.isNaN(Date.parse(date))) {
    throw new ArgumentError(
      `--build-date "${date}" must be an RFC 3339 timestamp, e.g. 2025-06-01T12:00:00Z (CI: the commit's timestamp)`,
    );
  }
  return date;
}

/** Throws ArgumentError unless `url` is an http(s) address without credentials (the CI run's page). */
export function validateRunUrl(url: string): string {
  if (!SOURCE_URL_PATTERN.test(url)) {
    throw new ArgumentError(
      `--run-url "${url}" must be the CI run's http(s) URL without credentials or query, e.g. https://github.com/org/prestamos/actions/runs/123`,
    );
  }
  return url;
}

/** AWS region names: us-east-1, eu-central-2, us-gov-west-1… */
const AWS_REGION_PATTERN = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
/** EKS cluster names: 1–100 letters, digits, '-' and '_', starting with a letter or digit. */
const EKS_CLUSTER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
/** A kubeconfig context name: printable, no whitespace. */
const CONTEXT_PATTERN = /^[^\s\x00-\x1f\x7f]{1,253}$/;

/** Validates the deploy access arguments (shared by ci, deploy, status and promote). */
export function validateClusterArgs(args: ClusterArgs, hasKubeconfig: boolean): ValidClusterArgs {
  const awsRegion = blankToUndefined(args.awsRegion);
  const eksCluster = blankToUndefined(args.eksCluster);
  const kubeContext = blankToUndefined(args.kubeContext);
  const deployTimeout = blankToUndefined(args.deployTimeout);
  const given = [
    ["--aws-access-key-id", args.hasAwsAccessKeyId],
    ["--aws-secret-access-key", args.hasAwsSecretAccessKey],
    ["--aws-session-token", args.hasAwsSessionToken],
    ["--aws-region", awsRegion],
    ["--eks-cluster", eksCluster],
    ["--kube-context", kubeContext],
    ["--kube-api", args.hasKubeApi],
    ["--deploy-timeout", deployTimeout],
  ]
    .filter(([, value]) => Boolean(value))
    .map(([flag]) => flag as string);
  if (!hasKubeconfig && given.length > 0) {
    throw new ArgumentError(`${given.join(", ")} need(s) --kubeconfig: they say how a deploy reaches the cluster`);
  }
  if (Boolean(args.hasAwsAccessKeyId) !== Boolean(args.hasAwsSecretAccessKey)) {
    throw new ArgumentError(
      "--aws-access-key-id and --aws-secret-access-key come together (e.g. env://AWS_ACCESS_KEY_ID and env://AWS_SECRET_ACCESS_KEY)",
    );
  }
  if (args.hasAwsSessionToken && !args.hasAwsAccessKeyId) {
    throw new ArgumentError("--aws-session-token needs --aws-access-key-id and --aws-secret-access-key");
  }
  if (awsRegion !== undefined && !AWS_REGION_PATTERN.test(awsRegion)) {
    throw new ArgumentError(`--aws-region "${awsRegion}" is not an AWS region such as us-east-1`);
  }
  if (eksCluster !== undefined && !EKS_CLUSTER_PATTERN.test(eksCluster)) {
    throw new ArgumentError(
      `--eks-cluster "${eksCluster}" is not an EKS cluster name (letters, digits, '-', '_'; up to 100)`,
    );
  }
  if ((awsRegion || eksCluster) && !args.hasAwsAccessKeyId) {
    throw new ArgumentError(
      "--aws-region and --eks-cluster need AWS credentials (--aws-access-key-id, --aws-secret-access-key): the deploy mints the EKS token from them",
    );
  }
  if (kubeContext !== undefined && !CONTEXT_PATTERN.test(kubeContext))
    throw new ArgumentError(`--kube-context "${kubeContext}" is not a context name`);
  if (deployTimeout !== undefined && parseDuration(deployTimeout) === undefined) {
    throw new ArgumentError(`--deploy-timeout "${deployTimeout}" is not a duration such as 90s, 10m or 1h`);
  }
  return { awsRegion, eksCluster, kubeContext, deployTimeout };
}

/** A git tree hash (the release record's key): 40 hex (SHA-1 repositories) or 64 hex (SHA-256 repositories). */
const TREE_PATTERN = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** Lowercases and checks a tree hash (`git rev-parse HEAD^{tree}`). Throws ArgumentError. */
export function validateTreeHash(tree: string): string {
  const value = tree.trim().toLowerCase();
  if (!TREE_PATTERN.test(value)) {
    throw new ArgumentError(
      `tree hash "${tree}" is not a git tree hash: expected the 40 (or 64) hexadecimal characters of ` +
        "`git rev-parse HEAD^{tree}`",
    );
  }
  return value;
}

/** Throws ArgumentError unless `sha` is 7–40 hex characters; returns it lowercased. */
export function validateSha(sha: string): string {
  if (!isSha(sha))
    throw new ArgumentError(`--sha "${sha}" is not a commit SHA: expected 7 to 40 hexadecimal characters`);
  return sha.toLowerCase();
}

/** Throws ArgumentError for a branch name git itself would refuse; returns it without refs/heads/. */
export function validateBranch(branch: string): string {
  const name = normalizeBranch(branch);
  if (name === "" || BAD_BRANCH.test(name)) throw new ArgumentError(`--branch "${branch}" is not a valid branch name`);
  return name;
}

/** Throws ArgumentError unless `version` is a short label-safe string such as 1.2.3 or 2024.06.01-rc1. */
export function validateVersion(version: string): string {
  if (!VERSION_PATTERN.test(version)) {
    throw new ArgumentError(`--version "${version}" must be 1-128 characters of letters, digits, '.', '_', '+' or '-'`);
  }
  return version;
}

const PUBLISH_NEEDS_SOURCE_URL =
  "--source-url is required to publish: images are labelled org.opencontainers.image.source (e.g. https://github.com/org/prestamos)";
const PUBLISH_NEEDS_BUILD_DATE =
  "--build-date is required to publish: images are labelled org.opencontainers.image.created (RFC 3339, e.g. the commit's timestamp)";

/** The label values of an image build, validated; the version defaults to the short SHA. */
export function validateImageLabels(args: { sha?: string; version?: string; sourceUrl?: string; buildDate?: string }): {
  sha?: string;
  version?: string;
  sourceUrl?: string;
  buildDate?: string;
} {
  const sha = blankToUndefined(args.sha);
  const version = blankToUndefined(args.version);
  const sourceUrl = blankToUndefined(args.sourceUrl);
  const buildDate = blankToUndefined(args.buildDate);
  const commit = sha === undefined ? undefined : validateSha(sha);
  return {
    sha: commit,
    version: version !== undefined ? validateVersion(version) : commit ? shortSha(commit) : undefined,
    sourceUrl: sourceUrl === undefined ? undefined : validateSourceUrl(sourceUrl),
    buildDate: buildDate === undefined ? undefined : validateBuildDate(buildDate),
  };
}

/** Validates the arguments of `publish` (all required). */
export function validatePublishArgs(args: {
  registry?: string;
  username?: string;
  hasPassword: boolean;
  sha?: string;
  branch?: string;
  sourceUrl?: string;
  buildDate?: string;
}): { registry: string; username: string; sha: string; branch: string; sourceUrl: string; buildDate: string } {
  const registry = blankToUndefined(args.registry);
  const username = blankToUndefined(args.username);
  const sha = blankToUndefined(args.sha);
  const branch = blankToUndefined(args.branch);
  const sourceUrl = blankToUndefined(args.sourceUrl);
  const buildDate = blankToUndefined(args.buildDate);
  if (!registry) throw new ArgumentError("--registry is required to publish, e.g. ghcr.io/org/prestamos");
  validateRegistry(registry);
  if (!username) throw new ArgumentError("--registry-username is required to publish");
  if (!args.hasPassword) {
    throw new ArgumentError(
      "--registry-password is required to publish: pass a secret such as env://REGISTRY_PASSWORD",
    );
  }
  if (!sha) throw new ArgumentError("--sha is required to publish: images are tagged with the commit");
  if (!branch) throw new ArgumentError("--branch is required to publish: images are tagged <branch>-<short-sha>");
  if (!sourceUrl) throw new ArgumentError(PUBLISH_NEEDS_SOURCE_URL);
  if (!buildDate) throw new ArgumentError(PUBLISH_NEEDS_BUILD_DATE);
  return {
    registry,
    username,
    sha: validateSha(sha),
    branch: validateBranch(branch),
    sourceUrl: validateSourceUrl(sourceUrl),
    buildDate: validateBuildDate(buildDate),
  };
}

/** Validates and normalises the arguments of `ci`. Throws ArgumentError on the first problem. */
export function validateCiArgs(args: CiArgs): ValidCiArgs {
  const branchRaw = blankToUndefined(args.branch);
  const shaRaw = blankToUndefined(args.sha);
  const versionRaw = blankToUndefined(args.version);
  const sourceUrlRaw = blankToUndefined(args.sourceUrl);
  const buildDateRaw = blankToUndefined(args.buildDate);
  const registry = blankToUndefined(args.registry);
  const username = blankToUndefined(args.registryUsername);

  const branch = branchRaw === undefined ? undefined : validateBranch(branchRaw);
  const sha = shaRaw === undefined ? undefined : validateSha(shaRaw);
  const version = versionRaw === undefined ? undefined : validateVersion(versionRaw);
  const sourceUrl = sourceUrlRaw === undefined ? undefined : validateSourceUrl(sourceUrlRaw);
  const buildDate = buildDateRaw === undefined ? undefined : validateBuildDate(buildDateRaw);

  if (username && !args.hasRegistryPassword) {
    throw new ArgumentError("--registry-username was given without --registry-password (e.g. env://REGISTRY_PASSWORD)");
  }
  if (args.hasRegistryPassword && !username) {
    throw new ArgumentError("--registry-password was given without --registry-username");
  }
  if ((username || args.hasRegistryPassword) && !registry) {
    throw new ArgumentError("registry credentials were given without --registry (e.g. ghcr.io/org/prestamos)");
  }
  let publish: ValidCiArgs["publish"];
  if (registry) {
    validateRegistry(registry);
    if (!username || !args.hasRegistryPassword) {
      throw new ArgumentError("--registry needs --registry-username and --registry-password to publish");
    }
    if (!sha) throw new ArgumentError("--registry needs --sha: images are tagged with the commit");
    if (!branch) throw new ArgumentError("--registry needs --branch: images are tagged <branch>-<short-sha>");
    if (!sourceUrl) throw new ArgumentError(PUBLISH_NEEDS_SOURCE_URL);
    if (!buildDate) throw new ArgumentError(PUBLISH_NEEDS_BUILD_DATE);
    publish = { registry, username };
  }

  let deploy: Environment | undefined;
  if (args.hasKubeconfig) {
    if (!branch) throw new ArgumentError("--kubeconfig was given without --branch: the branch selects the environment");
    deploy = environmentForBranch(branch);
    if (!deploy) {
      throw new ArgumentError(
        `--kubeconfig was given but branch "${branch}" does not deploy (only ${DEPLOY_BRANCHES.join(", ")} do)`,
      );
    }
    if (!publish)
      throw new ArgumentError("--kubeconfig needs --registry and its credentials: a deploy uses the published images");
  }
  const cluster = validateClusterArgs(args.cluster ?? {}, args.hasKubeconfig);
  const runUrlRaw = blankToUndefined(args.runUrl);
  const runUrl = runUrlRaw === undefined ? undefined : validateRunUrl(runUrlRaw);
  const promote = Boolean(publish) && branch === PROMOTION_BRANCH;
  if (args.hasCosignPassword && !args.hasCosignKey)
    throw new ArgumentError("--cosign-password was given without --cosign-key");
  if (args.hasCosignKey && !publish)
    throw new ArgumentError("--cosign-key needs --registry and its credentials: it signs the published images");
  if (args.hasCosignKey && promote) {
    throw new ArgumentError(
      `--cosign-key on ${PROMOTION_BRANCH}: ${PROMOTION_BRANCH} promotes the images dev built and signed, it builds and signs nothing`,
    );
  }

  return {
    branch,
    sha,
    version,
    sourceUrl,
    buildDate,
    publish,
    deploy,
    promote,
    cluster,
    runUrl,
    sign: Boolean(args.hasCosignKey),
    notify: args.hasSlackWebhook,
  };
}

/** `dev` (challenge-dev) or `prod` (challenge-prd): the overlay and the deploy engine's environment. */
export function validateEnvironment(environment: string): EnvironmentName {
  const value = environment.trim();
  if (!(ENVIRONMENTS as string[]).includes(value)) {
    throw new ArgumentError(
      `--environment "${environment}" is not one of ${ENVIRONMENTS.join(", ")} (dev → challenge-dev, prod → challenge-prd)`,
    );
  }
  return value as EnvironmentName;
}

/** What `deploy` (and `promote`, for prod) deploys where, validated before any engine work. */
export interface ValidDeployArgs {
  readonly environment: EnvironmentName;
  readonly sha: string;
  readonly images: { readonly backend: string; readonly frontend: string };
  readonly cluster: ValidClusterArgs;
}

/** Validates `deploy`'s arguments: environment, commit, images (prod: by digest), cluster access. */
export function validateDeployArgs(args: {
  environment: string;
  sha: string;
  backendImage: string;
  frontendImage: string;
  cluster: ClusterArgs;
}): ValidDeployArgs {
  const env = validateEnvironment(args.environment);
  const images = {
    backend: imageArgument("--backend-image", args.backendImage, env),
    frontend: imageArgument("--frontend-image", args.frontendImage, env),
  };
  return { environment: env, sha: validateSha(args.sha), images, cluster: validateClusterArgs(args.cluster, true) };
}

function imageArgument(flag: string, ref: string, environment: EnvironmentName): string {
  try {
    return validateImageArgument(flag, ref.trim(), environment);
  } catch (error) {
    throw new ArgumentError(error instanceof Error ? error.message : String(error));
  }
}

/** `promote`'s target: the registry, and exactly one of a tree hash or a commit. */
export function validatePromoteArgs(args: {
  registry: string;
  registryUsername: string;
  tree?: string;
  commit?: string;
}): {
  registry: string;
  username: string;
  tree?: string;
  commit?: string;
} {
  const registry = validateRegistry(args.registry.trim());
  const username = blankToUndefined(args.registryUsername);
  if (!username) throw new ArgumentError("--registry-username is required to read the release record");
  const tree = blankToUndefined(args.tree);
  const commit = blankToUndefined(args.commit);
  if ((tree === undefined) === (commit === undefined)) {
    throw new ArgumentError(
      "give exactly one of --tree (git rev-parse <commit>^{tree}) or --commit (its tree is looked up in the repository)",
    );
  }
  return {
    registry,
    username,
    ...(tree ? { tree: validateTreeHash(tree) } : {}),
    ...(commit ? { commit: validateSha(commit) } : {}),
  };
}
