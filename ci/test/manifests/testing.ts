/**
 * Test-only helpers: render overlays of this repository once per process.
 */
import { fileURLToPath } from "node:url";
import { resolve } from "node:path";
import { renderOverlay, type K8sObject } from "../../src/manifests/render";

/** The repository root (ci/src/manifests/../../..). */
export const REPO_ROOT = resolve(fileURLToPath(new URL(".", import.meta.url)), "../../..");

const cache = new Map<string, Promise<K8sObject[]>>();

/** Render a repo-relative overlay dir, cached. Callers must not mutate the result. */
export function renderRepo(dir: string): Promise<K8sObject[]> {
  const abs = resolve(REPO_ROOT, dir);
  let pending = cache.get(abs);
  if (!pending) {
    pending = renderOverlay(abs);
    cache.set(abs, pending);
  }
  return pending;
}
