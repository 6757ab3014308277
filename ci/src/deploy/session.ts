/**
 * Connecting to the cluster and the checks that can refuse a deploy before anything
 * changes: the kubeconfig, the API answering and accepting the credentials (401), every
 * kind served and namespaced, RBAC allowing each call the deploy will make (403, from a
 * SelfSubjectRulesReview), the namespace existing (a dryRun=All create of the lock Lease).
 */
import { objectId, type K8sObject } from "../manifests/render";
import { OVERLAYS } from "../manifests/overlays";
import { accessError, DeployError } from "./errors";
import { ApiError, KubeClient } from "./kube-client";
import { loadKubeconfig, type LoadedKubeconfig } from "./kubeconfig";
import { LOCK_NAME, namespaceMissing } from "./lock";
import { describePermission, missingPermissions, requiredPermissions, type PolicyRule } from "./permissions";
import type { Log } from "./progress";
import type { ReleasePlan } from "./release-plan";
import { Resources, type ResourceInfo } from "./resources";
import type { Timing } from "./timing";

export interface ClusterAccess {
  /** Kubeconfig YAML (never printed). */
  readonly kubeconfig: string;
  /** Folder of the kubeconfig file, for relative certificate paths. */
  readonly kubeconfigDir?: string;
  readonly context?: string;
  readonly apiHost?: string;
  readonly eksCluster?: string;
  readonly awsRegion?: string;
  readonly env?: NodeJS.ProcessEnv;
}

export interface Session {
  readonly kubeconfig: LoadedKubeconfig;
  readonly client: KubeClient;
  readonly resources: Resources;
  readonly namespace: string;
}

/** Loads the kubeconfig and checks that the API answers and accepts the credentials. */
export async function connect(access: ClusterAccess, namespace: string, timing: Timing, log: Log): Promise<Session> {
  const kubeconfig = loadKubeconfig({
    text: access.kubeconfig,
    context: access.context,
    namespace,
    foreignNamespaces: Object.values(OVERLAYS)
      .map((o) => o.namespace)
      .filter((n) => n !== namespace),
    apiHost: access.apiHost,
    eksCluster: access.eksCluster,
    awsRegion: access.awsRegion,
    env: access.env,
    baseDir: access.kubeconfigDir,
  });
  const client = new KubeClient(kubeconfig.kubeConfig, kubeconfig.server, timing.requestTimeoutMs);
  let version: { gitVersion?: string };
  try {
    version = await client.json<{ gitVersion?: string }>("GET", "/version");
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      const hint =
        kubeconfig.auth === "eks"
          ? "is the IAM role mapped to the cluster by an EKS access entry?"
          : "expired or revoked credentials?";
      throw accessError(
        `401 Unauthorized: the API server at ${kubeconfig.server} rejected the credentials of context ${kubeconfig.context} (${hint})`,
      );
    }
    if (!(error instanceof ApiError && error.status === 403)) throw error; // /version may be closed to us; later calls tell
    version = {};
  }
  log(
    `  context ${kubeconfig.context}, ${kubeconfig.server}, ${kubeconfig.auth} auth, Kubernetes ${version.gitVersion ?? "(version hidden)"}`,
  );
  return { kubeconfig, client, resources: new Resources(client), namespace };
}

/** A 403 as the one-line access error. */
export function forbidden(error: unknown, what: string, namespace: string): DeployError | undefined {
  if (error instanceof ApiError && error.status === 403) {
    return accessError(`403 Forbidden: the deployer may not ${what} in ${namespace} (${error.message})`);
  }
  return undefined;
}

async function resolveKinds(
  session: Session,
  objects: readonly K8sObject[],
  groupKinds: readonly string[],
): Promise<{ applied: ResourceInfo[]; pruned: ResourceInfo[] }> {
  const applied: ResourceInfo[] = [];
  for (const object of objects) {
    const info = await session.resources.forObject(object);
    if (!info.namespaced)
      throw new DeployError(
        "validation",
        `${objectId(object)} is cluster-scoped: the namespaced deployer cannot apply it`,
      );
    applied.push(info);
  }
  const pruned: ResourceInfo[] = [];
  for (const groupKind of groupKinds) pruned.push(await session.resources.forGroupKind(groupKind));
  return { applied, pruned };
}

/** Everything that can refuse the deploy without changing anything. */
export async function preflight(
  session: Session,
  plan: ReleasePlan,
  previousKinds: readonly string[],
  dryRun: boolean,
  log: Log,
): Promise<void> {
  const { client, namespace } = session;
  const { applied, pruned } = await resolveKinds(session, plan.objects, previousKinds);
  const required = requiredPermissions(applied, pruned, dryRun);
  let review: { status?: { resourceRules?: PolicyRule[]; incomplete?: boolean } };
  try {
    review = await client.json("POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", {
      body: { apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectRulesReview", spec: { namespace } },
    });
  } catch (error) {
    throw forbidden(error, "review its own permissions", namespace) ?? error;
  }
  const missing = missingPermissions(review.status?.resourceRules ?? [], required);
  if (review.status?.incomplete) {
    log(
      `  the cluster's rules review is incomplete (e.g. EKS access policies): ${missing.length} permission(s) could not be confirmed`,
    );
  } else if (missing.length) {
    throw accessError(
      `403: the deployer lacks ${missing.length} permission(s) in ${namespace} (apply k8s/deployer/ for this namespace)`,
      missing.map(describePermission),
    );
  }
  try {
    await client.json("POST", `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases`, {
      query: { dryRun: "All" },
      body: { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: LOCK_NAME, namespace }, spec: {} },
    });
  } catch (error) {
    const clear = namespaceMissing(error, namespace) ?? forbidden(error, "create leases", namespace);
    if (clear) throw clear;
    if (!(error instanceof ApiError && error.status === 409)) throw error; // 409: the Lease exists, so does the namespace
  }
  log(
    `  namespace ${namespace} exists; ${required.length} permissions checked; the Namespace object itself is left to cluster admins`,
  );
}
