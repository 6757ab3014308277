/**
 * The deploy CLI's last word, written by cli.ts and read back by the pipeline (which sees
 * only the deployer container's output): `deployed v<N> (commit …) to <namespace> in …` on
 * success, `deploy FAILED [<kind>]: <message>` (then indented details) on failure. Pure.
 */
import type { FailureKind } from "./errors";

const SUCCESS = /^deployed v\d+ \(commit [0-9a-f]+\) to \S+ in .+$/;
const FAILURE = /^deploy (?:FAILED|arguments) \[([a-z]+)\]: (.*)$/;

/** The line the CLI prints (on stderr) when a command fails. */
export function failureLine(kind: FailureKind | "error", message: string): string {
  return `deploy ${kind === "arguments" ? "arguments" : "FAILED"} [${kind}]: ${message}`;
}

export interface DeployOutcome {
  readonly outcome: "succeeded" | "failed";
  /** The engine's smoke test runs last; only a smoke failure says it ran and failed. */
  readonly smokeTest: "passed" | "failed" | "not-run";
  /** The failure kind the CLI named (validation, access, migration, rollout, smoke…). */
  readonly kind?: string;
  /** One line for the summary: the success line, or the failure line. */
  readonly line?: string;
}

/** Reads a finished deploy's output (stdout and stderr together). */
export function deployOutcome(output: string, succeeded: boolean): DeployOutcome {
  const lines = output.split("\n").map((line) => line.trimEnd());
  if (succeeded)
    return { outcome: "succeeded", smokeTest: "passed", line: lines.filter((l) => SUCCESS.test(l)).at(-1) };
  const failure = lines.map((l) => FAILURE.exec(l)).find((m) => m !== null);
  const kind = failure?.[1];
  return { outcome: "failed", smokeTest: kind === "smoke" ? "failed" : "not-run", kind, line: failure?.[0] };
}
