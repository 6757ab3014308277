/**
 * Promotion to production: deploy exactly the digests that passed on dev, or refuse with
 * the reason. Pure: no Dagger, no I/O.
 *
 * `main` (and `promote` from a terminal) looks up the record of its git tree hash. A merge
 * of `dev` into `main` that brings nothing else has the same tree, so it finds the record
 * dev wrote after its deploy and smoke test passed. Anything else is refused: no record
 * (main changed outside dev), a record that is unreadable or of another schema version,
 * one that does not describe this tree, did not come from dev, or says dev, a step, a
 * test or the scan failed, or names images from another registry.
 */
import { RELEASE_BRANCH } from "../environments";
import { validateRegistry, validateTreeHash } from "../validate";
import { parseReleaseRecord } from "./parse-record";
import type { ReleaseRecord } from "./record";
import { RELEASES_REPOSITORY, recordTag } from "./record-tag";

/** What the registry answered for `<registry>/releases:tree-<hash>`. */
export type RecordLookup = { readonly found: false } | { readonly found: true; readonly text: string };

/** Every reason production can be refused, in the order the checks run. */
export const REFUSAL_CODES = [
  "no-record",
  "malformed-record",
  "unsupported-schema-version",
  "tree-mismatch",
  "not-from-dev",
  "dev-not-deployed",
  "dev-failed",
  "gate-failed",
  "scan-failed",
  "registry-mismatch",
] as const;

export type RefusalCode = (typeof REFUSAL_CODES)[number];

export interface Refusal {
  readonly promote: false;
  readonly code: RefusalCode;
  readonly reason: string;
}

export interface Approval {
  readonly promote: true;
  /** `<registry>/backend@sha256:…` */
  readonly backend: string;
  /** `<registry>/frontend@sha256:…` */
  readonly frontend: string;
  readonly record: ReleaseRecord;
  /** One line for the summary. */
  readonly reason: string;
}

export type Promotion = Approval | Refusal;

/** The branch whose passing runs publish records. */
export const SOURCE_BRANCH = RELEASE_BRANCH;

function refuse(code: RefusalCode, reason: string): Refusal {
  return { promote: false, code, reason };
}

/**
 * Why `record` must not be promoted (or published as the record of `tree`), or undefined
 * when it may. Shared by promotion and by the publishing of records, so a record that
 * could not be promoted is never written.
 */
export function recordRefusal(record: ReleaseRecord, tree: string, registry: string): Refusal | undefined {
  const short = record.git.commit.slice(0, 7);
  if (record.git.tree !== tree) {
    return refuse(
      "tree-mismatch",
      `the record under ${recordTag(tree)} describes tree ${record.git.tree}: it does not match, refusing it`,
    );
  }
  if (record.git.branch !== SOURCE_BRANCH) {
    return refuse(
      "not-from-dev",
      `the record of tree ${tree} comes from branch ${record.git.branch}, not ${SOURCE_BRANCH}`,
    );
  }
  const deployment = record.deployment;
  if (!deployment || deployment.environment !== "dev") {
    return refuse("dev-not-deployed", `commit ${short} was not deployed to dev (the record has no dev deployment)`);
  }
  if (deployment.outcome !== "succeeded" || deployment.smokeTest !== "passed") {
    const detail = deployment.detail ? `: ${deployment.detail}` : "";
    return refuse(
      "dev-failed",
      `dev failed for commit ${short} (deploy ${deployment.outcome}, smoke test ${deployment.smokeTest})${detail}`,
    );
  }
  const failedSteps = record.steps.filter((s) => s.status === "failed").map((s) => s.name);
  if (failedSteps.length > 0) {
    return refuse("gate-failed", `the run of commit ${short} has failed step(s): ${failedSteps.join(", ")}`);
  }
  const { failed, errors } = record.tests;
  if (failed + errors > 0) {
    return refuse(
      "gate-failed",
      `the test reports of commit ${short} show ${failed} failed and ${errors} erroring test(s)`,
    );
  }
  const failedScans = (["backend", "frontend"] as const).filter((image) => record.scans[image].verdict !== "passed");
  if (failedScans.length > 0) {
    return refuse(
      "scan-failed",
      `the ${failedScans.join(" and ")} image(s) of commit ${short} have fixable HIGH/CRITICAL vulnerabilities`,
    );
  }
  for (const image of ["backend", "frontend"] as const) {
    const expected = `${registry}/${image}`;
    if (record.images[image].repository !== expected) {
      return refuse(
        "registry-mismatch",
        `the record's ${image} image is ${record.images[image].repository}, not ${expected}`,
      );
    }
  }
  return undefined;
}

/** Decides whether production gets the record's digests. Throws ArgumentError for a bad tree or registry. */
export function decidePromotion(input: { tree: string; registry: string; lookup: RecordLookup }): Promotion {
  const tree = validateTreeHash(input.tree);
  const registry = validateRegistry(input.registry);
  if (!input.lookup.found) {
    return refuse(
      "no-record",
      `no release record for tree ${tree} (${registry}/${RELEASES_REPOSITORY}:${recordTag(tree)}): this tree never passed dev. ` +
        "main changed outside dev, or dev's run has not finished: merge the change through dev first",
    );
  }
  const parsed = parseReleaseRecord(input.lookup.text);
  if (!parsed.ok) return refuse(parsed.code, parsed.reason);
  const refusal = recordRefusal(parsed.record, tree, registry);
  if (refusal) return refusal;
  const { record } = parsed;
  return {
    promote: true,
    backend: record.images.backend.reference,
    frontend: record.images.frontend.reference,
    record,
    reason: `promoting commit ${record.git.commit.slice(0, 7)} (tree ${tree.slice(0, 12)}), deployed to dev at ${record.deployment?.finishedAt}`,
  };
}
