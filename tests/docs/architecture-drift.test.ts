// (2) The architecture diagram names exactly the namespaces and workloads that the
// rendered dev and prod overlays create (convention: see docs/diagrams/architecture.mmd).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { diagramWorkloads, workloadDrift } from "../../docs/tools/diagrams";
import { DIAGRAMS_DIR } from "../../docs/tools/files";
import { REPO_ROOT } from "../support/run";
import { OVERLAYS, allOverlayWorkloads } from "./manifests";

describe("architecture diagram vs. k8s overlays", () => {
  it.each(OVERLAYS)("%s exists", (overlay) => {
    expect(existsSync(path.join(REPO_ROOT, overlay, "kustomization.yaml"))).toBe(true);
  });

  it("draws every namespace, Deployment, StatefulSet, Job, Service and HPA, and nothing else", async () => {
    const manifests = await allOverlayWorkloads();
    expect([...manifests.byNamespace.keys()].sort()).toEqual(["challenge-dev", "challenge-prd"]);
    const diagram = diagramWorkloads(readFileSync(path.join(DIAGRAMS_DIR, "architecture.mmd"), "utf8"));
    expect(workloadDrift(manifests, diagram)).toEqual([]);
  }, 60_000);
});
