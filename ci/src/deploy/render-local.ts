/**
 * Native rendering for a terminal deploy (the CLI's `render` command): the overlay with
 * the release's images pinned, exactly as the Dagger render container does it (withImages
 * on the overlay's kustomization, then `kubectl kustomize`), on a temporary copy of k8s/
 * so the working tree is never modified.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { withImages } from "../manifests/images";
import { OVERLAYS } from "../manifests/overlays";
import { kustomizeBuild } from "../manifests/render";
import { DeployError } from "./errors";
import type { EnvironmentName } from "./release-plan";

/** Renders `environment`'s overlay from the repository at `repoRoot` with the given images. */
export async function renderWithImages(
  repoRoot: string,
  environment: EnvironmentName,
  images: { backend: string; frontend: string },
): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), "prestamos-render-"));
  try {
    try {
      cpSync(path.join(repoRoot, "k8s"), path.join(dir, "k8s"), { recursive: true });
    } catch {
      throw new DeployError("arguments", `no k8s/ folder under ${repoRoot}: run from the repository root`);
    }
    const overlay = path.join(dir, OVERLAYS[environment].dir);
    const kustomization = path.join(overlay, "kustomization.yaml");
    writeFileSync(kustomization, withImages(readFileSync(kustomization, "utf8"), images));
    return await kustomizeBuild(overlay);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
