/**
 * Waits until the release's ExternalSecrets have written their Secrets, before the
 * migrations Job and the Deployments read them. Without the wait, the first deploy of a
 * namespace (or of a new ExternalSecret) races the operator: the Job's pod gets
 * CreateContainerConfigError (`secret "…" not found`), which the migrations gate rightly
 * treats as a failure. A store or provider error (Ready False) fails at once with the
 * operator's message; nothing that serves traffic has changed by then.
 */
import { objectId, type K8sObject } from "../manifests/render";
import { DeployError } from "./errors";
import { externalSecretHealth } from "./health";
import type { Resources } from "./resources";
import { sleep } from "./timing";

export const EXTERNAL_SECRET_KIND = "ExternalSecret";

export interface SecretSyncOptions {
  readonly timeoutMs: number;
  readonly pollMs: number;
  readonly log: (line: string) => void;
}

export async function waitForExternalSecrets(
  resources: Resources,
  objects: readonly K8sObject[],
  options: SecretSyncOptions,
): Promise<void> {
  const pending = new Map(objects.filter((o) => o.kind === EXTERNAL_SECRET_KIND).map((o) => [objectId(o), o]));
  const last = new Map<string, string>();
  const deadline = Date.now() + options.timeoutMs;
  while (pending.size > 0) {
    for (const [id, object] of pending) {
      const live = await resources.read(object);
      if (!live) throw new DeployError("secrets", `${id} disappeared while waiting for it to sync`);
      const health = externalSecretHealth(live);
      if (health.state === "failed")
        throw new DeployError("secrets", `${id} ${health.message}; no workload was changed`);
      if (health.state === "ready") {
        options.log(`  ${id}: ${health.message}`);
        pending.delete(id);
      } else last.set(id, health.message);
    }
    if (pending.size === 0) return;
    if (Date.now() >= deadline) {
      const states = [...pending.keys()].map((id) => `${id} (${last.get(id) ?? "not read"})`);
      throw new DeployError(
        "secrets",
        `ExternalSecrets not synced within ${Math.round(options.timeoutMs / 1000)}s: ${states.join(", ")}; no workload was changed`,
      );
    }
    await sleep(options.pollMs);
  }
}
