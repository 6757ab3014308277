/**
 * The production-like stack on this machine, for the end-to-end suite and the API benchmark:
 *
 *   throwaway PostgreSQL → `manage.py migrate` + `ensure_staff_user`
 *   → gunicorn (config.settings.production, plain HTTP) on a free loopback port
 *   → nginx with frontend/nginx/default.conf.template serving frontend/dist and proxying
 *     /api/ and /healthz to gunicorn (/readyz is asked of gunicorn directly).
 *
 * Everything listens on 127.0.0.1 only. `stop()` tears down whatever was started, also when
 * start-up fails half way, and the stack is torn down on SIGINT/SIGTERM and process exit.
 * Logs of each process go to reports/stack/<id>/ (git-ignored); on a start-up failure the
 * tail of the backend log is part of the error. Why natively: docs/adr/0003-native-test-stack.md.
 */
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync, readdirSync, statSync, type WriteStream } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { ProcessPromise } from "zx";
import { freePort } from "./net";
import { findNginx, startNginx } from "./nginx";
import { findPostgresBin, startThrowawayPostgres } from "./postgres";
import { missingPrerequisite } from "./prerequisites";
import { REPO_ROOT, VENV_BIN, findOnPath, runInherited, startProgram, stopProgram } from "./run";

export { freePort } from "./net";
export { NGINX_BIN_CANDIDATES } from "./nginx";

export interface StackOptions {
  /** nginx `LOANS_RATE_LIMIT` for POST /api/loans/, e.g. "5r/m" (default: generous, "600r/s"). */
  rateLimit?: string;
  /** nginx `LOANS_RATE_BURST` (default 1000). */
  burst?: number;
  /** Suite name used in NOT RUN / failure messages (default "stack"). */
  suite?: string;
  /** gunicorn workers / threads (default: gunicorn.conf.py's own defaults). */
  gunicornWorkers?: number;
  gunicornThreads?: number;
  /** Extra backend environment (e.g. LOG_LEVEL). */
  backendEnv?: Record<string, string>;
  /** Seconds to wait for the backend's /readyz (default 90). */
  readyTimeoutSeconds?: number;
}

export interface StaffCredentials {
  username: string;
  password: string;
}

export interface Stack {
  /** http://127.0.0.1:<nginx port>, no trailing slash. */
  baseUrl: string;
  /** Direct gunicorn address (for diagnostics; tests and the benchmark go through nginx). */
  backendUrl: string;
  /** PostgreSQL URL of the throwaway database. */
  databaseUrl: string;
  staff: StaffCredentials;
  /** Rate limit and burst nginx was started with. */
  rateLimit: string;
  burst: number;
  /** Folder with the process logs. */
  logDir: string;
  /** The backend environment (for running `manage.py` commands against this stack). */
  backendEnv: Record<string, string>;
  stop(): Promise<void>;
}

export const BACKEND_DIR = path.join(REPO_ROOT, "backend");
export const FRONTEND_DIR = path.join(REPO_ROOT, "frontend");
export const FRONTEND_DIST = path.join(FRONTEND_DIR, "dist");
export const DEFAULT_RATE_LIMIT = "600r/s";
export const DEFAULT_BURST = 1000;

/** `length` random characters from an alphabet Django's deploy check likes (letters, digits, symbols). */
export function randomSecret(length: number): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@#%^*-_=+";
  const bytes = randomBytes(length);
  let out = "";
  for (let i = 0; i < length; i += 1) out += alphabet[bytes[i]! % alphabet.length];
  return out;
}

export function nginxAvailable(): boolean {
  return findNginx() !== null;
}

/**
 * Checks what the stack needs; reports NOT RUN (exit 3) or, under CI=true, throws.
 * Returns normally when everything is there.
 */
export function requireStackPrerequisites(suite: string): void {
  if (findPostgresBin() === null) {
    missingPrerequisite(
      suite,
      "PostgreSQL server binaries (initdb, postgres)",
      "Install them with `npm run setup` (Debian: apt-get install postgresql).",
    );
  }
  if (!nginxAvailable()) {
    missingPrerequisite(suite, "nginx", "Install it with `npm run setup` (Debian: apt-get install nginx-light).");
  }
  if (!existsSync(path.join(VENV_BIN, "gunicorn")) || !existsSync(path.join(VENV_BIN, "python"))) {
    missingPrerequisite(suite, "the project venv (.venv with gunicorn)", "Create it with `npm run setup`.");
  }
}

/** Newest modification time (ms) of the frontend sources that end up in dist/. */
function newestFrontendSource(): number {
  let newest = 0;
  const visit = (target: string) => {
    if (!existsSync(target)) return;
    const stats = statSync(target);
    if (stats.isDirectory()) {
      for (const entry of readdirSync(target)) {
        if (entry === "node_modules" || entry === "dist") continue;
        visit(path.join(target, entry));
      }
    } else {
      newest = Math.max(newest, stats.mtimeMs);
    }
  };
  for (const entry of [
    "src",
    "public",
    "index.html",
    "vite.config.ts",
    "package.json",
    "tsconfig.json",
    "tsconfig.app.json",
    "tsconfig.node.json",
  ]) {
    visit(path.join(FRONTEND_DIR, entry));
  }
  return newest;
}

/** True when frontend/dist is missing or older than a frontend source file. */
export function frontendBuildIsStale(): boolean {
  const index = path.join(FRONTEND_DIST, "index.html");
  if (!existsSync(index)) return true;
  return statSync(index).mtimeMs < newestFrontendSource();
}

/**
 * The environment of the frontend build: this process's without NODE_ENV. Under vitest
 * NODE_ENV is "test", and Vite would then bundle React's development build.
 */
export function frontendBuildEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const { NODE_ENV: _vitestSetsThis, ...rest } = env;
  return rest;
}

/** Builds frontend/dist (`npm run build -w frontend`) when it is missing or stale. */
export async function ensureFrontendBuild(log: (line: string) => void = console.log): Promise<void> {
  if (!frontendBuildIsStale()) return;
  log("frontend/dist is missing or older than the sources: npm run build -w frontend");
  // flock serialises concurrent builds (e.g. the benchmark and the e2e suite at once).
  const lock = path.join(REPO_ROOT, "node_modules", ".frontend-build.lock");
  const build = ["npm", "run", "build", "-w", "frontend"];
  const code = await runInherited(findOnPath("flock") ? ["flock", lock, ...build] : build, { env: frontendBuildEnv() });
  if (code !== 0) throw new Error(`npm run build -w frontend exited with ${code}`);
  if (!existsSync(path.join(FRONTEND_DIST, "index.html")))
    throw new Error("the frontend build produced no frontend/dist/index.html");
}

/** Runs a command to completion with its output appended to `logStream`; rejects on non-zero exit. */
async function runLogged(
  argv: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
  logStream: WriteStream,
  label: string,
): Promise<void> {
  logStream.write(`\n$ ${label}\n`);
  const program = startProgram(argv, options);
  program.stdout.on("data", (chunk: Buffer) => logStream.write(chunk));
  program.stderr.on("data", (chunk: Buffer) => logStream.write(chunk));
  const output = await program;
  if (output.exitCode !== 0)
    throw new Error(`${label} failed (exit ${output.exitCode ?? output.signal}):\n${output.stdall.slice(-4000)}`);
}

/** Keeps the last `max` characters written to a stream, for error messages. */
class Tail {
  private text = "";
  constructor(private readonly max = 6000) {}
  push(chunk: Buffer | string): void {
    this.text = (this.text + chunk.toString()).slice(-this.max);
  }
  toString(): string {
    return this.text;
  }
}

async function waitForReady(url: string, timeoutMs: number, backend: ProcessPromise, backendTail: Tail): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer yet";
  while (Date.now() < deadline) {
    if (backend.output) {
      throw new Error(
        `gunicorn exited (${backend.output.exitCode ?? backend.output.signal}) before ${url} was ready:\n${backendTail}`,
      );
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      const body = await response.text();
      if (response.status === 200) return;
      last = `${response.status} ${body.slice(0, 300)}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(300);
  }
  throw new Error(
    `timed out after ${timeoutMs / 1000} s waiting for ${url} (last: ${last}).\nbackend log tail:\n${backendTail}`,
  );
}

// Every live stack, so that signals and process exit tear them down.
const liveStacks = new Set<{ stop: () => Promise<void>; killNow: () => void }>();
let exitHooksInstalled = false;

function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  // 'exit' handlers must be synchronous: kill what we can right away.
  process.on("exit", () => {
    for (const stack of liveStacks) stack.killNow();
  });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      void Promise.allSettled([...liveStacks].map((stack) => stack.stop())).finally(() => {
        process.exit(signal === "SIGINT" ? 130 : 143);
      });
    });
  }
}

let stackCounter = 0;

/** Starts the whole stack; see the module comment. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const suite = options.suite ?? "stack";
  requireStackPrerequisites(suite);
  installExitHooks();

  const rateLimit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
  const burst = options.burst ?? DEFAULT_BURST;
  const id = `${new Date().toISOString().replace(/[:.]/g, "-")}-${process.pid}-${(stackCounter += 1)}`;
  const logDir = path.join(REPO_ROOT, "reports", "stack", id);
  mkdirSync(logDir, { recursive: true });
  const setupLog = createWriteStream(path.join(logDir, "setup.log"));
  const backendLog = createWriteStream(path.join(logDir, "gunicorn.log"));
  const backendTail = new Tail();

  // Teardown steps, run in reverse order by stop().
  const teardown: Array<{ name: string; run: () => Promise<void>; now?: () => void }> = [];
  let stopped: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      liveStacks.delete(handle);
      const errors: string[] = [];
      for (const step of teardown.reverse()) {
        try {
          await step.run();
        } catch (error) {
          errors.push(`${step.name}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      setupLog.end();
      backendLog.end();
      if (errors.length > 0) console.error(`stack teardown problems:\n  ${errors.join("\n  ")}`);
    })();
    return stopped;
  };
  const handle = {
    stop,
    killNow: () => {
      for (const step of teardown) {
        try {
          step.now?.();
        } catch {
          // best effort at process exit
        }
      }
    },
  };
  liveStacks.add(handle);

  try {
    await ensureFrontendBuild((line) => console.log(`[stack] ${line}`));

    const postgres = await startThrowawayPostgres();
    teardown.push({
      name: "postgres",
      run: () => postgres.stop(),
      now: () => void postgres.stop().catch(() => undefined),
    });

    const backendPort = await freePort();
    const nginxPort = await freePort();
    const baseUrl = `http://127.0.0.1:${nginxPort}`;
    const staff: StaffCredentials = { username: "e2e-staff", password: randomSecret(24) };
    const backendEnv: Record<string, string> = {
      DJANGO_SETTINGS_MODULE: "config.settings.production",
      DJANGO_SECRET_KEY: randomSecret(64),
      DJANGO_ALLOWED_HOSTS: "127.0.0.1,localhost",
      CSRF_TRUSTED_ORIGINS: baseUrl,
      DJANGO_HTTPS: "false",
      DATABASE_URL: postgres.url,
      PORT: String(backendPort),
      DJANGO_STAFF_USERNAME: staff.username,
      DJANGO_STAFF_PASSWORD: staff.password,
      DJANGO_STAFF_EMAIL: "e2e-staff@example.com",
      ...(options.gunicornWorkers ? { GUNICORN_WORKERS: String(options.gunicornWorkers) } : {}),
      ...(options.gunicornThreads ? { GUNICORN_THREADS: String(options.gunicornThreads) } : {}),
      ...options.backendEnv,
    };
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: `${VENV_BIN}${path.delimiter}${process.env.PATH ?? ""}`,
      ...backendEnv,
    };
    delete env.SCORING_URL; // the embedded rules engine, no outside service
    const python = path.join(VENV_BIN, "python");
    await runLogged(
      [python, "manage.py", "migrate", "--noinput"],
      { cwd: BACKEND_DIR, env },
      setupLog,
      "manage.py migrate",
    );
    await runLogged(
      [python, "manage.py", "ensure_staff_user"],
      { cwd: BACKEND_DIR, env },
      setupLog,
      "manage.py ensure_staff_user",
    );

    // --bind on the command line wins over gunicorn.conf.py: loopback only.
    const gunicorn = startProgram(
      [path.join(VENV_BIN, "gunicorn"), "-c", "gunicorn.conf.py", "--bind", `127.0.0.1:${backendPort}`, "config.wsgi"],
      { cwd: BACKEND_DIR, env },
    );
    const onOutput = (chunk: Buffer) => {
      backendLog.write(chunk);
      backendTail.push(chunk);
    };
    gunicorn.stdout.on("data", onOutput);
    gunicorn.stderr.on("data", onOutput);
    teardown.push({
      name: "gunicorn",
      // SIGTERM: gunicorn's graceful shutdown, bounded by its own graceful timeout.
      run: () => stopProgram(gunicorn, "SIGTERM", 25_000),
      now: () => {
        if (!gunicorn.output) gunicorn.child?.kill("SIGKILL");
      },
    });
    const backendUrl = `http://127.0.0.1:${backendPort}`;

    const nginx = await startNginx({ backendUrl, port: nginxPort, root: FRONTEND_DIST, rateLimit, burst });
    teardown.push({ name: "nginx", run: () => nginx.stop(), now: () => void nginx.stop().catch(() => undefined) });
    const nginxUrl = (nginx.url ?? baseUrl).replace(/\/+$/, "");
    if (nginxUrl !== baseUrl) {
      // CSRF_TRUSTED_ORIGINS was computed from the port we asked for.
      throw new Error(`startNginx answered url ${nginxUrl}, expected ${baseUrl}`);
    }

    // /readyz is answered by the backend only (nginx does not proxy it); then one request
    // through nginx proves the proxy path.
    await waitForReady(`${backendUrl}/readyz`, (options.readyTimeoutSeconds ?? 90) * 1000, gunicorn, backendTail);
    await waitForReady(`${baseUrl}/healthz`, 10_000, gunicorn, backendTail);

    return { baseUrl, backendUrl, databaseUrl: postgres.url, staff, rateLimit, burst, logDir, backendEnv, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Runs `manage.py <args>` against a started stack's database; resolves to stdout. */
export async function manageStack(stack: Pick<Stack, "backendEnv">, args: string[]): Promise<string> {
  const env = { ...process.env, PATH: `${VENV_BIN}${path.delimiter}${process.env.PATH ?? ""}`, ...stack.backendEnv };
  const output = await startProgram([path.join(VENV_BIN, "python"), "manage.py", ...args], { cwd: BACKEND_DIR, env });
  if (output.exitCode !== 0)
    throw new Error(`manage.py ${args[0]} failed (${output.exitCode}):\n${output.stderr.slice(-3000)}`);
  return output.stdout;
}
