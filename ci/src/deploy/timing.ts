/**
 * How long the deploy waits and how often it looks. Defaults suit a real cluster; tests
 * pass small values. Pure apart from `sleep`.
 */

export interface Timing {
  /** Limit of each wait: the migrations Job, then the rollout (and the rollback's rollout). */
  readonly waitTimeoutMs: number;
  /** Interval between status reads. */
  readonly pollMs: number;
  /** How long a second deploy waits for the namespace's lock before giving up. */
  readonly lockWaitMs: number;
  /** Lease duration; the holder renews it every third of it. */
  readonly leaseDurationSeconds: number;
  /** Attempts per smoke check (a fresh Service may answer 503 for a few seconds). */
  readonly smokeAttempts: number;
  readonly smokeDelayMs: number;
  /** Limit of a single API request. */
  readonly requestTimeoutMs: number;
}

export const DEFAULT_TIMING: Timing = {
  waitTimeoutMs: 10 * 60_000,
  pollMs: 2_000,
  lockWaitMs: 5 * 60_000,
  leaseDurationSeconds: 60,
  smokeAttempts: 10,
  smokeDelayMs: 3_000,
  requestTimeoutMs: 30_000,
};

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** "90s", "10m", "1h", "1500ms" or plain seconds ("600") → milliseconds; undefined when invalid. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * (UNITS[match[2] ?? "s"] ?? 1_000);
  return ms > 0 && Number.isFinite(ms) ? Math.round(ms) : undefined;
}
