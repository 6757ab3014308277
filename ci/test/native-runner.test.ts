/**
 * The native runner of the root projects: the pipeline's own command, and a missing
 * prerequisite reported as NOT RUN (exit 3) outside CI and as a failure under CI=true,
 * never as "passed".
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ROOT_TEST_PROJECTS } from "../src/commands";
import { NOT_RUN_EXIT_CODE } from "../../tests/support/prerequisites";
import { PROJECT_PREREQUISITES } from "../../tests/support/projects";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Runs checkPrerequisites for `project` with every prerequisite reported missing. */
function withNothingInstalled(project: string, ci: boolean) {
  const script = `
    import { checkPrerequisites, PROJECT_PREREQUISITES } from "./tests/support/projects.ts";
    const missing = Object.fromEntries(Object.entries(PROJECT_PREREQUISITES).map(([k, v]) => [k, v.map((p) => ({ ...p, present: () => false }))]));
    checkPrerequisites(${JSON.stringify(project)}, missing);
    console.log("RAN");`;
  const env = { ...process.env, CI: ci ? "true" : "" };
  return spawnSync("npx", ["tsx", "--eval", script], { cwd: ROOT, encoding: "utf8", env });
}

describe("root project prerequisites", () => {
  it("platform needs nginx, Python, the venv, PostgreSQL, openssl and git; k8s needs kubectl", () => {
    expect(PROJECT_PREREQUISITES.platform.map((p) => p.what)).toEqual([
      "nginx",
      "Python >= 3.11 with venv (npm start)",
      "the project venv (database TLS test)",
      "PostgreSQL server binaries (database TLS test)",
      "openssl (database TLS test)",
      "git (pre-commit hook test)",
    ]);
    expect(PROJECT_PREREQUISITES.k8s.map((p) => p.what)).toEqual(["kubectl"]);
    expect(Object.keys(PROJECT_PREREQUISITES).sort()).toEqual([...ROOT_TEST_PROJECTS].sort());
  });

  it("platform without nginx says NOT RUN outside CI", () => {
    const result = withNothingInstalled("platform", false);
    expect(result.status).toBe(NOT_RUN_EXIT_CODE);
    expect(result.stderr).toMatch(/NOT RUN — platform: nginx is not available here/);
    expect(result.stdout).not.toContain("RAN");
  }, 60_000);

  it("platform without nginx fails under CI=true", () => {
    const result = withNothingInstalled("platform", true);
    expect(result.status).not.toBe(0);
    expect(result.status).not.toBe(NOT_RUN_EXIT_CODE);
    expect(result.stderr).toMatch(/CI=true: a missing prerequisite fails the run/);
  }, 60_000);
});
