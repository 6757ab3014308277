/**
 * The deploy CLI's arguments: one builder per command (used by the Dagger stage to build
 * the container's command, and by the tests to run the CLI natively) and one parser with
 * clear errors. Pure: no I/O.
 */
import { argumentError } from "./errors";
import { ENVIRONMENTS, validateImageArgument, type EnvironmentName } from "./release-plan";
import { parseDuration } from "./timing";

/** Where the CLI lives relative to the ci/ folder (the deployer container's working directory). */
export const CLI_PATH = "src/deploy/cli.ts";
/** How the CLI is started, natively (from ci/) and in the deployer container: TypeScript through tsx. */
export const CLI_COMMAND: readonly string[] = ["node", "--import", "tsx", CLI_PATH];
/** The render step, run in the pinned kubectl image: `kubectl kustomize <overlay>` prints the YAML. */
export function renderArgv(overlayDir: string): string[] {
  return ["kubectl", "kustomize", overlayDir];
}

/** Connection options shared by every command. Paths are files, never secret values. */
export interface AccessOptions {
  readonly environment: EnvironmentName;
  /** Path of the kubeconfig file. */
  readonly kubeconfig: string;
  readonly context?: string;
  /** Host that replaces the kubeconfig server's host (Dagger service alias). */
  readonly apiHost?: string;
  readonly eksCluster?: string;
  readonly awsRegion?: string;
}

export interface DeployOptions extends AccessOptions {
  /** Path of the rendered overlay YAML. */
  readonly manifests: string;
  readonly backendImage: string;
  readonly frontendImage: string;
  readonly commit: string;
  readonly dryRun?: boolean;
  /** Limit of each wait, e.g. "10m". */
  readonly timeout?: string;
}

/** Native rendering of an overlay with the release's images (terminal deploys). */
export interface RenderOptions {
  readonly environment: EnvironmentName;
  readonly backendImage: string;
  readonly frontendImage: string;
  /** File to write; default stdout. */
  readonly output?: string;
}

export type Command =
  | { readonly command: "deploy"; readonly options: DeployOptions }
  | { readonly command: "releases"; readonly options: AccessOptions }
  | { readonly command: "render"; readonly options: RenderOptions }
  | { readonly command: "help" };

export const USAGE = `usage:
  deploy   --environment dev|prod --manifests FILE --backend-image REF --frontend-image REF --commit SHA
           --kubeconfig FILE [--context NAME] [--api-host HOST] [--eks-cluster NAME] [--aws-region REGION]
           [--dry-run] [--timeout 10m]
  releases --environment dev|prod --kubeconfig FILE [--context NAME] [--api-host HOST] [--eks-cluster NAME] [--aws-region REGION]
  render   --environment dev|prod --backend-image REF --frontend-image REF [--output FILE]   (run from the repository root)

Images: prod needs <repository>@sha256:<digest>; dev also accepts a tag other than latest.
EKS: a kubeconfig whose user runs "aws eks get-token" gets tokens minted from
AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN (and AWS_REGION).`;

const FLAGS: Readonly<Record<string, "value" | "switch">> = {
  "--environment": "value",
  "--manifests": "value",
  "--backend-image": "value",
  "--frontend-image": "value",
  "--commit": "value",
  "--kubeconfig": "value",
  "--context": "value",
  "--api-host": "value",
  "--eks-cluster": "value",
  "--aws-region": "value",
  "--timeout": "value",
  "--output": "value",
  "--dry-run": "switch",
};
const DEPLOY_ONLY = ["--manifests", "--backend-image", "--frontend-image", "--commit", "--dry-run", "--timeout"];
const ACCESS = ["--kubeconfig", "--context", "--api-host", "--eks-cluster", "--aws-region"];

function accessArgs(o: AccessOptions): string[] {
  const out = ["--environment", o.environment, "--kubeconfig", o.kubeconfig];
  if (o.context) out.push("--context", o.context);
  if (o.apiHost) out.push("--api-host", o.apiHost);
  if (o.eksCluster) out.push("--eks-cluster", o.eksCluster);
  if (o.awsRegion) out.push("--aws-region", o.awsRegion);
  return out;
}

export function deployArgs(o: DeployOptions): string[] {
  const out = [
    "deploy",
    ...accessArgs(o),
    "--manifests",
    o.manifests,
    "--backend-image",
    o.backendImage,
    "--frontend-image",
    o.frontendImage,
    "--commit",
    o.commit,
  ];
  if (o.dryRun) out.push("--dry-run");
  if (o.timeout) out.push("--timeout", o.timeout);
  return out;
}

export function releasesArgs(o: AccessOptions): string[] {
  return ["releases", ...accessArgs(o)];
}

export function renderArgs(o: RenderOptions): string[] {
  const out = [
    "render",
    "--environment",
    o.environment,
    "--backend-image",
    o.backendImage,
    "--frontend-image",
    o.frontendImage,
  ];
  if (o.output) out.push("--output", o.output);
  return out;
}

function readFlags(argv: readonly string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i] ?? "";
    const eq = raw.indexOf("=");
    const flag = eq > 0 ? raw.slice(0, eq) : raw;
    const kind = FLAGS[flag];
    if (!kind) throw argumentError(`unknown argument "${raw}"\n${USAGE}`);
    if (values.has(flag)) throw argumentError(`${flag} was given twice`);
    if (kind === "switch") {
      if (eq > 0) throw argumentError(`${flag} takes no value`);
      values.set(flag, "true");
      continue;
    }
    const value = eq > 0 ? raw.slice(eq + 1) : argv[++i];
    if (value === undefined || value.trim() === "" || (eq < 0 && value.startsWith("--")))
      throw argumentError(`${flag} needs a value`);
    values.set(flag, value.trim());
  }
  return values;
}

function required(values: Map<string, string>, flag: string): string {
  const value = values.get(flag);
  if (!value) throw argumentError(`${flag} is required\n${USAGE}`);
  return value;
}

function parseEnvironment(values: Map<string, string>): EnvironmentName {
  const environment = required(values, "--environment");
  if (!(ENVIRONMENTS as string[]).includes(environment)) {
    throw argumentError(`--environment "${environment}" is not one of ${ENVIRONMENTS.join(", ")}`);
  }
  return environment as EnvironmentName;
}

/** The two image flags, checked for the environment (prod: digests only). */
function parseImages(
  values: Map<string, string>,
  environment: EnvironmentName,
): { backendImage: string; frontendImage: string } {
  const backendImage = required(values, "--backend-image");
  const frontendImage = required(values, "--frontend-image");
  for (const [flag, ref] of [
    ["--backend-image", backendImage],
    ["--frontend-image", frontendImage],
  ] as const) {
    try {
      validateImageArgument(flag, ref, environment);
    } catch (error) {
      throw argumentError(error instanceof Error ? error.message : String(error));
    }
  }
  return { backendImage, frontendImage };
}

function rejectFlags(command: string, values: Map<string, string>, flags: readonly string[]): void {
  const extra = flags.filter((flag) => values.has(flag));
  if (extra.length) throw argumentError(`${command} does not take ${extra.join(", ")}`);
}

function parseAccess(values: Map<string, string>): AccessOptions {
  return {
    environment: parseEnvironment(values),
    kubeconfig: required(values, "--kubeconfig"),
    context: values.get("--context"),
    apiHost: values.get("--api-host"),
    eksCluster: values.get("--eks-cluster"),
    awsRegion: values.get("--aws-region"),
  };
}

export function parseArgs(argv: readonly string[]): Command {
  const [command, ...rest] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h")
    return { command: "help" };
  if (command !== "deploy" && command !== "releases" && command !== "render")
    throw argumentError(`unknown command "${command}"\n${USAGE}`);
  const values = readFlags(rest);
  if (command === "render") {
    rejectFlags(command, values, [...ACCESS, ...DEPLOY_ONLY.filter((f) => !f.endsWith("-image"))]);
    const environment = parseEnvironment(values);
    return { command, options: { environment, ...parseImages(values, environment), output: values.get("--output") } };
  }
  rejectFlags(command, values, ["--output"]);
  const access = parseAccess(values);
  if (command === "releases") {
    rejectFlags(command, values, DEPLOY_ONLY);
    return { command, options: access };
  }
  const timeout = values.get("--timeout");
  if (timeout !== undefined && parseDuration(timeout) === undefined) {
    throw argumentError(`--timeout "${timeout}" is not a duration such as 90s, 10m or 1h`);
  }
  const commit = required(values, "--commit").toLowerCase();
  if (!/^[0-9a-f]{7,40}$/.test(commit))
    throw argumentError(`--commit "${commit}" is not a commit SHA (7-40 hex characters)`);
  return {
    command,
    options: {
      ...access,
      manifests: required(values, "--manifests"),
      ...parseImages(values, access.environment),
      commit,
      dryRun: values.has("--dry-run"),
      timeout,
    },
  };
}
