/**
 * Test fixtures for the deploy engine: the repository's real overlays rendered with given
 * images (by the CLI's native render: withImages + kubectl kustomize), a running
 * Kubernetes API double with the shipped deployer Role, and kubeconfigs pointing at it.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";

import { stringify } from "yaml";

import type { DeployRequest, ClusterAccess } from "../../src/deploy/engine";
import type { EnvironmentName } from "../../src/deploy/release-plan";
import { renderWithImages } from "../../src/deploy/render-local";
import type { Timing } from "../../src/deploy/timing";
import { kustomizeBuild, parseManifests } from "../../src/manifests/render";
import { KubeApiDouble, type Rule } from "./kube-double";
import { makeTls, type TlsMaterial } from "./tls";

export const REPO_ROOT = path.resolve(fileURLToPath(new URL(".", import.meta.url)), "../../..");
export const TOKEN = "test-token-KNOWN-5e2d9c";
export const COMMIT_A = "1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
export const COMMIT_B = "2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

export const digest = (seed: string): string => `sha256:${seed.repeat(64).slice(0, 64)}`;
export const imagesFor = (seed: string, registry = "ghcr.io/acme/prestamos") => ({
  backend: `${registry}/backend@${digest(seed)}`,
  frontend: `${registry}/frontend@${digest(seed)}`,
});

/** Quick polls; generous limits so a loaded machine never hits them (tests of timeouts set their own). */
export const FAST: Partial<Timing> = {
  pollMs: 5,
  waitTimeoutMs: 30_000,
  lockWaitMs: 200,
  smokeAttempts: 2,
  smokeDelayMs: 5,
  requestTimeoutMs: 20_000,
};

const renders = new Map<string, Promise<string>>();

/** The overlay of `environment` rendered with the given images (cached per process). */
export function renderRelease(
  environment: EnvironmentName,
  images: { backend: string; frontend: string },
): Promise<string> {
  const key = JSON.stringify([environment, images]);
  let pending = renders.get(key);
  if (!pending) {
    pending = renderWithImages(REPO_ROOT, environment, images);
    renders.set(key, pending);
  }
  return pending;
}

/** Rendered YAML with `edit` applied to the parsed objects (for releases that add or drop objects). */
export async function editedRelease(
  environment: EnvironmentName,
  images: { backend: string; frontend: string },
  edit: (objects: ReturnType<typeof parseManifests>) => ReturnType<typeof parseManifests>,
): Promise<string> {
  return edit(parseManifests(await renderRelease(environment, images)))
    .map((o) => stringify(o))
    .join("---\n");
}

/** The Role rules of k8s/deployer for an environment, as the double enforces them. */
export async function deployerRules(environment: EnvironmentName): Promise<Rule[]> {
  const objects = parseManifests(await kustomizeBuild(path.join(REPO_ROOT, "k8s/deployer", environment)));
  return objects.filter((o) => o.kind === "Role").flatMap((o) => (o as unknown as { rules: Rule[] }).rules);
}

export interface KubeconfigSpec {
  server: string;
  ca?: string;
  token?: string;
  clientCert?: string;
  clientKey?: string;
  exec?: { command: string; args: string[] };
  context?: string;
  namespace?: string;
  tlsServerName?: string;
}

export function kubeconfigYaml(spec: KubeconfigSpec): string {
  const b64 = (text: string) => Buffer.from(text).toString("base64");
  const user: Record<string, unknown> = {};
  if (spec.token) user.token = spec.token;
  if (spec.clientCert) user["client-certificate-data"] = b64(spec.clientCert);
  if (spec.clientKey) user["client-key-data"] = b64(spec.clientKey);
  if (spec.exec)
    user.exec = {
      apiVersion: "client.authentication.k8s.io/v1beta1",
      command: spec.exec.command,
      args: spec.exec.args,
      interactiveMode: "Never",
    };
  const context = spec.context ?? "test";
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: "test-cluster",
        cluster: {
          server: spec.server,
          ...(spec.ca ? { "certificate-authority-data": b64(spec.ca) } : {}),
          ...(spec.tlsServerName ? { "tls-server-name": spec.tlsServerName } : {}),
        },
      },
    ],
    users: [{ name: "test-user", user }],
    contexts: [
      {
        name: context,
        context: {
          cluster: "test-cluster",
          user: "test-user",
          ...(spec.namespace ? { namespace: spec.namespace } : {}),
        },
      },
    ],
    "current-context": context,
  });
}

export interface Cluster {
  readonly double: KubeApiDouble;
  readonly tls: TlsMaterial;
  readonly access: ClusterAccess;
}

/** A running double with both namespaces, the token user and (by default) the shipped deployer Role. */
export async function startCluster(
  environment: EnvironmentName = "dev",
  options: { rules?: Rule[] | "none" } = {},
): Promise<Cluster> {
  const tls = makeTls();
  const rules = options.rules === "none" ? undefined : (options.rules ?? (await deployerRules(environment)));
  const double = new KubeApiDouble({
    tls,
    tokens: { [TOKEN]: "ci-deployer" },
    namespaces: ["challenge-dev", "challenge-prd"],
    rules,
  });
  const server = await double.start();
  return { double, tls, access: { kubeconfig: kubeconfigYaml({ server, ca: tls.caCert, token: TOKEN }) } };
}

/** A deploy request for `cluster` with fast timings. */
export async function request(
  cluster: Cluster,
  environment: EnvironmentName,
  commit: string,
  images: { backend: string; frontend: string },
  extra: Partial<DeployRequest> = {},
): Promise<DeployRequest> {
  return {
    environment,
    commit,
    backendImage: images.backend,
    frontendImage: images.frontend,
    manifests: await renderRelease(environment, images),
    access: cluster.access,
    timing: FAST,
    ...extra,
  };
}
