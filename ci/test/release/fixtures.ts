/**
 * A dev run's release record and its inputs, for the release, promotion and report tests.
 */
import { createHash } from "node:crypto";
import {
  buildReleaseRecord,
  type Deployment,
  type ImageScan,
  type RecordInput,
  type ReleaseRecord,
} from "../../src/release/record";
import { summarizeSbom } from "../../src/scan/sbom";
import { trivyVerdict } from "../../src/scan/trivy-report";
import type { StepResult } from "../../src/steps";
import { fixture } from "../fixtures";

export const COMMIT = "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d";
export const TREE = "9e1c5b0f2d7a4e3b8c6d1f0a2b3c4d5e6f708192";
export const REGISTRY = "ghcr.io/acme/prestamos";

/** A deterministic sha256 digest named after `seed`. */
export function digestOf(seed: string): string {
  return `sha256:${createHash("sha256").update(seed).digest("hex")}`;
}

/** What publish returns for one image: both tags, same digest. */
export function publishedRefs(image: "backend" | "frontend", registry = REGISTRY): string[] {
  const digest = digestOf(`${registry}/${image}`);
  return [`${registry}/${image}:1a2b3c4@${digest}`, `${registry}/${image}:dev-1a2b3c4@${digest}`];
}

export function cleanScan(): ImageScan {
  return {
    ...trivyVerdict("image", fixture("trivy/clean.json")),
    sbom: summarizeSbom("image", fixture("cyclonedx/small.cdx.json")),
  };
}

export const STEPS: readonly StepResult[] = [
  { name: "lint", status: "passed", durationMs: 41_250.4 },
  { name: "test", status: "passed", durationMs: 95_310 },
  { name: "build-backend", status: "passed", durationMs: 62_004 },
  { name: "build-frontend", status: "passed", durationMs: 48_700 },
  { name: "scan", status: "passed", durationMs: 33_900 },
  {
    name: "publish",
    status: "passed",
    durationMs: 12_800,
    digests: [...publishedRefs("backend"), ...publishedRefs("frontend")],
  },
  { name: "deploy", status: "passed", durationMs: 71_020 },
];

export const DEV_DEPLOYMENT: Deployment = {
  environment: "dev",
  namespace: "challenge-dev",
  outcome: "succeeded",
  smokeTest: "passed",
  finishedAt: "2026-05-01T10:14:05.000Z",
  detail: null,
};

export function recordInput(overrides: Partial<RecordInput> = {}): RecordInput {
  return {
    git: { commit: COMMIT, tree: TREE, branch: "dev", author: "Ada Lovelace <ada@example.com>" },
    startedAt: new Date("2026-05-01T10:02:11.000Z"),
    finishedAt: new Date("2026-05-01T10:15:40.500Z"),
    runUrl: "https://github.com/acme/prestamos/actions/runs/123456789",
    images: { backend: publishedRefs("backend"), frontend: publishedRefs("frontend") },
    junit: [
      { file: "backend-postgres-junit.xml", xml: fixture("junit/backend-postgres-passed-junit.xml") },
      { file: "frontend-junit.xml", xml: fixture("junit/frontend-junit.xml") },
    ],
    scans: { backend: cleanScan(), frontend: cleanScan() },
    overlays: {
      dev: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: challenge-dev\n",
      prod: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: challenge-prd\n",
    },
    steps: STEPS,
    deployment: DEV_DEPLOYMENT,
    ...overrides,
  };
}

/** The record dev publishes after a passing deploy (secrets: none to scrub). */
export function devRecord(overrides: Partial<RecordInput> = {}): ReleaseRecord {
  return buildReleaseRecord(recordInput(overrides), (text) => text);
}

/** A deep copy as plain JSON, for mutation in tests. */
export function asJson(record: ReleaseRecord): Record<string, any> {
  return JSON.parse(JSON.stringify(record)) as Record<string, any>;
}
