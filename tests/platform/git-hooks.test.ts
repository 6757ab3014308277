// The pre-commit hook: husky installs it from npm's "prepare" script, and it runs lint-staged
// (lint-staged.config.mjs). Installs must never fail because of it: not in a Docker build that
// installs only the frontend workspace (no husky), not in a build context without .git.
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runProgramSync, startProgram } from "../support/run";

type Task = (files: string[]) => string | string[];
const CONFIG_URL = pathToFileURL(path.join(REPO_ROOT, "lint-staged.config.mjs")).href;
const TASKS = ((await import(CONFIG_URL)) as { default: Record<string, Task> }).default;
/** This process's environment without GIT_* variables (a hook exports GIT_DIR, GIT_INDEX_FILE…). */
const CLEAN_ENV = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("GIT_")));
const PREPARE = (
  JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }
).scripts.prepare!;

const temps: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "prestamos-hooks-"));
  temps.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** Runs the prepare script as npm does (`sh -c`), in `cwd`, with `bin` as the only extra PATH entry. */
function prepare(cwd: string, bin?: string) {
  const PATH = [bin, "/usr/local/bin", "/usr/bin", "/bin"].filter(Boolean).join(path.delimiter);
  return runProgramSync(["sh", "-c", PREPARE], { cwd, env: { PATH, HOME: process.env.HOME } });
}

describe("npm's prepare script (husky)", () => {
  it("does not fail an install where husky is not installed (frontend-only Docker build)", () => {
    const output = prepare(tempDir());
    expect(output.exitCode).toBe(0);
  });

  it("does not fail, and installs nothing, without a .git (Docker build context, Dagger container)", () => {
    const output = prepare(tempDir(), path.join(REPO_ROOT, "node_modules", ".bin"));
    expect(output.exitCode).toBe(0);
    expect(output.stdout).toContain(".git can't be found");
  });

  it("points git at .husky/_ in a clone, whose pre-commit runs lint-staged", () => {
    const repo = tempDir();
    expect(runProgramSync(["git", "init", "--quiet", repo], { env: CLEAN_ENV }).exitCode).toBe(0);
    cpSync(path.join(REPO_ROOT, ".husky", "pre-commit"), path.join(repo, ".husky", "pre-commit"));
    expect(prepare(repo, path.join(REPO_ROOT, "node_modules", ".bin")).exitCode).toBe(0);
    expect(runProgramSync(["git", "config", "core.hooksPath"], { cwd: repo, env: CLEAN_ENV }).stdout.trim()).toBe(
      ".husky/_",
    );
    expect(readFileSync(path.join(repo, ".husky", "_", "pre-commit"), "utf8")).toContain('. "$(dirname "$0")/h"');
    expect(readFileSync(path.join(repo, ".husky", "pre-commit"), "utf8").trim()).toBe("lint-staged");
  });
});

describe("lint-staged.config.mjs", () => {
  const format = TASKS["*.{ts,tsx,mts,mjs,js,json,yaml,yml,md}"]!;
  const python = TASKS["*.py"]!;
  const at = (file: string) => path.join(REPO_ROOT, file);

  it("formats staged files with Prettier, and runs ESLint on the frontend's sources after it", () => {
    const commands = [format([at("scripts/lint.ts"), at("frontend/src/app/App.tsx"), at("README.md")])].flat();
    expect(commands).toHaveLength(2);
    expect(commands[0]).toBe(
      `prettier --write "${at("scripts/lint.ts")}" "${at("frontend/src/app/App.tsx")}" "${at("README.md")}"`,
    );
    expect(commands[1]).toBe(
      `npm exec --workspace frontend -- eslint --max-warnings 0 --no-warn-ignored "${at("frontend/src/app/App.tsx")}"`,
    );
  });

  it("runs no ESLint when no frontend source is staged", () => {
    expect([format([at("tests/support/run.ts"), at("frontend/package.json")])].flat()).toHaveLength(1);
  });

  it("runs ruff from the project venv on staged Python", () => {
    const ruff = JSON.stringify(path.join(REPO_ROOT, ".venv", "bin", "ruff"));
    expect(python([at("backend/loans/views.py")])).toEqual([
      `${ruff} check --fix "${at("backend/loans/views.py")}"`,
      `${ruff} format "${at("backend/loans/views.py")}"`,
    ]);
  });

  it("reformats and re-stages what is committed, in a real repository", async () => {
    const repo = tempDir();
    for (const file of ["lint-staged.config.mjs", ".prettierrc.json", ".prettierignore"]) {
      cpSync(path.join(REPO_ROOT, file), path.join(repo, file));
    }
    symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(repo, "node_modules"));
    const identity = {
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@example.com",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@example.com",
    };
    const env = { ...CLEAN_ENV, ...identity };
    const git = (...args: string[]) => runProgramSync(["git", ...args], { cwd: repo, env });
    git("init", "--quiet");
    writeFileSync(path.join(repo, ".gitignore"), "node_modules\n");
    git("add", ".");
    git("commit", "--quiet", "-m", "base");
    writeFileSync(path.join(repo, "a.ts"), "const a = {b:1,c:'x'}\n");
    git("add", "a.ts");

    const run = await startProgram([path.join(REPO_ROOT, "node_modules", ".bin", "lint-staged")], { cwd: repo, env });
    expect(run.exitCode, run.stdall).toBe(0);
    expect(git("show", ":a.ts").stdout).toBe('const a = { b: 1, c: "x" };\n');
  });
});
