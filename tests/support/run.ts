/**
 * Running programs from the scripts and suites, with zx: a CommandSpec from ci/src/commands.ts
 * natively (project venv first on PATH, so the native suites execute exactly what the pipeline
 * runs), and the few process helpers every suite shares (start, stop, exit status, PATH lookup).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import type { StdioOptions } from "node:child_process";
import { $, which, type ProcessOutput, type ProcessPromise } from "zx";
import type { CommandSpec } from "../../ci/src/commands";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const VENV_BIN = path.join(REPO_ROOT, ".venv", "bin");

/** PATH with the project venv (when present) and the root node_modules/.bin first. */
export function projectPath(): string {
  const extra = [path.join(REPO_ROOT, "node_modules", ".bin")];
  if (existsSync(VENV_BIN)) extra.unshift(VENV_BIN);
  return [...extra, process.env.PATH ?? ""].join(path.delimiter);
}

/** Full path of program `name` on PATH, or null: the one `command -v` of the scripts and suites. */
export function findOnPath(name: string): string | null {
  return which.sync(name, { nothrow: true });
}

export interface ProgramOptions {
  /** Working directory (default: the repository root). */
  cwd?: string;
  /** The whole environment of the child (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Default: no stdin, stdout and stderr captured. */
  stdio?: StdioOptions;
  /** Written to the child's stdin (which then is a pipe). */
  input?: string;
  /** SIGKILL after this many milliseconds. */
  timeoutMs?: number;
}

/**
 * Starts `argv` (each element passed as one argument, nothing is parsed by a shell) and returns
 * zx's ProcessPromise. It never rejects for a non-zero exit and echoes nothing itself. zx runs
 * commands through bash; the `exec` prefix makes bash replace itself with the program, so the
 * child process is the program and a signal sent to it (also synchronously at exit) reaches it.
 */
export function startProgram(argv: readonly string[], options: ProgramOptions = {}): ProcessPromise {
  if (argv.length === 0 || !argv[0]) throw new Error("startProgram: empty argv");
  const input = options.input || undefined; // zx leaves stdin open for an empty input
  const program = $({
    cwd: options.cwd ?? REPO_ROOT,
    env: options.env ?? process.env,
    stdio: options.stdio ?? [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    input,
    timeout: options.timeoutMs,
    timeoutSignal: "SIGKILL",
    nothrow: true,
    quiet: true,
    prefix: "exec ",
  })`${argv}`;
  // The child may exit before it reads its input (EPIPE): that is its exit status to report.
  if (input !== undefined) program.stdin?.on("error", () => undefined);
  return program;
}

/**
 * Runs `argv` to completion synchronously, stdout and stderr captured; for the few callers that
 * must not await (e.g. stopping a server from a process 'exit' handler). Never throws for a
 * non-zero exit.
 */
export function runProgramSync(
  argv: readonly string[],
  options: Pick<ProgramOptions, "cwd" | "env"> = {},
): ProcessOutput {
  if (argv.length === 0 || !argv[0]) throw new Error("runProgramSync: empty argv");
  return $.sync({
    cwd: options.cwd ?? REPO_ROOT,
    env: options.env ?? process.env,
    nothrow: true,
    quiet: true,
    prefix: "exec ",
  })`${argv}`;
}

/** Exit status of a finished program: its exit code, or 128 when a signal ended it. */
export function exitStatus(output: ProcessOutput): number {
  return output.exitCode ?? (output.signal ? 128 : 1);
}

/** Runs `argv` with this process's stdin, stdout and stderr; resolves to its exit status. */
export async function runInherited(
  argv: readonly string[],
  options: Omit<ProgramOptions, "stdio" | "input"> = {},
): Promise<number> {
  return exitStatus(await startProgram(argv, { ...options, stdio: "inherit" }));
}

/** Sends `signal`, waits up to `graceMs` for the program to end, then SIGKILLs it. */
export async function stopProgram(program: ProcessPromise, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (program.output) return;
  program.child?.kill(signal);
  // An unref'd timer: once the program has ended, it does not keep this process alive.
  const ended = await Promise.race([program.then(() => true), sleep(graceMs, false, { ref: false })]);
  if (!ended) {
    program.child?.kill("SIGKILL");
    await program;
  }
}

export interface RunOptions {
  /** Extra environment (e.g. DATABASE_URL) merged over the command's own. */
  env?: Record<string, string | undefined>;
}

/** Runs one command with inherited stdio; resolves to its exit code. */
export function runCommand(spec: CommandSpec, options: RunOptions = {}): Promise<number> {
  if (spec.argv.length === 0) throw new Error(`command "${spec.name}" has an empty argv`);
  console.log(`\n▶ ${spec.name}: ${spec.argv.join(" ")}  (in ${spec.cwd})`);
  return runInherited(spec.argv, {
    cwd: path.resolve(REPO_ROOT, spec.cwd),
    env: { ...process.env, PATH: projectPath(), ...spec.env, ...options.env },
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
