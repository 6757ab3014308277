/**
 * The deploy, phase by phase (each printed with its duration):
 *   validate   render input → checked, ordered release plan (nothing touched yet)
 *   connect    kubeconfig, API reachable, credentials accepted          (session.ts)
 *   preflight  kinds served and namespaced, RBAC allows every call, namespace exists (session.ts)
 *   lock       the namespace's Lease (a second deploy waits, then fails naming the holder)
 *   prerequisites (ExternalSecrets synced), migrations (Job Complete or Failed), apply, rollout, smoke test
 *   prune      only after a healthy rollout and smoke test
 *   record     the release record (ConfigMap) that a later rollback re-applies
 * A failed rollout or smoke test re-applies the last successful release, waits for it,
 * and fails with events and log lines. A dry run stops after preflight with a diff.
 */
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";

import type { K8sObject } from "../manifests/render";
import { OVERLAYS } from "../manifests/overlays";
import { Applier, hpaTargets } from "./apply";
import { groupKindsOf } from "./applyset";
import { collectDiagnostics } from "./diagnostics";
import { dryRunReport } from "./dry-run";
import { waitForExternalSecrets } from "./external-secrets";
import { DeployError } from "./errors";
import type { PodProblem } from "./health";
import { DeployLock } from "./lock";
import { runMigrations } from "./migrations";
import { Progress, type Log } from "./progress";
import { currentGroupKinds, deleteCandidates, describeCandidate, findPrunable, writeParent } from "./prune";
import {
  encodeManifest,
  DeployHistory,
  secretDataHash,
  DATA_HASH_ANNOTATION,
  type Outcome,
  type DeployRevision,
} from "./releases";
import {
  groupObjects,
  orderedObjects,
  planRelease,
  shortCommit,
  type EnvironmentName,
  type ReleaseInput,
} from "./release-plan";
import { RolloutFailure, waitForRollout } from "./rollout";
import { connect, forbidden, preflight, type ClusterAccess, type Session } from "./session";
import { missingSmokeTargets, runSmokeTests } from "./smoke";
import { DEFAULT_TIMING, type Timing } from "./timing";

export type { ClusterAccess } from "./session";

export interface DeployRequest extends ReleaseInput {
  /** The rendered overlay (multi-document YAML). */
  readonly manifests: string;
  readonly access: ClusterAccess;
  readonly dryRun?: boolean;
  readonly timing?: Partial<Timing>;
  /** Lock holder identity; default host/pid/commit/random. */
  readonly identity?: string;
}

export interface DeployResult {
  readonly outcome: "succeeded" | "dry-run";
  readonly revision?: number;
  readonly durationMs: number;
}

function namespaceOf(environment: EnvironmentName): string {
  return OVERLAYS[environment].namespace;
}

function defaultIdentity(commit: string): string {
  return `${hostname()}/${process.pid}/${shortCommit(commit)}/${randomBytes(3).toString("hex")}`;
}

function workloadsOf(objects: readonly K8sObject[]): K8sObject[] {
  return objects.filter((o) => o.kind === "Deployment" || o.kind === "StatefulSet");
}

interface Rollback {
  readonly record: DeployRevision;
  readonly objects: K8sObject[];
}

/** Re-applies the last successful release (no Jobs: migrations are forward-only), waits, prunes to it. */
async function rollBack(
  session: Session,
  previous: Rollback,
  groupKinds: readonly string[],
  timing: Timing,
  log: Log,
): Promise<void> {
  const { client, resources, namespace } = session;
  const secrets = previous.objects.filter((o) => o.kind === "Secret");
  for (const secret of secrets) {
    const live = await resources.read(secret);
    if (!live)
      log(
        `  warning: Secret ${secret.metadata.name} of v${previous.record.revision} no longer exists and cannot be restored from the record`,
      );
    else if (secretDataHash(live) !== secret.metadata.annotations?.[DATA_HASH_ANNOTATION]) {
      log(
        `  warning: Secret ${secret.metadata.name} changed since v${previous.record.revision}; its old values are not stored, so it stays as it is`,
      );
    }
  }
  const objects = orderedObjects(groupObjects(previous.objects.filter((o) => o.kind !== "Job" && o.kind !== "Secret")));
  const applier = new Applier(client, resources, hpaTargets(objects));
  await applier.applyAll(objects);
  await waitForRollout(client, resources, workloadsOf(objects), {
    timeoutMs: timing.waitTimeoutMs,
    pollMs: timing.pollMs,
    log,
  });
  const stale = await findPrunable(client, resources, namespace, groupKinds, previous.objects);
  await deleteCandidates(client, namespace, stale);
  await writeParent(applier, namespace, groupKindsOf(previous.objects));
  log(
    `  restored v${previous.record.revision} (commit ${shortCommit(previous.record.commit)}), removed ${stale.length} object(s) of the failed release`,
  );
}

/** Deploys one release. Resolves on success (or after a dry run); throws DeployError otherwise. */
export async function deploy(request: DeployRequest, log: Log): Promise<DeployResult> {
  const timing: Timing = { ...DEFAULT_TIMING, ...request.timing };
  const progress = new Progress(log);
  const namespace = namespaceOf(request.environment);

  const { plan, manifest } = await progress.phase("validate", async () => {
    const planned = await planRelease(request.manifests, request);
    const missingTargets = missingSmokeTargets(planned.objects);
    if (missingTargets.length)
      throw new DeployError("validation", "the smoke test needs objects the release does not contain", missingTargets);
    const encoded = encodeManifest(planned.objects);
    log(
      `  ${planned.objects.length} objects for ${namespace}, commit ${shortCommit(planned.commit)}; schema and policy checks passed`,
    );
    return { plan: planned, manifest: encoded };
  });
  const session = await progress.phase("connect", () => connect(request.access, namespace, timing, log));
  const { client, resources } = session;
  const planKinds = groupKindsOf(plan.objects);
  const previousKinds = await progress.phase("preflight", async () => {
    const kinds = await currentGroupKinds(client, namespace);
    await preflight(session, plan, kinds, Boolean(request.dryRun), log);
    return kinds;
  });
  const allKinds = [...new Set([...previousKinds, ...planKinds])].sort();
  const applier = new Applier(client, resources, hpaTargets(plan.objects));

  if (request.dryRun) {
    const lines = await progress.phase("dry run", () =>
      dryRunReport({ client, resources, applier, namespace, objects: plan.objects, groupKinds: allKinds }),
    );
    for (const line of lines) log(line);
    return { outcome: "dry-run", durationMs: progress.totalMs() };
  }

  const lock = await progress.phase("lock", () =>
    DeployLock.acquire(client, namespace, {
      identity: request.identity ?? defaultIdentity(plan.commit),
      leaseDurationSeconds: timing.leaseDurationSeconds,
      waitMs: timing.lockWaitMs,
      pollMs: timing.pollMs,
      log,
    }),
  );
  const store = new DeployHistory(client, namespace);
  const startedAt = new Date().toISOString();
  try {
    const revision = ((await store.list())[0]?.revision ?? 0) + 1;
    const previous = await store.lastSucceeded();
    const record = async (outcome: Outcome, message: string): Promise<void> => {
      try {
        await store.save(
          applier,
          {
            revision,
            environment: plan.environment,
            commit: plan.commit,
            backendImage: plan.images.backend,
            frontendImage: plan.images.frontend,
            outcome,
            startedAt,
            finishedAt: new Date().toISOString(),
            message,
          },
          manifest,
        );
      } catch (error) {
        log(
          `  warning: release record v${revision} not written (${error instanceof Error ? error.message : String(error)})`,
        );
      }
    };
    const step = async (name: string, fn: () => Promise<unknown>): Promise<void> => {
      lock.check();
      await progress.phase(name, fn);
    };

    try {
      await step("prerequisites", async () => {
        await writeParent(applier, namespace, allKinds);
        await applier.applyAll([...plan.groups.prerequisites, ...plan.groups.backing]);
        await waitForExternalSecrets(resources, plan.groups.prerequisites, {
          timeoutMs: timing.waitTimeoutMs,
          pollMs: timing.pollMs,
          log,
        });
      });
      await step("migrations", () =>
        runMigrations(client, resources, applier, plan.groups.migrations, {
          timeoutMs: timing.waitTimeoutMs,
          pollMs: timing.pollMs,
          log,
        }),
      );
    } catch (error) {
      await record("failed", error instanceof Error ? error.message : String(error));
      throw error;
    }

    try {
      await step("apply", () => applier.applyAll(plan.groups.workloads));
      await step("rollout", () =>
        waitForRollout(client, resources, workloadsOf(plan.objects), {
          timeoutMs: timing.waitTimeoutMs,
          pollMs: timing.pollMs,
          log,
        }),
      );
      await step("smoke test", () =>
        runSmokeTests(client, namespace, { attempts: timing.smokeAttempts, delayMs: timing.smokeDelayMs, log }),
      );
    } catch (error) {
      const failure =
        error instanceof DeployError
          ? error
          : new DeployError("api", error instanceof Error ? error.message : String(error));
      if (failure.kind === "lock") throw failure;
      const problems: readonly PodProblem[] = failure instanceof RolloutFailure ? failure.problems : [];
      const names = [...workloadsOf(plan.objects), ...plan.groups.migrations].map((o) => o.metadata.name);
      const diagnostics = [...failure.details, ...(await collectDiagnostics(client, namespace, names, problems))];
      if (!previous) {
        await record("failed", `${failure.message}; no previous successful release`);
        throw new DeployError(
          failure.kind,
          `${failure.message}; no previous successful release to roll back to`,
          diagnostics,
        );
      }
      try {
        await progress.phase(`rollback to v${previous.record.revision}`, () =>
          rollBack(session, previous, allKinds, timing, log),
        );
      } catch (rollbackError) {
        const why = rollbackError instanceof Error ? rollbackError.message : String(rollbackError);
        await record("failed", `${failure.message}; rollback to v${previous.record.revision} failed: ${why}`);
        throw new DeployError(
          "rollback",
          `${failure.message}; the rollback to v${previous.record.revision} failed too: ${why}`,
          diagnostics,
        );
      }
      await record("rolled-back", `${failure.message}; rolled back to v${previous.record.revision}`);
      throw new DeployError(
        failure.kind,
        `${failure.message}; rolled back to v${previous.record.revision} (commit ${shortCommit(previous.record.commit)})`,
        diagnostics,
      );
    }

    await step("prune", async () => {
      const stale = await findPrunable(client, resources, namespace, allKinds, plan.objects);
      for (const candidate of stale) log(`  delete ${describeCandidate(candidate)}`);
      await deleteCandidates(client, namespace, stale);
      await writeParent(applier, namespace, planKinds);
    });
    await step("record", () => record("succeeded", ""));
    log(
      `deployed v${revision} (commit ${shortCommit(plan.commit)}) to ${namespace} in ${(progress.totalMs() / 1000).toFixed(1)}s`,
    );
    return { outcome: "succeeded", revision, durationMs: progress.totalMs() };
  } finally {
    await lock.release();
  }
}

/** The recorded releases of an environment's namespace, newest first (read-only). */
export async function listReleases(
  environment: EnvironmentName,
  access: ClusterAccess,
  log: Log,
  timing: Partial<Timing> = {},
): Promise<DeployRevision[]> {
  const namespace = namespaceOf(environment);
  const session = await connect(access, namespace, { ...DEFAULT_TIMING, ...timing }, log);
  try {
    return await new DeployHistory(session.client, namespace).list();
  } catch (error) {
    throw forbidden(error, "list configmaps", namespace) ?? error;
  }
}
