/**
 * Health of Deployments, StatefulSets, Jobs and pods from their status, as kubectl rollout
 * status and kstatus read it. Pure: objects in, verdicts out.
 */
import { isRecord, type K8sObject } from "../manifests/render";

export type RolloutState = "progressing" | "ready" | "failed";

export interface Health {
  readonly state: RolloutState;
  readonly message: string;
}

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

/** Waiting reasons that never resolve on their own: the rollout fails at once instead of at its deadline. */
export const FAIL_FAST_REASONS: ReadonlySet<string> = new Set([
  "CrashLoopBackOff",
  "ImagePullBackOff",
  "ErrImagePull",
  "InvalidImageName",
  "CreateContainerConfigError",
  "CreateContainerError",
  "RunContainerError",
]);

const num = (value: unknown, fallback = 0): number => (typeof value === "number" ? value : fallback);
const rec = (value: unknown): Record<string, unknown> => (isRecord(value) ? value : {});

function conditions(object: K8sObject): Condition[] {
  const list = rec(object.status).conditions;
  return Array.isArray(list) ? (list as Condition[]) : [];
}

function condition(object: K8sObject, type: string): Condition | undefined {
  return conditions(object).find((c) => c.type === type);
}

/** Whether the controller has seen the latest spec; before that, status and pods describe the previous one. */
export function observedLatest(object: K8sObject): boolean {
  return num(object.metadata.generation) <= num(rec(object.status).observedGeneration, -1);
}

function observed(object: K8sObject): Health | undefined {
  return observedLatest(object)
    ? undefined
    : {
        state: "progressing",
        message: `waiting for the controller to observe generation ${num(object.metadata.generation)}`,
      };
}

/** kubectl's order: observedGeneration, deadline, updated, old replicas, available. */
export function deploymentHealth(deployment: K8sObject): Health {
  const pending = observed(deployment);
  if (pending) return pending;
  const progressing = condition(deployment, "Progressing");
  if (progressing?.reason === "ProgressDeadlineExceeded") {
    return {
      state: "failed",
      message: `exceeded its progress deadline (${progressing.message ?? "ProgressDeadlineExceeded"})`,
    };
  }
  const status = rec(deployment.status);
  const desired = num(rec(deployment.spec).replicas, 1);
  const updated = num(status.updatedReplicas);
  const replicas = num(status.replicas);
  const available = num(status.availableReplicas);
  if (updated < desired) return { state: "progressing", message: `${updated} of ${desired} replicas updated` };
  if (replicas > updated)
    return { state: "progressing", message: `${replicas - updated} old replica(s) pending termination` };
  if (available < updated)
    return { state: "progressing", message: `${available} of ${updated} updated replicas available` };
  return { state: "ready", message: `${available} replica(s) available` };
}

export function statefulSetHealth(statefulSet: K8sObject): Health {
  const pending = observed(statefulSet);
  if (pending) return pending;
  const spec = rec(statefulSet.spec);
  const status = rec(statefulSet.status);
  const desired = num(spec.replicas, 1);
  const partition = num(rec(rec(spec.updateStrategy).rollingUpdate).partition);
  const ready = num(status.readyReplicas);
  const updated = num(status.updatedReplicas);
  if (ready < desired) return { state: "progressing", message: `${ready} of ${desired} replicas ready` };
  if (updated < desired - partition)
    return { state: "progressing", message: `${updated} of ${desired - partition} replicas updated` };
  if (partition === 0 && status.currentRevision !== status.updateRevision) {
    return { state: "progressing", message: "waiting for the update revision to become current" };
  }
  return { state: "ready", message: `${ready} replica(s) ready` };
}

export function workloadHealth(object: K8sObject): Health {
  return object.kind === "StatefulSet" ? statefulSetHealth(object) : deploymentHealth(object);
}

export type JobState = "running" | "complete" | "failed";

/** Only the terminal conditions count (FailureTarget/SuccessCriteriaMet are interim). */
export function jobState(job: K8sObject): { state: JobState; message: string } {
  const complete = condition(job, "Complete");
  if (complete?.status === "True") return { state: "complete", message: "Complete" };
  const failed = condition(job, "Failed");
  if (failed?.status === "True") {
    return { state: "failed", message: `${failed.reason ?? "Failed"}${failed.message ? `: ${failed.message}` : ""}` };
  }
  return { state: "running", message: `${num(rec(job.status).active)} active pod(s)` };
}

export interface PodProblem {
  readonly pod: string;
  readonly container: string;
  readonly reason: string;
  readonly message: string;
  /** The container has restarted: its previous instance's log explains the crash. */
  readonly restarted: boolean;
}

interface ContainerStatus {
  name?: string;
  restartCount?: number;
  state?: { waiting?: { reason?: string; message?: string } };
}

/** The first container (init containers included) waiting for a reason that will not resolve. */
export function podProblem(pod: K8sObject): PodProblem | undefined {
  const status = rec(pod.status);
  const statuses = [
    ...((status.initContainerStatuses as ContainerStatus[] | undefined) ?? []),
    ...((status.containerStatuses as ContainerStatus[] | undefined) ?? []),
  ];
  for (const s of statuses) {
    const waiting = s.state?.waiting;
    if (waiting?.reason && FAIL_FAST_REASONS.has(waiting.reason)) {
      return {
        pod: pod.metadata.name,
        container: s.name ?? "?",
        reason: waiting.reason,
        message: waiting.message ?? "",
        restarted: num(s.restartCount) > 0,
      };
    }
  }
  return undefined;
}

export function describeProblem(problem: PodProblem): string {
  return `pod ${problem.pod} container ${problem.container}: ${problem.reason}${problem.message ? ` (${problem.message})` : ""}`;
}

/** The first container of a pod that is not ready (for the logs of a rollout that timed out). */
export function notReady(pod: K8sObject): PodProblem | undefined {
  const statuses =
    (rec(pod.status).containerStatuses as Array<ContainerStatus & { ready?: boolean }> | undefined) ?? [];
  const waiting = statuses.find((s) => s.ready !== true);
  if (!waiting) return undefined;
  return {
    pod: pod.metadata.name,
    container: waiting.name ?? "?",
    reason: "NotReady",
    message: waiting.state?.waiting?.reason ?? "running but not ready",
    restarted: num(waiting.restartCount) > 0,
  };
}

/**
 * An ExternalSecret of the External Secrets Operator: synced when its Ready condition is
 * True for the current spec. ESO writes `status.syncedResourceVersion` as
 * `<metadata.generation>-<hash of labels and annotations>` (pkg/controllers/util
 * GetResourceVersion), so a Ready left over from the previous spec does not count.
 */
export function externalSecretHealth(externalSecret: K8sObject): Health {
  const generation = num(externalSecret.metadata.generation);
  const synced = rec(externalSecret.status).syncedResourceVersion;
  const ready = condition(externalSecret, "Ready");
  const why = `${ready?.reason ?? "no Ready condition"}${ready?.message ? `: ${ready.message}` : ""}`;
  if (typeof synced !== "string" || !synced.startsWith(`${generation}-`)) {
    return { state: "progressing", message: `waiting for the operator to sync generation ${generation}` };
  }
  if (ready?.status === "True") return { state: "ready", message: "synced" };
  return ready?.status === "False"
    ? { state: "failed", message: `not synced (${why})` }
    : { state: "progressing", message: why };
}
