/**
 * Docker and compose helpers for the container suite (tests/containers/), its runner
 * (scripts/test-containers.ts) and the image benchmark (scripts/bench-images.ts).
 *
 * Everything is driven by the environment, so the same code runs against the real base
 * images (CI, laptops) and against local stand-ins where no registry is reachable
 * (docs/adr/0004-no-dagger-engine-on-the-development-machine.md), selected through
 * PYTHON_VERSION, NODE_VERSION, NGINX_VERSION, POSTGRES_VERSION, PIP_INDEX_URL, DOCKER and
 * DOCKER_BUILDKIT:
 *
 * - DOCKER: the docker CLI to use (default `docker` from PATH);
 * - compose: `docker compose` (v2) when that works, else `docker-compose` (v1.29) with the
 *   directory of DOCKER first on PATH, so compose's own `docker build` calls use that CLI;
 * - build args: PYTHON_VERSION, PIP_INDEX_URL, NODE_VERSION, NGINX_VERSION, VERSION,
 *   VCS_REF, SOURCE_URL, BUILD_DATE, each passed only when set.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT, exitStatus, startProgram } from "./run";

export { REPO_ROOT };

export const BACKEND_IMAGE = "prestamos-backend:local";
export const FRONTEND_IMAGE = "prestamos-frontend:local";

/** The default of `ARG <name>=<value>` in a Dockerfile, or of `${<name>:-<value>}` in compose.yaml. */
function defaultOf(file: string, name: string): string {
  const text = readFileSync(path.join(REPO_ROOT, file), "utf8");
  const match =
    new RegExp(`^ARG ${name}=(\\S+)$`, "m").exec(text) ?? new RegExp(`\\$\\{${name}:-([^}]+)\\}`).exec(text);
  if (!match?.[1]) throw new Error(`${file} sets no default for ${name}`);
  return match[1];
}

/**
 * Base-image versions used when the environment sets none: read from the Dockerfiles and
 * compose.yaml, the one place they are written (and updated by Renovate, renovate.json).
 */
export const DEFAULT_VERSIONS = {
  PYTHON_VERSION: defaultOf("backend.Dockerfile", "PYTHON_VERSION"),
  NODE_VERSION: defaultOf("frontend.Dockerfile", "NODE_VERSION"),
  NGINX_VERSION: defaultOf("frontend.Dockerfile", "NGINX_VERSION"),
  POSTGRES_VERSION: defaultOf("compose.yaml", "POSTGRES_VERSION"),
} as const;

export interface ImageSpec {
  readonly name: "backend" | "frontend";
  readonly tag: string;
  readonly dockerfile: string;
  /** Build args forwarded from the environment when set. */
  readonly args: readonly string[];
  /** Whether the build needs the host network (pip index on 127.0.0.1). */
  readonly hostNetwork: boolean;
  /** The runtime stage's base image, resolved from the environment. */
  base(env?: NodeJS.ProcessEnv): string;
}

const LABEL_ARGS = ["VERSION", "VCS_REF", "SOURCE_URL", "BUILD_DATE"] as const;

export const IMAGES: readonly ImageSpec[] = [
  {
    name: "backend",
    tag: BACKEND_IMAGE,
    dockerfile: "backend.Dockerfile",
    args: ["PYTHON_VERSION", "PIP_INDEX_URL", ...LABEL_ARGS],
    hostNetwork: true,
    base: (env = process.env) => `python:${env.PYTHON_VERSION || DEFAULT_VERSIONS.PYTHON_VERSION}-slim-bookworm`,
  },
  {
    name: "frontend",
    tag: FRONTEND_IMAGE,
    dockerfile: "frontend.Dockerfile",
    args: ["NODE_VERSION", "NGINX_VERSION", ...LABEL_ARGS],
    hostNetwork: false,
    base: (env = process.env) =>
      `nginxinc/nginx-unprivileged:${env.NGINX_VERSION || DEFAULT_VERSIONS.NGINX_VERSION}-bookworm`,
  },
];

/** The docker CLI: $DOCKER or `docker`. */
export function dockerBin(): string {
  return process.env.DOCKER || "docker";
}

/** Environment for docker and compose children: BuildKit on, DOCKER's directory first on PATH. */
export function dockerEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const bin = dockerBin();
  const dir = path.isAbsolute(bin) ? path.dirname(bin) : undefined;
  const PATH = dir ? [dir, process.env.PATH ?? ""].join(path.delimiter) : process.env.PATH;
  return { DOCKER_BUILDKIT: "1", COMPOSE_DOCKER_CLI_BUILD: "1", ...process.env, PATH, ...extra };
}

export interface ExecResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

export interface ExecOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Print the child's output live (still captured). */
  echo?: boolean;
  timeoutMs?: number;
  input?: string;
}

/** Runs a command to completion, capturing its output; never throws for a non-zero exit. */
export async function exec(file: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  const program = startProgram([file, ...args], {
    cwd: options.cwd,
    env: options.env ?? dockerEnv(),
    input: options.input,
    timeoutMs: options.timeoutMs,
  });
  if (options.echo) {
    program.stdout.on("data", (chunk: Buffer) => process.stdout.write(chunk));
    program.stderr.on("data", (chunk: Buffer) => process.stderr.write(chunk));
  }
  const output = await program;
  // zx's timeout ends the program with SIGKILL once timeoutMs have passed.
  const timedOut =
    options.timeoutMs !== undefined && output.signal === "SIGKILL" && output.duration >= options.timeoutMs;
  return {
    code: exitStatus(output),
    stdout: output.stdout,
    stderr: timedOut ? `${output.stderr}\n[killed after ${options.timeoutMs} ms]` : output.stderr,
    ms: output.duration,
  };
}

/** Runs the docker CLI. */
export function docker(args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  return exec(dockerBin(), args, { env: dockerEnv(), ...options });
}

/** Like `docker` but throws with the command's output when it fails. */
export async function dockerOk(args: readonly string[], options: ExecOptions = {}): Promise<string> {
  const result = await docker(args, options);
  if (result.code !== 0) {
    throw new Error(`docker ${args.join(" ")} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout.trim();
}

// The two probes below are synchronous with a timeout (a hung daemon must not hang a suite):
// spawnSync, because zx's synchronous mode has no timeout.

/** Why Docker cannot be used here, or undefined when the engine answers. */
export function dockerUnavailableReason(): string | undefined {
  const result = spawnSync(dockerBin(), ["info", "--format", "{{.ServerVersion}}"], {
    env: dockerEnv(),
    encoding: "utf8",
    timeout: 20_000,
  });
  if (result.error) return `cannot run \`${dockerBin()}\`: ${result.error.message}`;
  if (result.status !== 0) return `\`${dockerBin()} info\` failed: ${(result.stderr || result.stdout).trim()}`;
  return undefined;
}

/** How to call compose: argv prefix, e.g. ["docker", "compose"] or ["docker-compose"]. */
export interface ComposeCommand {
  readonly argv: readonly [string, ...string[]];
  readonly v2: boolean;
  readonly version: string;
}

let composeCache: ComposeCommand | null | undefined;

/** Finds compose v2 (`$DOCKER compose`, `docker compose`) or v1 (`docker-compose`). */
export function findCompose(): ComposeCommand | undefined {
  if (composeCache !== undefined) return composeCache ?? undefined;
  const candidates: (readonly [string, ...string[]])[] = [
    [dockerBin(), "compose"],
    ["docker", "compose"],
    ["docker-compose"],
  ];
  for (const argv of candidates) {
    const [file, ...rest] = argv;
    const result = spawnSync(file, [...rest, "version", "--short"], {
      env: dockerEnv(),
      encoding: "utf8",
      timeout: 20_000,
    });
    if (result.status === 0 && result.stdout.trim()) {
      const version = result.stdout.trim();
      composeCache = { argv, v2: !version.startsWith("1."), version };
      return composeCache;
    }
  }
  composeCache = null;
  return undefined;
}

/** A compose project bound to a project name and an environment for interpolation. */
export class ComposeProject {
  constructor(
    readonly command: ComposeCommand,
    readonly project: string,
    readonly env: Record<string, string>,
    readonly file = path.join(REPO_ROOT, "compose.yaml"),
  ) {}

  run(args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    const [file, ...prefix] = this.command.argv;
    return exec(file, [...prefix, "-p", this.project, "-f", this.file, ...args], {
      env: dockerEnv({ ...this.env, COMPOSE_PROJECT_NAME: this.project }),
      ...options,
    });
  }

  async ok(args: readonly string[], options: ExecOptions = {}): Promise<string> {
    const result = await this.run(args, options);
    if (result.code !== 0) {
      throw new Error(`compose ${args.join(" ")} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
    }
    return result.stdout;
  }

  /** Container ids of a service (running or not), via labels: same for compose v1 and v2. */
  async containerIds(service: string): Promise<string[]> {
    const out = await dockerOk([
      "ps",
      "-a",
      "-q",
      "--no-trunc",
      "--filter",
      `label=com.docker.compose.project=${this.project}`,
      "--filter",
      `label=com.docker.compose.service=${service}`,
    ]);
    return out.split("\n").filter(Boolean);
  }

  async containerId(service: string): Promise<string> {
    const ids = await this.containerIds(service);
    if (ids.length !== 1 || !ids[0]) throw new Error(`expected one ${service} container, found ${ids.length}`);
    return ids[0];
  }

  /** `down` with volumes and orphans; never throws (used in teardown). */
  async down(): Promise<ExecResult> {
    return this.run(["down", "--volumes", "--remove-orphans", "--timeout", "10"], { timeoutMs: 120_000 });
  }
}

/** Build args for an image from the environment (only the ones that are set). */
export function buildArgs(image: ImageSpec, env: NodeJS.ProcessEnv = process.env): string[] {
  const out: string[] = [];
  for (const name of image.args) {
    const value = env[name];
    if (value !== undefined && value !== "") out.push("--build-arg", `${name}=${value}`);
  }
  return out;
}

export interface BuildOptions {
  noCache?: boolean;
  echo?: boolean;
  extraArgs?: readonly string[];
}

/** `docker build` of one image from the repo root; resolves with the timing, throws on failure. */
export async function buildImage(image: ImageSpec, options: BuildOptions = {}): Promise<ExecResult> {
  const args = [
    "build",
    "--file",
    image.dockerfile,
    "--tag",
    image.tag,
    ...(image.hostNetwork ? ["--network", "host"] : []),
    ...(options.noCache ? ["--no-cache"] : []),
    ...buildArgs(image),
    ...(options.extraArgs ?? []),
    ".",
  ];
  const result = await docker(args, { echo: options.echo, timeoutMs: 30 * 60_000 });
  if (result.code !== 0) {
    throw new Error(`building ${image.tag} failed (exit ${result.code})\n${result.stderr.slice(-4000)}`);
  }
  return result;
}

export interface ContainerState {
  readonly status: string;
  readonly health?: string;
  readonly exitCode: number;
}

/** State of a container; throws StopWaiting with its log tail when it is no longer running. */
export async function runningState(id: string): Promise<ContainerState> {
  const state = await containerState(id);
  if (state.status !== "running") {
    const logs = await docker(["logs", "--tail", "40", id]);
    throw new StopWaiting(
      `container ${id.slice(0, 12)} is ${state.status} (exit ${state.exitCode}):\n${logs.stdout}${logs.stderr}`,
    );
  }
  return state;
}

export async function containerState(id: string): Promise<ContainerState> {
  const out = await dockerOk(["inspect", "--format", "{{json .State}}", id]);
  const state = JSON.parse(out) as { Status: string; ExitCode: number; Health?: { Status: string } };
  return { status: state.Status, health: state.Health?.Status, exitCode: state.ExitCode };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Thrown by a `waitFor` check to stop waiting at once (e.g. the container exited). */
export class StopWaiting extends Error {}

/** Polls `check` every `everyMs` until it returns a value or `timeoutMs` passes. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 500,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      if (error instanceof StopWaiting) throw error;
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ""}`,
      );
    }
    await sleep(everyMs);
  }
}

/** Seconds with one decimal, for timing lines. */
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** Human size in MB (10^6 bytes, as `docker images` prints). */
export const megabytes = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

/** `docker image inspect` Size in bytes. */
export async function imageSize(ref: string): Promise<number> {
  return Number(await dockerOk(["image", "inspect", "--format", "{{.Size}}", ref]));
}
