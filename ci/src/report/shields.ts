/**
 * shields.io "endpoint" badges for the last deploy of each environment. Pure: no Dagger.
 *
 * shields.io/badges/endpoint-badge reads a JSON document `{schemaVersion: 1, label,
 * message, color}` from a URL you host; `https://img.shields.io/endpoint?url=<that URL>`
 * renders it. The run writes one such file per environment it deployed (see ci/README.md).
 */
import type { ReleaseRecord } from "../release/record";

export interface ShieldsEndpoint {
  readonly schemaVersion: 1;
  readonly label: string;
  readonly message: string;
  readonly color: "brightgreen" | "red" | "lightgrey";
  /** How long shields.io may cache the badge (its minimum is 300 s). */
  readonly cacheSeconds: number;
}

/** What a badge shows of a deploy. */
export interface LastDeploy {
  readonly commit: string;
  readonly outcome: "succeeded" | "failed";
  /** ISO 8601 time the deploy finished. */
  readonly finishedAt: string;
}

const CACHE_SECONDS = 300;

/**
 * The badge of one environment, labelled with its namespace:
 * `challenge-dev | 1a2b3c4 · 2026-05-01` (green) or `… failed` (red).
 */
export function deployBadge(namespace: string, last: LastDeploy | undefined): ShieldsEndpoint {
  const label = namespace;
  if (!last)
    return { schemaVersion: 1, label, message: "never deployed", color: "lightgrey", cacheSeconds: CACHE_SECONDS };
  const short = last.commit.slice(0, 7);
  const day = last.finishedAt.slice(0, 10);
  return last.outcome === "succeeded"
    ? { schemaVersion: 1, label, message: `${short} · ${day}`, color: "brightgreen", cacheSeconds: CACHE_SECONDS }
    : { schemaVersion: 1, label, message: `${short} failed · ${day}`, color: "red", cacheSeconds: CACHE_SECONDS };
}

/** The badge of the environment a record's run deployed to, or undefined when it deployed nowhere. */
export function recordBadge(record: ReleaseRecord): ShieldsEndpoint | undefined {
  const deployment = record.deployment;
  if (!deployment) return undefined;
  return deployBadge(deployment.namespace, {
    commit: record.git.commit,
    outcome: deployment.outcome,
    finishedAt: deployment.finishedAt,
  });
}
