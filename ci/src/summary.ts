/**
 * The run summary: one plain-text table of the steps, returned by `ci` (or its error on
 * failure). The Slack message is built from the same results by report/slack-message.ts.
 * Pure: no Dagger, no I/O.
 */
import { excerpt } from "./report/excerpt";
import type { StepResult } from "./steps";
import { allPassed } from "./steps";

export interface RunMeta {
  readonly branch?: string;
  readonly sha?: string;
  /** e.g. "development (challenge-dev)" */
  readonly environment?: string;
  /** Wall time of the concurrent gate, to compare with its longest step. */
  readonly gateWallMs?: number;
  /** Names of the steps that ran concurrently as the gate. */
  readonly gateSteps?: readonly string[];
  /** Lines after the table: the promotion decision, the record's reference, Slack's outcome. */
  readonly notes?: readonly string[];
}

/** `850ms`, `12.3s`, `1m 05s`; `-` for steps that did not run. */
export function formatDuration(ms: number, ran = true): string {
  if (!ran) return "-";
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const total = Math.round(ms / 1000);
  return `${Math.floor(total / 60)}m ${String(total % 60).padStart(2, "0")}s`;
}

function headline(results: readonly StepResult[], meta: RunMeta): string {
  const where = [
    meta.branch ? `branch ${meta.branch}` : "no branch",
    meta.sha ? `commit ${meta.sha.slice(0, 7)}` : "no commit",
    ...(meta.environment ? [`environment ${meta.environment}`] : []),
  ].join(", ");
  return `prestamos CI ${allPassed(results) ? "PASSED" : "FAILED"} (${where})`;
}

/** All digests of all steps, in step order. */
export function collectDigests(results: readonly StepResult[]): string[] {
  return results.flatMap((r) => [...(r.digests ?? [])]);
}

/**
 * `gate: 4m 10s wall, longest step test 3m 55s (critical path 1.06 × longest step)`:
 * how well the gate's steps overlapped (1.0 = perfectly concurrent).
 */
export function criticalPathLine(results: readonly StepResult[], meta: RunMeta): string | undefined {
  if (meta.gateWallMs === undefined || !meta.gateSteps) return undefined;
  const gate = results.filter((r) => meta.gateSteps?.includes(r.name) && r.status !== "skipped");
  const longest = gate.reduce<StepResult | undefined>((a, r) => (a && a.durationMs >= r.durationMs ? a : r), undefined);
  if (!longest || longest.durationMs <= 0) return undefined;
  const ratio = (meta.gateWallMs / longest.durationMs).toFixed(2);
  return `gate: ${formatDuration(meta.gateWallMs)} wall, longest step ${longest.name} ${formatDuration(longest.durationMs)} (critical path ${ratio} × longest step)`;
}

/** The run summary as a plain-text table (returned by `ci`, or its error message on failure). */
export function formatSummary(results: readonly StepResult[], meta: RunMeta = {}): string {
  const rows = results.map((r) => [
    r.name,
    r.status === "skipped" ? `skipped (${r.detail ?? "not run"})` : r.status,
    formatDuration(r.durationMs, r.status !== "skipped"),
    r.status === "skipped" ? "" : (r.detail ?? ""),
  ]);
  const header = ["step", "status", "duration", "details"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  const out = [headline(results, meta), line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
  const critical = criticalPathLine(results, meta);
  if (critical) out.push(critical);
  const digests = collectDigests(results);
  if (digests.length > 0) out.push("images:", ...digests.map((d) => `  ${d}`));
  out.push(...(meta.notes ?? []));
  for (const r of results) {
    if (r.status === "failed" && r.output)
      out.push(
        `${r.name} output (last lines):`,
        ...excerpt(r.output)
          .split("\n")
          .map((line) => `  ${line}`),
      );
  }
  return out.join("\n");
}
