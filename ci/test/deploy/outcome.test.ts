import { describe, expect, it } from "vitest";
import { deployOutcome, failureLine } from "../../src/deploy/outcome";

const LOG =
  "▶ validate\n✔ validate (0.1s)\n▶ smoke test\n  frontend /: ok\n✔ smoke test (0.3s)\ndeployed v4 (commit 1a2b3c4) to challenge-dev in 73.4s\n";

describe("deployOutcome", () => {
  it("reads a success: smoke test passed, the engine's last line", () => {
    expect(deployOutcome(LOG, true)).toEqual({
      outcome: "succeeded",
      smokeTest: "passed",
      line: "deployed v4 (commit 1a2b3c4) to challenge-dev in 73.4s",
    });
  });
  it.each([
    ["smoke", "failed"],
    ["rollout", "not-run"],
    ["migration", "not-run"],
    ["access", "not-run"],
  ])("reads a %s failure as smoke test %s", (kind, smokeTest) => {
    const output = `exit code: 1\n▶ validate\n${failureLine(kind as "smoke", "it broke; rolled back to v3 (commit 0f0f0f0)")}\n  event: BackOff\n`;
    expect(deployOutcome(output, false)).toEqual({
      outcome: "failed",
      smokeTest,
      kind,
      line: `deploy FAILED [${kind}]: it broke; rolled back to v3 (commit 0f0f0f0)`,
    });
  });
  it("reads an argument error and an output without the CLI's line", () => {
    expect(deployOutcome(failureLine("arguments", "--timeout is not a duration"), false).kind).toBe("arguments");
    expect(deployOutcome("engine error: connection reset", false)).toEqual({
      outcome: "failed",
      smokeTest: "not-run",
      kind: undefined,
      line: undefined,
    });
  });
});
