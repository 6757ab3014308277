/**
 * Deploy stage: the Dagger containers around the deploy engine (ci/src/deploy), nothing
 * else. Decisions (validation, order, waits, rollback) live in the engine, which runs in
 * the deployer container exactly as it runs natively (`node --import tsx
 * src/deploy/cli.ts …`, arguments from args.ts).
 *
 * - render: the overlay's kustomization gets the images pinned (withImages, same effect as
 *   `kustomize edit set image`), then `kubectl kustomize` runs in the pinned kubectl image
 *   (kustomize v5.5.0, as on the development machine); the module runtime has no kubectl.
 * - credentials: the kubeconfig Secret is mounted as a file readable only by the node user
 *   (0400); AWS credentials are secret environment variables, from which the engine mints
 *   EKS tokens itself (no AWS CLI container; the token is refreshed during long waits).
 *   The module never reads a Secret's plaintext.
 * - a host API server (minikube on a laptop) is a Service bound under the alias
 *   `kubernetes`, a name in minikube's API certificate; the engine rewrites the
 *   kubeconfig's server host to it, so TLS stays verified.
 * - a cache-buster right before the exec: the same deploy must run again when asked.
 */
import { type Container, dag, type Directory, type File, type Secret, type Service } from "@dagger.io/dagger";

import {
  CLI_COMMAND,
  deployArgs,
  parseArgs,
  releasesArgs,
  renderArgv,
  type AccessOptions,
  type DeployOptions,
} from "../deploy/args";
import type { EnvironmentName } from "../deploy/release-plan";
import { KUBECTL_IMAGE, NODE_IMAGE } from "../images";
import { withImages } from "../manifests/images";
import { OVERLAYS } from "../manifests/overlays";
import type { ValidClusterArgs } from "../validate";

/** Alias of the bound API service: minikube's (and kind's) API certificate names `kubernetes`. */
export const API_ALIAS = "kubernetes";
/** The ci/ folder inside the deployer container. */
export const DEPLOYER_WORKDIR = "/deployer";
export const KUBECONFIG_PATH = "/run/secrets/kubeconfig";
export const MANIFESTS_PATH = "/run/release/manifests.yaml";
/** The node user of the official Node images. */
export const DEPLOYER_USER = "1000:1000";
const RENDER_ROOT = "/src";

export interface ReleaseImages {
  readonly backend: string;
  readonly frontend: string;
}

/** The credentials of a deploy; only the kubeconfig is required. */
export interface Credentials {
  readonly kubeconfig: Secret;
  readonly awsAccessKeyId?: Secret;
  readonly awsSecretAccessKey?: Secret;
  readonly awsSessionToken?: Secret;
}

/** What to deploy where, as the CLI takes it (file paths are filled in here). */
export interface DeployTarget {
  readonly environment: EnvironmentName;
  readonly commit: string;
  readonly images: ReleaseImages;
  readonly context?: string;
  readonly eksCluster?: string;
  readonly awsRegion?: string;
  readonly dryRun?: boolean;
  readonly timeout?: string;
}

/** A deploy target from validated cluster arguments (ci/src/validate.ts). */
export function deployTarget(
  environment: EnvironmentName,
  commit: string,
  images: ReleaseImages,
  cluster: ValidClusterArgs,
  dryRun?: boolean,
): DeployTarget {
  return {
    environment,
    commit,
    images,
    context: cluster.kubeContext,
    eksCluster: cluster.eksCluster,
    awsRegion: cluster.awsRegion,
    timeout: cluster.deployTimeout,
    ...(dryRun ? { dryRun } : {}),
  };
}

/** The kubectl container that prints the overlay with the release's images pinned. */
export async function renderContainer(
  source: Directory,
  environment: EnvironmentName,
  images: ReleaseImages,
): Promise<Container> {
  const overlay = OVERLAYS[environment].dir;
  const kustomization = `${overlay}/kustomization.yaml`;
  const pinned = withImages(await source.file(kustomization).contents(), images);
  return dag
    .container()
    .from(KUBECTL_IMAGE)
    .withDirectory(`${RENDER_ROOT}/k8s`, source.directory("k8s"))
    .withNewFile(`${RENDER_ROOT}/${kustomization}`, pinned)
    .withWorkdir(RENDER_ROOT)
    .withExec(renderArgv(overlay));
}

/** The overlay rendered with the release's images, as YAML text. */
export async function renderOverlay(
  source: Directory,
  environment: EnvironmentName,
  images: ReleaseImages,
): Promise<string> {
  return (await renderContainer(source, environment, images)).stdout();
}

/** Rendered YAML as a File (the deployer's --manifests input). */
export function manifestsFile(yaml: string): File {
  return dag.directory().withNewFile("manifests.yaml", yaml).file("manifests.yaml");
}

/** The rendered overlay as a File. */
export async function renderedManifests(
  source: Directory,
  environment: EnvironmentName,
  images: ReleaseImages,
): Promise<File> {
  return manifestsFile(await renderOverlay(source, environment, images));
}

/**
 * Node with the module's production dependencies (client-node, the AWS signer, tsx) and its
 * sources. Install scripts are skipped: none is needed (the CLI was run from exactly such an
 * install, `npm ci --omit=dev --ignore-scripts` of ci/, on the development machine).
 */
export function deployerBase(source: Directory): Container {
  return dag
    .container()
    .from(NODE_IMAGE)
    .withMountedCache("/root/.npm", dag.cacheVolume("prestamos-npm"))
    .withWorkdir(DEPLOYER_WORKDIR)
    .withFile(`${DEPLOYER_WORKDIR}/package.json`, source.file("ci/package.json"))
    .withFile(`${DEPLOYER_WORKDIR}/package-lock.json`, source.file("ci/package-lock.json"))
    .withExec(["npm", "ci", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund"])
    .withDirectory(`${DEPLOYER_WORKDIR}/src`, source.directory("ci/src"));
}

/** Mounts the kubeconfig (node-owned, 0400) and sets the AWS credentials as secret variables. */
export function withCredentials(container: Container, credentials: Credentials): Container {
  let out = container.withMountedSecret(KUBECONFIG_PATH, credentials.kubeconfig, { owner: DEPLOYER_USER, mode: 0o400 });
  const aws: Array<[string, Secret | undefined]> = [
    ["AWS_ACCESS_KEY_ID", credentials.awsAccessKeyId],
    ["AWS_SECRET_ACCESS_KEY", credentials.awsSecretAccessKey],
    ["AWS_SESSION_TOKEN", credentials.awsSessionToken],
  ];
  for (const [name, secret] of aws) if (secret) out = out.withSecretVariable(name, secret);
  return out;
}

/** Binds the caller's API server (a host Service) under API_ALIAS. */
export function withKubeApi(container: Container, kubeApi: Service | undefined): Container {
  return kubeApi ? container.withServiceBinding(API_ALIAS, kubeApi) : container;
}

type Where = Pick<DeployTarget, "environment" | "context" | "eksCluster" | "awsRegion">;

function access(target: Where, kubeApi: Service | undefined): AccessOptions {
  return {
    environment: target.environment,
    kubeconfig: KUBECONFIG_PATH,
    context: target.context,
    apiHost: kubeApi ? API_ALIAS : undefined,
    eksCluster: target.eksCluster,
    awsRegion: target.awsRegion,
  };
}

/** Runs the CLI with `args` (validated first, by the CLI's own parser) after a cache-buster. */
function run(container: Container, args: string[]): Container {
  parseArgs(args); // bad arguments fail here, before any engine work
  return container
    .withUser(DEPLOYER_USER)
    .withEnvVariable("CACHEBUSTER", String(Date.now()))
    .withExec([...CLI_COMMAND, ...args]);
}

/** The deployer container that deploys (or dry-runs) `manifests`; its stdout is the deploy log. */
export function deployContainer(
  source: Directory,
  manifests: File,
  credentials: Credentials,
  target: DeployTarget,
  kubeApi?: Service,
): Container {
  const options: DeployOptions = {
    ...access(target, kubeApi),
    manifests: MANIFESTS_PATH,
    backendImage: target.images.backend,
    frontendImage: target.images.frontend,
    commit: target.commit,
    dryRun: target.dryRun,
    timeout: target.timeout,
  };
  const args = deployArgs(options);
  const base = withKubeApi(
    withCredentials(deployerBase(source).withMountedFile(MANIFESTS_PATH, manifests), credentials),
    kubeApi,
  );
  return run(base, args);
}

/** The deployer container that lists the namespace's release records (read-only). */
export function releasesContainer(
  source: Directory,
  credentials: Credentials,
  target: Where,
  kubeApi?: Service,
): Container {
  const args = releasesArgs(access(target, kubeApi));
  return run(withKubeApi(withCredentials(deployerBase(source), credentials), kubeApi), args);
}
