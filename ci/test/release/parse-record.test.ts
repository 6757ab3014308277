/**
 * The hand-written reader (parse-record.ts, used at run time) and the JSON Schema (the
 * documented contract, checked here with ajv) must agree on every record below.
 */
import { describe, expect, it } from "vitest";
import { parseReleaseRecord } from "../../src/release/parse-record";
import { serializeRecord } from "../../src/release/record";
import { asJson, COMMIT, DEV_DEPLOYMENT, devRecord, TREE } from "./fixtures";
import { schemaErrors } from "./schema";

type Json = ReturnType<typeof asJson>;

const VALID: Array<[string, Json]> = [
  ["a dev record", asJson(devRecord())],
  ["a record of a run that deployed nowhere", asJson(devRecord({ deployment: undefined }))],
  [
    "a record of a failed dev deploy",
    asJson(
      devRecord({
        deployment: { ...DEV_DEPLOYMENT, outcome: "failed", smokeTest: "not-run", detail: "rollout timed out" },
      }),
    ),
  ],
  [
    "a SHA-256 repository's record",
    asJson(devRecord({ git: { commit: "ab".repeat(32), tree: "cd".repeat(32), branch: "dev", author: "" } })),
  ],
];

/** Each breaks one rule of the schema. */
const BROKEN: Array<[string, (r: Json) => void]> = [
  ["kind changed", (r) => (r.kind = "something-else")],
  ["unknown top-level field", (r) => (r.extra = true)],
  ["git missing", (r) => delete r.git],
  ["short commit", (r) => (r.git.commit = "1a2b3c4")],
  ["uppercase tree", (r) => (r.git.tree = TREE.toUpperCase())],
  ["empty branch", (r) => (r.git.branch = "")],
  ["author missing", (r) => delete r.git.author],
  ["run.url a number", (r) => (r.run.url = 1)],
  ["startedAt not UTC ISO", (r) => (r.run.startedAt = "2026-05-01 10:00")],
  ["frontend image missing", (r) => delete r.images.frontend],
  ["image digest not sha256", (r) => (r.images.backend.digest = "md5:abc")],
  ["image reference by tag", (r) => (r.images.backend.reference = "ghcr.io/acme/prestamos/backend:1a2b3c4")],
  ["latest tag", (r) => r.images.backend.tags.push("latest")],
  ["image field unknown", (r) => (r.images.backend.platform = "linux/amd64")],
  ["negative test total", (r) => (r.tests.total = -1)],
  ["fractional count", (r) => (r.tests.passed = 1.5)],
  ["report without file", (r) => delete r.tests.reports[0].file],
  ["tests field unknown", (r) => (r.tests.flaky = 0)],
  ["scan verdict unknown", (r) => (r.scans.backend.verdict = "ok")],
  ["scan counts missing a severity", (r) => delete r.scans.frontend.counts.critical],
  [
    "blocking finding MEDIUM",
    (r) => r.scans.backend.blocking.push({ id: "X", severity: "MEDIUM", package: "p", installed: "1", fixedIn: "2" }),
  ],
  ["SBOM not CycloneDX", (r) => (r.scans.backend.sbom.format = "SPDX")],
  ["SBOM digest missing", (r) => delete r.scans.frontend.sbom.digest],
  ["overlay prod missing", (r) => delete r.overlays.prod],
  ["overlay hash not a digest", (r) => (r.overlays.dev = "deadbeef")],
  ["step status running", (r) => (r.steps[0].status = "running")],
  ["step duration fractional", (r) => (r.steps[0].durationMs = 1.5)],
  ["step detail missing", (r) => delete r.steps[0].detail],
  ["steps not a list", (r) => (r.steps = {})],
  ["deployment missing", (r) => delete r.deployment],
  ["deployment outcome pending", (r) => (r.deployment.outcome = "pending")],
  ["deployment namespace unknown", (r) => (r.deployment.namespace = "default")],
  ["deployment time not ISO", (r) => (r.deployment.finishedAt = "yesterday")],
  ["deployment smoke test unknown", (r) => (r.deployment.smokeTest = "skipped")],
];

describe("parseReleaseRecord agrees with the JSON Schema", () => {
  it.each(VALID)("accepts %s", (_case, record) => {
    expect(schemaErrors(record)).toEqual([]);
    const parsed = parseReleaseRecord(JSON.stringify(record));
    expect(parsed).toEqual({ ok: true, record });
  });

  it.each(BROKEN)("refuses a record with %s", (_case, breakIt) => {
    const record = asJson(devRecord());
    breakIt(record);
    expect(schemaErrors(record)).not.toEqual([]);
    const parsed = parseReleaseRecord(JSON.stringify(record));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.code).toBe("malformed-record");
  });
});

describe("parseReleaseRecord", () => {
  it("reads back what serializeRecord wrote", () => {
    const record = devRecord();
    expect(parseReleaseRecord(serializeRecord(record))).toEqual({ ok: true, record });
  });

  it("says which field is wrong", () => {
    const record = asJson(devRecord());
    record.images.backend.digest = "sha256:short";
    expect(parseReleaseRecord(JSON.stringify(record))).toEqual({
      ok: false,
      code: "malformed-record",
      reason: "release.json: images.backend.digest has an invalid value",
    });
  });

  it.each([
    ["not JSON", "{", "release.json is not JSON"],
    ["an array", "[]", "release.json is not a JSON object"],
    ["null", "null", "release.json is not a JSON object"],
  ])("refuses %s as malformed", (_case, text, reason) => {
    expect(parseReleaseRecord(text)).toEqual({ ok: false, code: "malformed-record", reason });
  });

  it.each([2, 0, "1", undefined])("refuses schemaVersion %s as another version", (version) => {
    const record = asJson(devRecord());
    record.schemaVersion = version;
    expect(schemaErrors(record)).not.toEqual([]);
    const parsed = parseReleaseRecord(JSON.stringify(record));
    expect(parsed).toMatchObject({ ok: false, code: "unsupported-schema-version" });
    if (!parsed.ok) expect(parsed.reason).toMatch(/reads version 1 only/);
  });

  it("keeps the commit it read", () => {
    const parsed = parseReleaseRecord(serializeRecord(devRecord()));
    expect(parsed.ok && parsed.record.git.commit).toBe(COMMIT);
  });
});
