/**
 * Waits until every Deployment and StatefulSet of a release is rolled out, failing at once
 * on ProgressDeadlineExceeded or when a pod of the new revision waits for a reason that
 * does not resolve (CrashLoopBackOff, ImagePullBackOff, ErrImagePull,
 * CreateContainerConfigError…), instead of at the 10-minute progress deadline.
 */
import { objectId, type K8sObject } from "../manifests/render";
import { DeployError } from "./errors";
import { describeProblem, notReady, observedLatest, podProblem, workloadHealth, type PodProblem } from "./health";
import type { KubeClient } from "./kube-client";
import { currentPods } from "./pods";
import type { Resources } from "./resources";
import { sleep } from "./timing";

export const ROLLOUT_KINDS: ReadonlySet<string> = new Set(["Deployment", "StatefulSet"]);

/** A failed rollout, with the pod problems the diagnostics should show logs of. */
export class RolloutFailure extends DeployError {
  override readonly name = "RolloutFailure";
  constructor(
    message: string,
    readonly problems: readonly PodProblem[],
  ) {
    super("rollout", message);
  }
}

export interface RolloutOptions {
  readonly timeoutMs: number;
  readonly pollMs: number;
  readonly log: (line: string) => void;
}

async function readWorkload(resources: Resources, workload: K8sObject): Promise<K8sObject> {
  const live = await resources.read(workload);
  if (!live) throw new RolloutFailure(`${objectId(workload)} disappeared during the rollout`, []);
  return live;
}

export async function waitForRollout(
  client: KubeClient,
  resources: Resources,
  workloads: readonly K8sObject[],
  options: RolloutOptions,
): Promise<void> {
  const pending = new Map(workloads.filter((w) => ROLLOUT_KINDS.has(w.kind)).map((w) => [objectId(w), w]));
  const lastMessage = new Map<string, string>();
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    for (const [id, workload] of pending) {
      const live = await readWorkload(resources, workload);
      const health = workloadHealth(live);
      if (health.state === "ready") {
        options.log(`  ${id}: ${health.message}`);
        pending.delete(id);
        continue;
      }
      if (health.state === "failed") throw new RolloutFailure(`${id} ${health.message}`, []);
      // Until the controller observed the new spec, the "current" pods are the previous revision's.
      const pods = observedLatest(live) ? await currentPods(client, live) : [];
      const problems = pods.map(podProblem).filter((p): p is PodProblem => p !== undefined);
      if (problems[0]) throw new RolloutFailure(`${id} cannot start: ${describeProblem(problems[0])}`, problems);
      if (lastMessage.get(id) !== health.message) options.log(`  ${id}: ${health.message}`);
      lastMessage.set(id, health.message);
    }
    if (pending.size === 0) return;
    if (Date.now() >= deadline) {
      const states = [...pending.keys()].map((id) => `${id} (${lastMessage.get(id) ?? "not observed"})`);
      const problems: PodProblem[] = [];
      for (const workload of pending.values()) {
        const live = await readWorkload(resources, workload);
        problems.push(
          ...(await currentPods(client, live)).map(notReady).filter((p): p is PodProblem => p !== undefined),
        );
      }
      throw new RolloutFailure(
        `rollout timed out after ${Math.round(options.timeoutMs / 1000)}s: ${states.join(", ")}`,
        problems,
      );
    }
    await sleep(options.pollMs);
  }
}
