import { describe, expect, it } from "vitest";
import { allPassed, errorMessage, runConcurrently, runStep, skipped } from "../src/steps";

function fakeClock(...ticks: number[]) {
  return () => ticks.shift() ?? 0;
}

describe("runStep", () => {
  it("times a passing step and keeps its digests", async () => {
    const r = await runStep("publish", async () => ({ digests: ["x@sha256:1"] }), fakeClock(100, 1600));
    expect(r).toEqual({ name: "publish", status: "passed", durationMs: 1500, digests: ["x@sha256:1"] });
  });
  it("turns a thrown error into a failed result with its first line", async () => {
    const r = await runStep(
      "test",
      async () => {
        throw new Error("tests failed: django\nstack…");
      },
      fakeClock(0, 20),
    );
    expect(r).toEqual({
      name: "test",
      status: "failed",
      durationMs: 20,
      detail: "tests failed: django",
      output: "tests failed: django\nstack…",
    });
  });
  it("keeps a failed command's stdout and stderr as the step's output", async () => {
    const failure = Object.assign(new Error("process did not complete successfully: exit code: 1"), {
      stdout: "▶ validate\n✔ validate (0.1s)\n",
      stderr: "deploy FAILED [smoke]: smoke test failed\n",
    });
    const r = await runStep(
      "deploy",
      async () => {
        throw failure;
      },
      fakeClock(0, 1),
    );
    expect(r.detail).toBe("process did not complete successfully: exit code: 1");
    expect(r.output).toBe(
      "process did not complete successfully: exit code: 1\n▶ validate\n✔ validate (0.1s)\ndeploy FAILED [smoke]: smoke test failed",
    );
  });
  it("does not repeat a message the command printed itself", async () => {
    const failure = Object.assign(new Error("deploy FAILED [smoke]: smoke test failed"), {
      stdout: "▶ validate\n",
      stderr: "deploy FAILED [smoke]: smoke test failed\n  event: Unhealthy\n",
    });
    const r = await runStep(
      "deploy",
      async () => {
        throw failure;
      },
      fakeClock(0, 1),
    );
    expect(r.output).toBe("▶ validate\ndeploy FAILED [smoke]: smoke test failed\n  event: Unhealthy");
  });
  it("has no output for a one-line failure", async () => {
    const r = await runStep(
      "lint",
      async () => {
        throw new Error("lint failed: eslint");
      },
      fakeClock(0, 1),
    );
    expect(r.output).toBeUndefined();
  });
  it("never reports negative durations", async () => {
    expect((await runStep("x", async () => undefined, fakeClock(10, 5))).durationMs).toBe(0);
  });
});

describe("runConcurrently", () => {
  it("starts every step before any finishes and measures the whole", async () => {
    const started: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const body = (name: string) => async () => {
      started.push(name);
      await gate;
    };
    const run = runConcurrently(
      [
        ["a", body("a")],
        ["b", body("b")],
      ],
      fakeClock(0, 0, 0, 7, 9, 10),
    );
    await Promise.resolve();
    expect(started).toEqual(["a", "b"]);
    release();
    const { results, wallMs } = await run;
    expect(results.map((r) => r.name)).toEqual(["a", "b"]);
    expect(wallMs).toBe(10);
  });
});

describe("helpers", () => {
  it("skipped steps do not fail a run; failed ones do", () => {
    expect(allPassed([skipped("deploy", "no --kubeconfig"), { name: "lint", status: "passed", durationMs: 1 }])).toBe(
      true,
    );
    expect(allPassed([{ name: "lint", status: "failed", durationMs: 1 }])).toBe(false);
  });
  it("formats non-Error throws", () => {
    expect(errorMessage("boom")).toBe("boom");
    expect(errorMessage(new Error(""))).toBe("failed");
  });
});
