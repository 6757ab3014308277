import { describe, expect, it } from "vitest";
import { kustomizeBuild, parseManifests, RenderError } from "../../src/manifests/render";
import { OVERLAYS } from "../../src/manifests/overlays";
import { renderRepo } from "./testing";

describe("parseManifests", () => {
  it("parses multi-document YAML and skips empty documents", () => {
    const objects = parseManifests(
      "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\n",
    );
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(["ConfigMap/a", "Service/b"]);
  });

  it("rejects YAML errors and non-objects, naming the document", () => {
    expect(() => parseManifests("a: [1, 2\n")).toThrow(RenderError);
    expect(() => parseManifests("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n- 1\n")).toThrow(
      /document 1/,
    );
  });
});

describe("kustomizeBuild", () => {
  it("explains a missing kubectl", async () => {
    await expect(kustomizeBuild("k8s/overlays/dev", { kubectl: "/nonexistent/kubectl" })).rejects.toThrow(
      /kubectl not found/,
    );
  });

  it("reports kustomize errors", async () => {
    await expect(kustomizeBuild("/nonexistent-overlay")).rejects.toThrow(
      /kubectl kustomize \/nonexistent-overlay failed/,
    );
  });
});

describe.each(Object.entries(OVERLAYS))("rendering the %s overlay", (_env, overlay) => {
  it("renders the app's objects", async () => {
    const objects = await renderRepo(overlay.dir);
    const ids = objects.map((o) => `${o.kind}/${o.metadata.name}`);
    for (const id of [
      "Deployment/backend",
      "Deployment/frontend",
      "Job/backend-migrate",
      "Ingress/prestamos",
      `Namespace/${overlay.namespace}`,
    ]) {
      expect(ids).toContain(id);
    }
  });
});
