/**
 * The migrations gate: each release's Job (named per release by release-plan.ts) runs to
 * Complete or Failed before anything that serves traffic changes.
 *
 * - A Job of the same name that Failed, or whose spec differs (same commit, rebuilt image),
 *   is deleted with propagationPolicy=Background (its pods go with it) and recreated:
 *   re-running the pipeline retries the migrations.
 * - Failed → DeployError("migration") carrying the last log lines of the failed containers.
 * - A Job pod that cannot start (ImagePullBackOff…) never reaches backoffLimit, so it fails
 *   the gate at once.
 */
import { objectId, type K8sObject } from "../manifests/render";
import type { Applier } from "./apply";
import { collectDiagnostics, failedContainers, lastLogLines } from "./diagnostics";
import { DeployError } from "./errors";
import { describeProblem, jobState, podProblem, type PodProblem } from "./health";
import type { KubeClient } from "./kube-client";
import { currentPods } from "./pods";
import { SPEC_HASH_ANNOTATION } from "./release-plan";
import type { Resources } from "./resources";
import { sleep } from "./timing";

export interface MigrationOptions {
  readonly timeoutMs: number;
  readonly pollMs: number;
  readonly log: (line: string) => void;
}

async function deleteAndWait(client: KubeClient, path: string, options: MigrationOptions): Promise<void> {
  await client.deleteInBackground(path);
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if ((await client.getOptional(path)) === undefined) return;
    await sleep(options.pollMs);
  }
  throw new DeployError("migration", `the previous Job at ${path} was not deleted in time`);
}

async function failedLogs(client: KubeClient, job: K8sObject): Promise<string[]> {
  const namespace = job.metadata.namespace ?? "";
  const lines: string[] = [];
  for (const pod of await currentPods(client, job)) {
    for (const container of failedContainers(pod))
      lines.push(...(await lastLogLines(client, namespace, pod.metadata.name, container)));
  }
  return lines;
}

async function runJob(
  client: KubeClient,
  resources: Resources,
  applier: Applier,
  job: K8sObject,
  options: MigrationOptions,
): Promise<void> {
  const id = objectId(job);
  const path = await resources.pathOf(job);
  const existing = await client.getOptional<K8sObject>(path);
  if (existing) {
    const failed = jobState(existing).state === "failed";
    const changed =
      existing.metadata.annotations?.[SPEC_HASH_ANNOTATION] !== job.metadata.annotations?.[SPEC_HASH_ANNOTATION];
    if (failed || changed) {
      options.log(`  ${id}: replacing the existing Job (${failed ? "it failed" : "its spec changed"})`);
      await deleteAndWait(client, path, options);
    }
  }
  await applier.apply(job);
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const live = await client.getOptional<K8sObject>(path);
    if (!live)
      throw new DeployError("migration", `${id} disappeared before it finished (ttlSecondsAfterFinished too short?)`);
    const state = jobState(live);
    if (state.state === "complete") {
      options.log(`  ${id}: Complete`);
      return;
    }
    if (state.state === "failed") {
      throw new DeployError(
        "migration",
        `${id} failed (${state.message}); nothing else was changed`,
        await failedLogs(client, live),
      );
    }
    const problems = (await currentPods(client, live)).map(podProblem).filter((p): p is PodProblem => p !== undefined);
    if (problems[0]) {
      const details = await collectDiagnostics(client, job.metadata.namespace ?? "", [job.metadata.name], []);
      throw new DeployError(
        "migration",
        `${id} cannot start: ${describeProblem(problems[0])}; nothing else was changed`,
        details,
      );
    }
    if (Date.now() >= deadline) {
      throw new DeployError(
        "migration",
        `${id} did not finish within ${Math.round(options.timeoutMs / 1000)}s; nothing else was changed`,
        await failedLogs(client, live),
      );
    }
    await sleep(options.pollMs);
  }
}

/** Runs the release's Jobs one after another. */
export async function runMigrations(
  client: KubeClient,
  resources: Resources,
  applier: Applier,
  jobs: readonly K8sObject[],
  options: MigrationOptions,
): Promise<void> {
  for (const job of jobs) await runJob(client, resources, applier, job, options);
}
