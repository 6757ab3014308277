/**
 * The release record: what one publishing run built, proved and deployed, as versioned
 * JSON. Pure: no Dagger, no I/O. The format is documented by release-record.schema.json
 * (beside this file, checked against every record the tests build) and read back by
 * parse-record.ts.
 *
 * Produced by every run that publishes; published to the registry (record-tag.ts) only
 * after dev's deploy and smoke test passed; read on `main` to promote the same digests.
 */
import type { OVERLAYS } from "../manifests/overlays";
import type { ScanVerdict } from "../scan/trivy-report";
import type { SbomSummary } from "../scan/sbom";
import type { StepResult } from "../steps";
import { parseReferenceWithDigest } from "../tags";
import { validateBranch, validateTreeHash } from "../validate";
import { contentDigest } from "../digest";
import { junitTotals, sumTotals, type ReportTotals, type TestTotals } from "./junit";

/** Bumped on any incompatible change; readers refuse other versions. */
export const RECORD_SCHEMA_VERSION = 1;
export const RECORD_KIND = "prestamos/release-record";

/** Full commit: 40 hex (SHA-1) or 64 hex (SHA-256 repositories). */
const COMMIT_PATTERN = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** A published image, pinned by digest. */
export interface ImageRelease {
  readonly repository: string;
  readonly digest: string;
  /** `<repository>@<digest>`: what a deploy uses. */
  readonly reference: string;
  /** The immutable tags pushed with it (`<short-sha>`, `<branch>-<short-sha>`). */
  readonly tags: readonly string[];
}

export interface ImageScan extends ScanVerdict {
  readonly sbom: SbomSummary;
}

/** An overlay of k8s/overlays, by the name the deploy uses (`dev`, `prod`). */
export type OverlayName = keyof typeof OVERLAYS;

/** Outcome of the deploy this run made (only dev runs deploy before the record is published). */
export interface Deployment {
  readonly environment: OverlayName;
  readonly namespace: (typeof OVERLAYS)[OverlayName]["namespace"];
  readonly outcome: "succeeded" | "failed";
  readonly smokeTest: "passed" | "failed" | "not-run";
  readonly finishedAt: string;
  readonly detail: string | null;
}

export interface RecordStep {
  readonly name: string;
  readonly status: StepResult["status"];
  readonly durationMs: number;
  readonly detail: string | null;
}

export interface ReleaseRecord {
  readonly schemaVersion: typeof RECORD_SCHEMA_VERSION;
  readonly kind: typeof RECORD_KIND;
  readonly git: { readonly commit: string; readonly tree: string; readonly branch: string; readonly author: string };
  readonly run: { readonly startedAt: string; readonly finishedAt: string; readonly url: string | null };
  readonly images: { readonly backend: ImageRelease; readonly frontend: ImageRelease };
  readonly tests: TestTotals & { readonly reports: readonly ReportTotals[] };
  readonly scans: { readonly backend: ImageScan; readonly frontend: ImageScan };
  /** sha256 of each rendered overlay (the YAML applied, images pinned). */
  readonly overlays: Readonly<Record<OverlayName, string>>;
  readonly steps: readonly RecordStep[];
  /** null when the run did not deploy (branches other than dev). */
  readonly deployment: Deployment | null;
}

/** Everything a run knows when it writes its record. */
export interface RecordInput {
  readonly git: { readonly commit: string; readonly tree: string; readonly branch: string; readonly author: string };
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly runUrl?: string;
  /** References returned by publish (`<repo>:<tag>@sha256:…`), every tag of the image. */
  readonly images: { readonly backend: readonly string[]; readonly frontend: readonly string[] };
  /** JUnit XML reports of the test step, by file name. */
  readonly junit: ReadonlyArray<{ readonly file: string; readonly xml: string }>;
  readonly scans: { readonly backend: ImageScan; readonly frontend: ImageScan };
  /** Rendered overlays (YAML text). */
  readonly overlays: Readonly<Record<OverlayName, string>>;
  readonly steps: readonly StepResult[];
  readonly deployment?: Deployment;
}

/** Removes secrets from free text (ci/src/report/scrub.ts); required so no caller forgets. */
export type Scrub = (text: string) => string;

/** One image's release from all the references publish returned for it. */
export function imageRelease(name: string, references: readonly string[]): ImageRelease {
  if (references.length === 0) throw new Error(`no published reference for the ${name} image`);
  const parsed = references.map(parseReferenceWithDigest);
  const first = parsed[0] as (typeof parsed)[number];
  for (const ref of parsed) {
    if (ref.repository !== first.repository || ref.digest !== first.digest) {
      throw new Error(`the ${name} image was published as different images: ${references.join(", ")}`);
    }
  }
  const tags = parsed.flatMap((ref) => (ref.tag ? [ref.tag] : []));
  return { repository: first.repository, digest: first.digest, reference: `${first.repository}@${first.digest}`, tags };
}

/** Builds a record; throws with the reason when an input is not what a record may hold. */
export function buildReleaseRecord(input: RecordInput, scrub: Scrub): ReleaseRecord {
  const commit = input.git.commit.trim().toLowerCase();
  if (!COMMIT_PATTERN.test(commit))
    throw new Error(`release record needs the full commit SHA, got "${input.git.commit}"`);
  const reports = input.junit.map(({ file, xml }) => junitTotals(file, xml));
  const clean = (text: string | null | undefined) => (text ? scrub(text) : null);
  return {
    schemaVersion: RECORD_SCHEMA_VERSION,
    kind: RECORD_KIND,
    git: {
      commit,
      tree: validateTreeHash(input.git.tree),
      branch: validateBranch(input.git.branch),
      author: scrub(input.git.author),
    },
    run: {
      startedAt: input.startedAt.toISOString(),
      finishedAt: input.finishedAt.toISOString(),
      url: clean(input.runUrl),
    },
    images: {
      backend: imageRelease("backend", input.images.backend),
      frontend: imageRelease("frontend", input.images.frontend),
    },
    tests: { ...sumTotals(reports), reports },
    scans: input.scans,
    overlays: { dev: contentDigest(input.overlays.dev), prod: contentDigest(input.overlays.prod) },
    steps: input.steps.map((s) => ({
      name: s.name,
      status: s.status,
      durationMs: Math.round(s.durationMs),
      detail: clean(s.detail),
    })),
    deployment: input.deployment ? { ...input.deployment, detail: clean(input.deployment.detail) } : null,
  };
}

/** The record as the bytes of `release.json` (stable key order, trailing newline). */
export function serializeRecord(record: ReleaseRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}
