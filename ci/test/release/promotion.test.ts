import { describe, expect, it } from "vitest";
import {
  decidePromotion,
  REFUSAL_CODES,
  type Promotion,
  type RecordLookup,
  type RefusalCode,
} from "../../src/release/promotion";
import { serializeRecord } from "../../src/release/record";
import { fixture } from "../fixtures";
import { asJson, COMMIT, DEV_DEPLOYMENT, devRecord, digestOf, publishedRefs, REGISTRY, STEPS, TREE } from "./fixtures";

function found(text: string): RecordLookup {
  return { found: true, text };
}

function decide(lookup: RecordLookup, tree = TREE, registry = REGISTRY): Promotion {
  return decidePromotion({ tree, registry, lookup });
}

const seen = new Set<RefusalCode>();
function refused(promotion: Promotion, code: RefusalCode): string {
  expect(promotion).toMatchObject({ promote: false, code });
  seen.add(code);
  return promotion.reason;
}

describe("decidePromotion", () => {
  it("promotes the record's digests, by digest, when dev deployed and smoke-tested them", () => {
    const promotion = decide(found(serializeRecord(devRecord())));
    expect(promotion).toMatchObject({
      promote: true,
      backend: `${REGISTRY}/backend@${digestOf(`${REGISTRY}/backend`)}`,
      frontend: `${REGISTRY}/frontend@${digestOf(`${REGISTRY}/frontend`)}`,
    });
    expect(promotion.reason).toBe(
      "promoting commit 1a2b3c4 (tree 9e1c5b0f2d7a), deployed to dev at 2026-05-01T10:14:05.000Z",
    );
  });

  it("accepts the tree hash in upper case and with spaces (as pasted)", () => {
    expect(decide(found(serializeRecord(devRecord())), ` ${TREE.toUpperCase()} `).promote).toBe(true);
  });

  it("refuses without a record: main changed outside dev", () => {
    const reason = refused(decide({ found: false }), "no-record");
    expect(reason).toContain(`${REGISTRY}/releases:tree-${TREE}`);
    expect(reason).toMatch(/never passed dev.*main changed outside dev/);
  });

  it("refuses a record that is not JSON or breaks the schema", () => {
    expect(refused(decide(found("not json")), "malformed-record")).toBe("release.json is not JSON");
    const broken = asJson(devRecord());
    delete broken.images;
    expect(refused(decide(found(JSON.stringify(broken))), "malformed-record")).toMatch(/lacks images/);
  });

  it("refuses a record of another schema version", () => {
    const future = asJson(devRecord());
    future.schemaVersion = 2;
    expect(refused(decide(found(JSON.stringify(future))), "unsupported-schema-version")).toMatch(/schemaVersion 2/);
  });

  it("refuses a record that describes another tree than the one asked for", () => {
    const other = "0".repeat(40);
    const reason = refused(decide(found(serializeRecord(devRecord())), other), "tree-mismatch");
    expect(reason).toContain(`describes tree ${TREE}`);
  });

  it("refuses a record that did not come from dev", () => {
    const record = devRecord({ git: { commit: COMMIT, tree: TREE, branch: "feature/login", author: "A" } });
    expect(refused(decide(found(serializeRecord(record))), "not-from-dev")).toMatch(/branch feature\/login, not dev/);
  });

  it("refuses a record without a dev deployment", () => {
    expect(refused(decide(found(serializeRecord(devRecord({ deployment: undefined })))), "dev-not-deployed")).toMatch(
      /commit 1a2b3c4 was not deployed to dev/,
    );
    const prod = devRecord({ deployment: { ...DEV_DEPLOYMENT, environment: "prod", namespace: "challenge-prd" } });
    refused(decide(found(serializeRecord(prod))), "dev-not-deployed");
  });

  it.each([
    [
      "a failed deploy",
      { outcome: "failed", smokeTest: "not-run", detail: "rollout timed out; rolled back" },
      /deploy failed, smoke test not-run\): rollout timed out/,
    ],
    [
      "a failed smoke test",
      { outcome: "succeeded", smokeTest: "failed", detail: null },
      /deploy succeeded, smoke test failed\)$/,
    ],
    [
      "a deploy whose smoke test never ran",
      { outcome: "succeeded", smokeTest: "not-run", detail: null },
      /smoke test not-run/,
    ],
  ] as const)("refuses when dev failed: %s", (_case, deployment, message) => {
    const record = devRecord({ deployment: { ...DEV_DEPLOYMENT, ...deployment } });
    expect(refused(decide(found(serializeRecord(record))), "dev-failed")).toMatch(message);
  });

  it("refuses a record whose run has a failed step", () => {
    const steps = STEPS.map((s) =>
      s.name === "test" ? { ...s, status: "failed" as const, detail: "django tests (exit 1)" } : s,
    );
    expect(refused(decide(found(serializeRecord(devRecord({ steps })))), "gate-failed")).toMatch(
      /failed step\(s\): test$/,
    );
  });

  it("refuses a record whose JUnit reports show failing tests, whatever the steps say", () => {
    const junit = [{ file: "backend-postgres-junit.xml", xml: fixture("junit/backend-postgres-junit.xml") }];
    expect(refused(decide(found(serializeRecord(devRecord({ junit })))), "gate-failed")).toBe(
      "the test reports of commit 1a2b3c4 show 1 failed and 1 erroring test(s)",
    );
    const erroring = [
      { file: "e.xml", xml: '<testsuite><testcase name="t"><error message="boom"/></testcase></testsuite>' },
    ];
    refused(decide(found(serializeRecord(devRecord({ junit: erroring })))), "gate-failed");
  });

  it("refuses images with fixable HIGH/CRITICAL vulnerabilities", () => {
    const record = asJson(devRecord());
    record.scans.frontend.verdict = "failed";
    expect(refused(decide(found(JSON.stringify(record))), "scan-failed")).toMatch(
      /the frontend image\(s\) of commit 1a2b3c4/,
    );
  });

  it("refuses images from another registry than the one deploying", () => {
    const record = devRecord({
      images: { backend: publishedRefs("backend", "ghcr.io/evil/prestamos"), frontend: publishedRefs("frontend") },
    });
    expect(refused(decide(found(serializeRecord(record))), "registry-mismatch")).toBe(
      `the record's backend image is ghcr.io/evil/prestamos/backend, not ${REGISTRY}/backend`,
    );
  });

  it("rejects a bad tree hash or registry with a clear error instead of a decision", () => {
    expect(() => decide({ found: false }, "HEAD")).toThrow(/tree hash "HEAD" is not a git tree hash/);
    expect(() => decide({ found: false }, TREE.slice(0, 12))).toThrow(/not a git tree hash/);
    expect(() => decide({ found: false }, TREE, "https://ghcr.io/acme")).toThrow(/must not include a scheme/);
  });

  // Runs last (tests of a file run in order): every refusal the module can give was seen above.
  it("has a test for every refusal code", () => {
    expect([...seen].sort()).toEqual([...REFUSAL_CODES].sort());
  });
});
