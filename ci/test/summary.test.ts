import { describe, expect, it } from "vitest";
import type { StepResult } from "../src/steps";
import { collectDigests, formatDuration, formatSummary } from "../src/summary";

const DIGEST = `ghcr.io/a/b/backend:dev-1a2b3c4@sha256:${"b".repeat(64)}`;
const results: StepResult[] = [
  { name: "lint", status: "passed", durationMs: 12_300 },
  { name: "test", status: "failed", durationMs: 65_000, detail: "tests failed: django tests (postgres) (exit 1)" },
  { name: "publish", status: "skipped", durationMs: 0, detail: "gate failed" },
];

describe("formatDuration", () => {
  it.each([
    [850, "850ms"],
    [12_345, "12.3s"],
    [65_000, "1m 05s"],
  ])("%d → %s", (ms, text) => expect(formatDuration(ms)).toBe(text));
  it("shows - for steps that did not run", () => expect(formatDuration(0, false)).toBe("-"));
});

describe("formatSummary", () => {
  it("renders a table with status, duration and failure details", () => {
    const text = formatSummary(results, {
      branch: "dev",
      sha: "1a2b3c4d5e",
      environment: "development (challenge-dev)",
    });
    const lines = text.split("\n");
    expect(lines[0]).toBe("prestamos CI FAILED (branch dev, commit 1a2b3c4, environment development (challenge-dev))");
    expect(lines[1]).toMatch(/^step +status +duration +details$/);
    expect(text).toMatch(/^lint +passed +12\.3s$/m);
    expect(text).toMatch(/^test +failed +1m 05s +tests failed: django tests \(postgres\) \(exit 1\)$/m);
    expect(text).toMatch(/^publish +skipped \(gate failed\) +-$/m);
  });
  it("shows what a passed step produced, notes, and the tail of a failed step's output", () => {
    const text = formatSummary(
      [
        {
          name: "deploy",
          status: "failed",
          durationMs: 9_000,
          detail: "deploy FAILED [smoke]: smoke test failed",
          output: ["x", ...Array.from({ length: 30 }, (_, i) => `line ${i}`)].join("\n"),
        },
        { name: "record", status: "passed", durationMs: 1_000, detail: "ghcr.io/a/b/releases:tree-abc" },
      ],
      { notes: ["slack: sent"] },
    );
    expect(text).toMatch(/^record +passed +1\.0s +ghcr\.io\/a\/b\/releases:tree-abc$/m);
    expect(text).toContain("slack: sent\ndeploy output (last lines):\n  line 10\n");
    expect(text.endsWith("  line 29")).toBe(true);
    expect(text).not.toContain("  line 9\n");
  });
  it("lists digests and says PASSED when nothing failed", () => {
    const text = formatSummary([{ name: "publish", status: "passed", durationMs: 5, digests: [DIGEST] }]);
    expect(text).toMatch(/^prestamos CI PASSED \(no branch, no commit\)/);
    expect(text).toContain(`images:\n  ${DIGEST}`);
    expect(collectDigests([{ name: "p", status: "passed", durationMs: 1, digests: [DIGEST] }])).toEqual([DIGEST]);
  });
});

describe("critical path", () => {
  it("compares the gate's wall time with its longest step", () => {
    const gate: StepResult[] = [
      { name: "lint", status: "passed", durationMs: 40_000 },
      { name: "test", status: "passed", durationMs: 200_000 },
      { name: "publish", status: "passed", durationMs: 500_000 },
    ];
    const text = formatSummary(gate, { gateWallMs: 212_000, gateSteps: ["lint", "test"] });
    expect(text).toContain("gate: 3m 32s wall, longest step test 3m 20s (critical path 1.06 × longest step)");
    expect(text.split("\n").filter((l) => l.startsWith("gate:"))).toHaveLength(1);
  });
  it("is left out when the gate was not timed", () => {
    expect(formatSummary(results)).not.toContain("critical path");
  });
});
