/* eslint-disable @typescript-eslint/no-explicit-any -- objects are mutated freely */
import { describe, expect, it } from "vitest";
import { crdKinds, crdSource, structural, validateCustomResource } from "../../src/manifests/crds";
import { formatSchemaErrors, validateSchemas } from "../../src/manifests/schema";
import { OVERLAYS } from "../../src/manifests/overlays";
import type { K8sObject } from "../../src/manifests/render";
import { renderRepo } from "./testing";

const externalSecret = (): any => ({
  apiVersion: "external-secrets.io/v1",
  kind: "ExternalSecret",
  metadata: { name: "s" },
  spec: {
    refreshInterval: "1h",
    secretStoreRef: { kind: "SecretStore", name: "store" },
    target: { name: "s", creationPolicy: "Owner" },
    data: [{ secretKey: "K", remoteRef: { key: "app", property: "K" } }],
  },
});

const errorsOf = (object: K8sObject) =>
  formatSchemaErrors((validateCustomResource(object) ?? []).map((e) => ({ object: "x", ...e })));

describe("External Secrets CRD schemas (vendored)", () => {
  it("come from a tagged External Secrets release, recorded in the file", () => {
    expect(crdSource()).toMatchObject({
      repository: "https://github.com/external-secrets/external-secrets",
      tag: "v2.9.0",
    });
    expect(crdSource().commit).toMatch(/^[0-9a-f]{40}$/);
    expect(crdKinds().sort()).toEqual(["external-secrets.io/v1/ExternalSecret", "external-secrets.io/v1/SecretStore"]);
  });

  it("accept a valid ExternalSecret and leave other kinds to the Kubernetes schemas", () => {
    expect(validateCustomResource(externalSecret())).toEqual([]);
    expect(validateCustomResource({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } })).toBeUndefined();
  });

  it("reject misspelt fields, bad enums, wrong types and missing required fields", () => {
    const typo = externalSecret();
    typo.spec.refreshInteval = typo.spec.refreshInterval;
    expect(errorsOf(typo)).toContain('/spec: unknown field "refreshInteval"');
    const policy = externalSecret();
    policy.spec.target.creationPolicy = "Sometimes";
    expect(errorsOf(policy)).toMatch(/\/spec\/target\/creationPolicy: must be equal to one of the allowed values/);
    const duration = externalSecret();
    duration.spec.refreshInterval = 3600; // a Go duration string, e.g. "1h"
    expect(errorsOf(duration)).toMatch(/\/spec\/refreshInterval: must be string/);
    const noKey = externalSecret();
    delete noKey.spec.data[0].remoteRef.key;
    expect(errorsOf(noKey)).toMatch(/\/spec\/data\/0\/remoteRef: must have required property 'key'/);
  });

  it("reject a SecretStore provider other than aws and an unknown auth field", () => {
    const store: any = {
      apiVersion: "external-secrets.io/v1",
      kind: "SecretStore",
      metadata: { name: "s" },
      spec: { provider: { vault: {} } },
    };
    expect(errorsOf(store)).toContain('/spec/provider: unknown field "vault"');
    store.spec.provider = { aws: { service: "SecretsManager", region: "us-east-1", auth: { irsa: {} } } };
    expect(errorsOf(store)).toContain('/spec/provider/aws/auth: unknown field "irsa"');
  });

  it("close object schemas like structural pruning, except preserve-unknown-fields", () => {
    expect(structural({ type: "object", properties: { a: { type: "object", properties: {} } } })).toEqual({
      type: "object",
      properties: { a: { type: "object", properties: {}, additionalProperties: false } },
      additionalProperties: false,
    });
    expect(
      structural({ type: "object", properties: {}, "x-kubernetes-preserve-unknown-fields": true }),
    ).not.toHaveProperty("additionalProperties");
    expect(
      structural({ anyOf: [{ type: "integer" }, { type: "string" }], "x-kubernetes-int-or-string": true }),
    ).toEqual({
      type: ["integer", "string"],
      "x-kubernetes-int-or-string": true,
    });
  });

  it("are what the schema step uses for the prod overlay's custom resources", async () => {
    const objects = await renderRepo(OVERLAYS.prod.dir);
    const custom = objects.filter((o) => o.apiVersion.startsWith("external-secrets.io/"));
    expect(custom.map((o) => o.kind).sort()).toEqual([
      "ExternalSecret",
      "ExternalSecret",
      "ExternalSecret",
      "SecretStore",
    ]);
    expect(formatSchemaErrors(await validateSchemas(custom))).toBe("");
    const broken = structuredClone(custom[0]) as any;
    broken.spec.secretStoreRef.nmae = "x";
    expect(formatSchemaErrors(await validateSchemas([broken]))).toMatch(/unknown field "nmae"/);
  });
});
