/** Pure parts of the deploy engine: smoke checks, dry-run diff, ApplySet ids, release records, durations. */
import { createHash } from "node:crypto";

import { describe, expect, it } from "vitest";

import {
  applySetId,
  CONTAINS_ANNOTATION,
  groupKindsOf,
  parentObject,
  parseGroupKinds,
  withPartOf,
} from "../../src/deploy/applyset";
import { comparable, fieldChanges, formatChange } from "../../src/deploy/dry-run";
import type { Response } from "../../src/deploy/kube-client";
import {
  decodeManifest,
  encodeManifest,
  formatRevisions,
  parseRecord,
  recordObject,
  redactSecrets,
  secretDataHash,
  type DeployRevision,
} from "../../src/deploy/releases";
import { missingSmokeTargets, serviceProxyPath, SMOKE_CHECKS } from "../../src/deploy/smoke";
import { parseDuration } from "../../src/deploy/timing";
import type { K8sObject } from "../../src/manifests/render";

const response = (status: number, text: string, contentType = "application/json"): Response => ({
  status,
  text,
  headers: { "content-type": contentType },
});
const check = (path: string) => SMOKE_CHECKS.find((c) => c.path === path)!;

describe("smoke checks", () => {
  it("builds the service-proxy path without percent-encoding / or :", () => {
    expect(serviceProxyPath("challenge-dev", "backend", "http", "/api/loans/rules/")).toBe(
      "/api/v1/namespaces/challenge-dev/services/backend:http/proxy/api/loans/rules/",
    );
  });

  it("verifies each answer", () => {
    expect(check("/healthz").verify(response(200, "ok"))).toBeUndefined();
    expect(check("/readyz").verify(response(503, ""))).toBe("answered 503");
    const rules = check("/api/loans/rules/");
    expect(rules.host).toBe("backend");
    expect(rules.verify(response(200, '{"min_amount":"10000.00","max_amount":"5000000.00"}'))).toBeUndefined();
    expect(rules.verify(response(200, '{"min_amount":10000,"max_amount":"5000000.00"}'))).toMatch(/2-decimal strings/);
    expect(rules.verify(response(200, "<html>"))).toBe("is not JSON");
    const spa = check("/");
    expect(spa.verify(response(200, '<div id="root"></div>', "text/html; charset=utf-8"))).toBeUndefined();
    expect(spa.verify(response(200, "{}", "application/json"))).toBe("is not the SPA's index.html");
  });

  it("names the Services and ports a release lacks", () => {
    const service = (name: string, port: string): K8sObject => ({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name },
      spec: { ports: [{ name: port, port: 80 }] },
    });
    expect(missingSmokeTargets([service("backend", "http"), service("frontend", "web")])).toEqual([
      "Service frontend port http",
    ]);
  });
});

describe("dry-run diff", () => {
  const live: K8sObject = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "s", resourceVersion: "9", uid: "u", managedFields: [{ manager: "x" }], labels: { a: "1" } },
    data: { PASSWORD: "b2xk" },
    status: { x: 1 },
  };
  it("ignores bookkeeping and status", () => {
    expect(comparable(live)).toEqual({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "s", labels: { a: "1" } },
      data: { PASSWORD: "b2xk" },
    });
  });

  it("lists changed leaves with values, hiding Secret values", () => {
    const next = { ...live, metadata: { ...live.metadata, labels: { a: "2" } }, data: { PASSWORD: "bmV3" } };
    const changes = fieldChanges(comparable(live), comparable(next));
    expect(changes.map((c) => formatChange(next, c))).toEqual([
      "data.PASSWORD: (value hidden)",
      'metadata.labels.a: "1" → "2"',
    ]);
    const cm = { ...next, kind: "ConfigMap" };
    expect(formatChange(cm, { path: "data.LOG_LEVEL", before: "INFO", after: undefined })).toBe(
      'data.LOG_LEVEL: "INFO" → (none)',
    );
    expect(fieldChanges({ a: ["x"] }, { a: ["x", "y"] })).toEqual([{ path: "a[1]", before: undefined, after: "y" }]);
    expect(fieldChanges({ "app.kubernetes.io/name": 1 }, { "app.kubernetes.io/name": 2 })[0]?.path).toBe(
      '["app.kubernetes.io/name"]',
    );
  });
});

describe("ApplySet", () => {
  it("computes the KEP-3659 id: applyset-<base64url(sha256(name.namespace.kind.group))>-v1", () => {
    const expected = `applyset-${createHash("sha256").update("prestamos-applyset.challenge-dev.ConfigMap.").digest("base64url")}-v1`;
    expect(applySetId("prestamos-applyset", "challenge-dev")).toBe(expected);
    expect(expected).not.toMatch(/[=+/]/);
  });

  it("lists sorted, unique group-kinds on the parent and labels members at the top level only", () => {
    const objects: K8sObject[] = [
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "a" },
        spec: { template: { metadata: { labels: { x: "1" } } } },
      },
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "b" } },
      { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "c" } },
    ];
    expect(groupKindsOf(objects)).toEqual(["ConfigMap", "Deployment.apps"]);
    expect(
      parentObject("ns", ["Deployment.apps", "ConfigMap", "ConfigMap"]).metadata.annotations?.[CONTAINS_ANNOTATION],
    ).toBe("ConfigMap,Deployment.apps");
    expect(parseGroupKinds(" ConfigMap ,Deployment.apps,")).toEqual(["ConfigMap", "Deployment.apps"]);
    const member = withPartOf(objects[0] as K8sObject, "ns");
    expect(member.metadata.labels).toEqual({
      "applyset.kubernetes.io/part-of": applySetId("prestamos-applyset", "ns"),
    });
    expect(JSON.stringify(member.spec)).not.toContain("applyset");
  });
});

describe("release records", () => {
  const secret: K8sObject = { apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, data: { K: "dmFs\ndWU=" } };
  const record: DeployRevision = {
    revision: 3,
    environment: "dev",
    commit: "1111111aaaa",
    backendImage: "b@sha256:x",
    frontendImage: "f@sha256:x",
    outcome: "succeeded",
    startedAt: "2024-01-01T00:00:00.000Z",
    finishedAt: "2024-01-01T00:01:00.000Z",
    message: "",
  };

  it("never stores Secret values, only a hash that matches the same Secret read back from the API", () => {
    const [redacted] = redactSecrets([secret]);
    expect(redacted?.data).toBeUndefined();
    const fromApi = { ...secret, data: { K: Buffer.from("value").toString("base64") } };
    const asStringData = { ...secret, data: undefined, stringData: { K: "value" } };
    expect(secretDataHash(fromApi)).toBe(secretDataHash(secret));
    expect(secretDataHash(asStringData)).toBe(secretDataHash(secret));
    expect(secretDataHash({ ...secret, data: { K: "b3RoZXI=" } })).not.toBe(secretDataHash(secret));
    expect(JSON.stringify(decodeManifest(encodeManifest([secret])))).not.toContain("dmFs");
  });

  it("round-trips through a ConfigMap and lists readably", () => {
    const cm = recordObject("ns", record, encodeManifest([]));
    expect(cm.metadata.name).toBe("prestamos-release-v3");
    expect(cm.metadata.labels).toMatchObject({
      "prestamos.dev/release-record": "true",
      "prestamos.dev/outcome": "succeeded",
    });
    expect(parseRecord(cm)).toEqual(record);
    expect(parseRecord({ ...cm, data: { revision: "x" } })).toBeUndefined();
    expect(formatRevisions([record])).toEqual([
      "v3  succeeded    1111111aaaa   2024-01-01T00:01:00.000Z  backend=b@sha256:x  frontend=f@sha256:x",
    ]);
    expect(formatRevisions([])).toEqual(["no releases recorded"]);
  });

  it("refuses a record that would not fit in a ConfigMap", () => {
    const big: K8sObject[] = [
      {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "big" },
        data: { x: createHash("sha512").update("seed").digest("base64").repeat(40_000) },
      },
    ];
    expect(() => encodeManifest(big)).not.toThrow(); // repetitive data compresses well
    const random = [
      {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "r" },
        data: Object.fromEntries(
          Array.from({ length: 30_000 }, (_, i) => [`k${i}`, createHash("sha256").update(String(i)).digest("hex")]),
        ),
      },
    ] as K8sObject[];
    expect(() => encodeManifest(random)).toThrow(/over the 921600 limit/);
  });
});

describe("parseDuration", () => {
  it.each([
    ["90s", 90_000],
    ["10m", 600_000],
    ["1h", 3_600_000],
    ["1500ms", 1500],
    ["600", 600_000],
  ])("%s", (text, ms) => expect(parseDuration(text)).toBe(ms));
  it.each(["", "0", "-1s", "10 m", "1d", "abc"])("refuses %j", (text) => expect(parseDuration(text)).toBeUndefined());
});
