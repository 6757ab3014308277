/**
 * Step runner and timer for the run summary. Pure: no Dagger, no I/O.
 */

export type StepStatus = "passed" | "failed" | "skipped";

export interface StepResult {
  readonly name: string;
  readonly status: StepStatus;
  readonly durationMs: number;
  /** Failure message (first line), skip reason, or what a passed step produced (one line). */
  readonly detail?: string;
  /** Image references with digests produced by the step. */
  readonly digests?: readonly string[];
  /** A failed step's whole output (error text, and a command's stdout/stderr), for the reports' excerpts. */
  readonly output?: string;
}

/** A clock in milliseconds; injectable for tests. */
export type Clock = () => number;

export const systemClock: Clock = () => performance.now();

/** What a step body may return to enrich its result. */
export interface StepOutput {
  readonly digests?: readonly string[];
  readonly detail?: string;
}

/** First line of an error message, without stack. Keeps summaries one line per step. */
export function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0]?.trim() || "failed";
}

/**
 * Everything a failure said: the message and, for a failed command (Dagger's ExecError,
 * recognised by its fields so this module needs no Dagger import), its stdout and stderr.
 */
export function errorOutput(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const { stdout, stderr } = (error ?? {}) as { stdout?: unknown; stderr?: unknown };
  const streams = [stdout, stderr]
    .filter((s): s is string => typeof s === "string" && s.trim() !== "")
    .map((s) => s.replace(/\s+$/, ""));
  // A message that quotes the command's own output (the deploy's failure line) is not repeated.
  const printed = streams.join("\n");
  return streams.length > 0 && printed.includes(text) ? printed : [text, ...streams].join("\n");
}

/**
 * Runs one step, timing it. Never throws: a thrown error becomes a `failed` result, so
 * concurrent steps all finish and all appear in the summary.
 */
export async function runStep(
  name: string,
  body: () => Promise<StepOutput | void>,
  clock: Clock = systemClock,
): Promise<StepResult> {
  const start = clock();
  try {
    const output = (await body()) ?? {};
    return { name, status: "passed", durationMs: Math.max(0, clock() - start), ...output };
  } catch (error) {
    const output = errorOutput(error);
    return {
      name,
      status: "failed",
      durationMs: Math.max(0, clock() - start),
      detail: errorMessage(error),
      ...(output.includes("\n") ? { output } : {}),
    };
  }
}

/** The results of steps run concurrently, and the wall time they took together. */
export interface ConcurrentRun {
  readonly results: StepResult[];
  readonly wallMs: number;
}

/** Runs every step at once (each timed, none throwing) and measures the whole. */
export async function runConcurrently(
  bodies: ReadonlyArray<readonly [string, () => Promise<StepOutput | void>]>,
  clock: Clock = systemClock,
): Promise<ConcurrentRun> {
  const start = clock();
  const results = await Promise.all(bodies.map(([name, body]) => runStep(name, body, clock)));
  return { results, wallMs: Math.max(0, clock() - start) };
}

/** A result for a step that did not run. */
export function skipped(name: string, reason: string): StepResult {
  return { name, status: "skipped", durationMs: 0, detail: reason };
}

/** True when every result passed (skipped steps do not fail a run). */
export function allPassed(results: readonly StepResult[]): boolean {
  return results.every((r) => r.status !== "failed");
}
