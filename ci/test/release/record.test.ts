import { describe, expect, it } from "vitest";
import { buildReleaseRecord, imageRelease, RECORD_SCHEMA_VERSION, serializeRecord } from "../../src/release/record";
import { createScrubber } from "../../src/report/scrub";
import { COMMIT, digestOf, devRecord, publishedRefs, recordInput, REGISTRY, TREE } from "./fixtures";
import { schemaErrors } from "./schema";

describe("buildReleaseRecord", () => {
  it("builds a record the JSON Schema accepts, for a dev deploy and for a run that deployed nowhere", () => {
    expect(schemaErrors(devRecord())).toEqual([]);
    expect(
      schemaErrors(
        devRecord({ deployment: undefined, git: { commit: COMMIT, tree: TREE, branch: "feature/x", author: "A" } }),
      ),
    ).toEqual([]);
    expect(schemaErrors(JSON.parse(serializeRecord(devRecord())))).toEqual([]);
  });

  it("holds commit, tree, digests, test totals, scans, overlay hashes, steps, times and the dev deploy", () => {
    const record = devRecord();
    expect(record.schemaVersion).toBe(RECORD_SCHEMA_VERSION);
    expect(record.git).toEqual({ commit: COMMIT, tree: TREE, branch: "dev", author: "Ada Lovelace <ada@example.com>" });
    expect(record.images.backend).toEqual({
      repository: `${REGISTRY}/backend`,
      digest: digestOf(`${REGISTRY}/backend`),
      reference: `${REGISTRY}/backend@${digestOf(`${REGISTRY}/backend`)}`,
      tags: ["1a2b3c4", "dev-1a2b3c4"],
    });
    expect(record.images.frontend.reference).toBe(`${REGISTRY}/frontend@${digestOf(`${REGISTRY}/frontend`)}`);
    expect(record.tests).toMatchObject({ total: 7, passed: 6, failed: 0, errors: 0, skipped: 1 });
    expect(record.tests.reports.map((r) => r.file)).toEqual(["backend-postgres-junit.xml", "frontend-junit.xml"]);
    expect(record.scans.backend).toMatchObject({
      verdict: "passed",
      sbom: { format: "CycloneDX", specVersion: "1.6", components: 2 },
    });
    expect(record.overlays.dev).toBe(digestOf("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: challenge-dev\n"));
    expect(record.overlays.prod).not.toBe(record.overlays.dev);
    expect(record.steps[0]).toEqual({ name: "lint", status: "passed", durationMs: 41_250, detail: null });
    expect(record.steps.map((s) => s.name)).toEqual([
      "lint",
      "test",
      "build-backend",
      "build-frontend",
      "scan",
      "publish",
      "deploy",
    ]);
    expect(record.run).toEqual({
      startedAt: "2026-05-01T10:02:11.000Z",
      finishedAt: "2026-05-01T10:15:40.500Z",
      url: "https://github.com/acme/prestamos/actions/runs/123456789",
    });
    expect(record.deployment).toMatchObject({
      environment: "dev",
      namespace: "challenge-dev",
      outcome: "succeeded",
      smokeTest: "passed",
    });
    expect(devRecord({ deployment: undefined }).deployment).toBeNull();
  });

  it("scrubs the free-text fields it copies (author, step details, run URL, deploy detail)", () => {
    const token = "ghp_0123456789abcdefghijABCDEFGHIJ012345";
    const registryPassword = "hunter2-registry-KNOWN";
    const record = buildReleaseRecord(
      recordInput({
        git: { commit: COMMIT, tree: TREE, branch: "dev", author: `Eve ${registryPassword}` },
        runUrl: `https://ci.example.com/run/1?token=${token}`,
        steps: [{ name: "publish", status: "failed", durationMs: 5, detail: `push denied for ${registryPassword}` }],
        deployment: {
          ...recordInput().deployment!,
          outcome: "failed",
          detail: `kubectl: Authorization: Bearer ${token}`,
        },
      }),
      createScrubber([registryPassword]),
    );
    const text = serializeRecord(record);
    expect(text).not.toContain(registryPassword);
    expect(text).not.toContain(token);
    expect(record.steps[0]?.detail).toBe("push denied for ***");
  });

  it("matches the example record kept beside the tests (update with vitest -u when the format changes)", async () => {
    await expect(serializeRecord(devRecord())).toMatchFileSnapshot("./examples/dev-release.json");
  });

  it("serialises as stable, indented JSON with a trailing newline", () => {
    const text = serializeRecord(devRecord());
    expect(text.endsWith("}\n")).toBe(true);
    expect(text).toBe(serializeRecord(devRecord()));
    expect(text.split("\n")[1]).toBe('  "schemaVersion": 1,');
  });

  it.each([
    ["a short commit", { git: { commit: "1a2b3c4", tree: TREE, branch: "dev", author: "A" } }, /full commit SHA/],
    [
      "a bad tree hash",
      { git: { commit: COMMIT, tree: "HEAD^{tree}", branch: "dev", author: "A" } },
      /not a git tree hash/,
    ],
    [
      "a bad branch",
      { git: { commit: COMMIT, tree: TREE, branch: "dev..main", author: "A" } },
      /not a valid branch name/,
    ],
    [
      "images pushed as two digests",
      {
        images: {
          backend: [publishedRefs("backend")[0]!, publishedRefs("frontend")[0]!],
          frontend: publishedRefs("frontend"),
        },
      },
      /published as different images/,
    ],
    [
      "an image without digest",
      { images: { backend: [`${REGISTRY}/backend:1a2b3c4`], frontend: publishedRefs("frontend") } },
      /has no sha256 digest/,
    ],
    [
      "no reference for an image",
      { images: { backend: [], frontend: publishedRefs("frontend") } },
      /no published reference for the backend image/,
    ],
    [
      "a report that is not JUnit",
      { junit: [{ file: "coverage.xml", xml: "<coverage/>" }] },
      /coverage\.xml is not a JUnit report/,
    ],
  ])("refuses %s", (_case, overrides, message) => {
    expect(() => devRecord(overrides as Parameters<typeof devRecord>[0])).toThrow(message);
  });
});

describe("imageRelease", () => {
  it("keeps every tag of one digest", () => {
    expect(imageRelease("backend", publishedRefs("backend")).tags).toEqual(["1a2b3c4", "dev-1a2b3c4"]);
  });
});
