// The suites' support library: how programs are run (tests/support/run.ts, zx underneath), the
// docker helper's timeout, and the environment of the stack's frontend build.
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { exec } from "../support/docker";
import { exitStatus, findOnPath, runInherited, runProgramSync, startProgram, stopProgram } from "../support/run";
import { frontendBuildEnv } from "../support/stack";

describe("running programs", () => {
  it("passes each argument verbatim: no shell expansion, quoting or splitting", async () => {
    const output = await startProgram(["printf", "%s|", "a b", "$HOME", "'q'", "*", "x;y"]);
    expect(output.stdout).toBe("a b|$HOME|'q'|*|x;y|");
  });

  it("resolves to the exit code, without throwing for a failure", async () => {
    expect(await runInherited(["sh", "-c", "exit 3"])).toBe(3);
    const output = await startProgram(["sh", "-c", "echo out; echo err >&2; exit 4"]);
    expect([output.exitCode, output.stdout, output.stderr]).toEqual([4, "out\n", "err\n"]);
  });

  it("reports 128 for a program ended by a signal", async () => {
    const output = await startProgram(["sh", "-c", "kill -TERM $$"]);
    expect(output.signal).toBe("SIGTERM");
    expect(exitStatus(output)).toBe(128);
  });

  it("reports a missing program as exit 127 from the shell", async () => {
    const output = await startProgram(["no-such-program-prestamos"]);
    expect(output.exitCode).toBe(127);
    expect(output.stderr).toContain("no-such-program-prestamos");
  });

  it("starts the program itself, not a shell around it, so a signal reaches it", async () => {
    const program = startProgram(["sleep", "30"]);
    const command = () => readFileSync(`/proc/${program.child?.pid}/cmdline`, "utf8").split("\0")[0];
    // bash execs the program a moment after the spawn: wait for it (bounded), then check.
    for (let tries = 0; tries < 100 && command() !== "sleep"; tries += 1) await sleep(20);
    expect(command()).toBe("sleep");
    await stopProgram(program, "SIGTERM", 10_000);
    expect(program.output?.signal).toBe("SIGTERM");
  });

  it("stopProgram escalates to SIGKILL when the program ignores the signal", async () => {
    const program = startProgram(["sh", "-c", "trap '' TERM; echo ready; while :; do sleep 0.1; done"]);
    await new Promise<void>((resolve) => program.stdout.once("data", () => resolve()));
    await stopProgram(program, "SIGTERM", 300);
    expect(program.output?.signal).toBe("SIGKILL");
  });

  it("stopProgram leaves no timer behind that would keep this process alive for the grace period", async () => {
    const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === "Timeout").length;
    const program = startProgram(["sleep", "30"]);
    const before = timers();
    await stopProgram(program, "SIGTERM", 600_000);
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it("feeds input to stdin, and survives a program that exits without reading it", async () => {
    expect((await startProgram(["cat"], { input: "hola" })).stdout).toBe("hola");
    expect((await startProgram(["true"], { input: "x".repeat(1_000_000) })).exitCode).toBe(0);
  });

  it("runs synchronously when asked", () => {
    const output = runProgramSync(["sh", "-c", "echo sync; exit 5"]);
    expect([output.exitCode, output.stdout]).toEqual([5, "sync\n"]);
  });

  it("finds programs on PATH, and answers null for a missing one", () => {
    expect(findOnPath("sh")).toMatch(/^\/.*\/sh$/);
    expect(findOnPath("no-such-program-prestamos")).toBeNull();
  });

  it("docker's exec kills a command that outlives its timeout and says so", async () => {
    const result = await exec("sleep", ["30"], { timeoutMs: 300, env: process.env });
    expect(result.code).toBe(128);
    expect(result.stderr).toContain("[killed after 300 ms]");
  });
});

describe("the stack's frontend build", () => {
  it("drops NODE_ENV (vitest's 'test' would make Vite bundle React's development build)", () => {
    expect(frontendBuildEnv({ NODE_ENV: "test", PATH: "/usr/bin", HOME: "/root" })).toEqual({
      PATH: "/usr/bin",
      HOME: "/root",
    });
  });
});
