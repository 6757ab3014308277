/**
 * Runs a CommandSpec from ci/src/commands.ts natively on this machine, with the project
 * venv first on PATH, so the native suites execute exactly what the pipeline runs.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { CommandSpec } from "../../ci/src/commands";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const VENV_BIN = path.join(REPO_ROOT, ".venv", "bin");

/** PATH with the project venv (when present) and the root node_modules/.bin first. */
export function projectPath(): string {
  const extra = [path.join(REPO_ROOT, "node_modules", ".bin")];
  if (existsSync(VENV_BIN)) extra.unshift(VENV_BIN);
  return [...extra, process.env.PATH ?? ""].join(path.delimiter);
}

export interface RunOptions {
  /** Extra environment (e.g. DATABASE_URL) merged over the command's own. */
  env?: Record<string, string | undefined>;
}

/** Runs one command with inherited stdio; resolves to its exit code. */
export function runCommand(spec: CommandSpec, options: RunOptions = {}): Promise<number> {
  const cwd = path.resolve(REPO_ROOT, spec.cwd);
  const [file, ...args] = spec.argv;
  if (!file) throw new Error(`command "${spec.name}" has an empty argv`);
  console.log(`\n▶ ${spec.name}: ${spec.argv.join(" ")}  (in ${spec.cwd})`);
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd,
      stdio: "inherit",
      env: { ...process.env, PATH: projectPath(), ...spec.env, ...options.env },
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** Runs commands in order and stops at the first failure; resolves to that exit code or 0. */
export async function runAll(specs: readonly CommandSpec[], options: RunOptions = {}): Promise<number> {
  for (const spec of specs) {
    const code = await runCommand(spec, options);
    if (code !== 0) {
      console.error(`✖ ${spec.name} exited with ${code}`);
      return code;
    }
  }
  return 0;
}
