/**
 * The Kubernetes objects the architecture diagram must agree with: both overlays,
 * rendered by the k8s engineer's helper (`kubectl kustomize` under the hood).
 */
import path from "node:path";
import { renderOverlay } from "../../ci/src/manifests/render";
import { manifestWorkloads, mergeWorkloads, type WorkloadMap } from "../../docs/tools/diagrams";
import { REPO_ROOT } from "../support/run";

/** Overlays whose namespaces the architecture diagram draws. */
export const OVERLAYS = ["k8s/overlays/dev", "k8s/overlays/prod"] as const;

export async function overlayWorkloads(overlay: string): Promise<WorkloadMap> {
  return manifestWorkloads(await renderOverlay(path.join(REPO_ROOT, overlay)));
}

export async function allOverlayWorkloads(): Promise<WorkloadMap> {
  return mergeWorkloads(await Promise.all(OVERLAYS.map(overlayWorkloads)));
}
