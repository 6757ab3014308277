import { describe, expect, it } from "vitest";
import { clientModelName, formatSchemaErrors, validateSchemas } from "../../src/manifests/schema";
import { goodObjects } from "./fixtures";
import { OVERLAYS } from "../../src/manifests/overlays";
import { renderRepo } from "./testing";
import type { K8sObject } from "../../src/manifests/render";

describe("schema validation", () => {
  it("maps apiVersion/kind to client-node model names", () => {
    expect(clientModelName("apps/v1", "Deployment")).toBe("V1Deployment");
    expect(clientModelName("autoscaling/v2", "HorizontalPodAutoscaler")).toBe("V2HorizontalPodAutoscaler");
    expect(clientModelName("v1", "Service")).toBe("V1Service");
  });

  it("accepts the hand-written fixture", async () => {
    expect(formatSchemaErrors(await validateSchemas(goodObjects()))).toBe("");
  });

  it("reports type errors, missing required fields, unknown fields and unknown kinds with kind/name/path", async () => {
    const bad: K8sObject[] = [
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "broken" },
        spec: {
          selector: {},
          template: {
            spec: { containers: [{ name: "c", image: "i:1", ports: [{ containerPort: "http" }], readinesProbe: {} }] },
          },
        },
      },
      { apiVersion: "v1", kind: "Service", metadata: { name: "svc", labels: { a: 1 as unknown as string } } },
      {
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        metadata: { name: "p" },
        spec: { unhealthyPodEvictionPolicy: "Sometimes" },
      },
      { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } },
    ];
    const errors = await validateSchemas(bad);
    const text = formatSchemaErrors(errors);
    expect(text).toContain("Deployment/broken /spec/template/spec/containers/0/ports/0/containerPort: must be integer");
    expect(text).toContain(
      'Deployment/broken /spec/template/spec/containers/0/readinesProbe: unknown field "readinesProbe"',
    );
    expect(text).toContain("Service/svc /metadata/labels/a: must be string");
    expect(text).toMatch(
      /PodDisruptionBudget\/p \/spec\/unhealthyPodEvictionPolicy: must be equal to one of the allowed values/,
    );
    expect(text).toContain("Widget/w /: no schema for example.com/v1 Widget");
  });
});

describe.each(Object.entries(OVERLAYS))("schemas of the %s overlay", (_env, overlay) => {
  it("has 0 schema errors", async () => {
    const errors = await validateSchemas(await renderRepo(overlay.dir));
    expect(formatSchemaErrors(errors)).toBe("");
  });
});

describe("unwrapSecretData", () => {
  it("accepts kustomize's line-wrapped base64 but still rejects invalid base64", async () => {
    const secret = (value: string): K8sObject => ({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "s" },
      data: { K: value },
    });
    expect(await validateSchemas([secret("YWJjZGVm\nZ2hp\n")])).toEqual([]);
    expect(formatSchemaErrors(await validateSchemas([secret("not base64!")]))).toContain('must match format "byte"');
  });
});
