/**
 * Shared helpers of the container suite: images, the compose project under test, and a
 * small JSON client (cookie jar + CSRF) for the API behind nginx.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { dniSource } from "../support/api-client";
import {
  ComposeProject,
  IMAGES,
  REPO_ROOT,
  buildImage,
  dockerOk,
  dockerUnavailableReason,
  findCompose,
  seconds,
} from "../support/docker";

/** Set by scripts/test-containers.ts once it has built both images in this run. */
export const IMAGES_PREBUILT_ENV = "CONTAINERS_IMAGES_BUILT";

/** Fails the suite up front, with the reason, when Docker or compose is missing. */
export function requireDocker(): void {
  const reason = dockerUnavailableReason();
  if (reason) throw new Error(`Docker is required by the container suite: ${reason}`);
  if (!findCompose()) throw new Error("Docker Compose (`docker compose` v2 or `docker-compose` 1.29) is required");
}

let imagesReady: Promise<void> | undefined;

/** Builds both images once per process (a no-op layer-cache hit when nothing changed). */
export function ensureImages(): Promise<void> {
  if (process.env[IMAGES_PREBUILT_ENV] === "1") return Promise.resolve();
  imagesReady ??= (async () => {
    for (const image of IMAGES) {
      const result = await buildImage(image);
      console.log(`built ${image.tag} in ${seconds(result.ms)}`);
    }
  })();
  return imagesReady;
}

/** The parts of `docker image inspect`'s Config the image tests read. */
export interface ImageConfig {
  User: string;
  Env: string[];
  Cmd: string[] | null;
  Entrypoint: string[] | null;
  WorkingDir: string;
  ExposedPorts: Record<string, unknown>;
  StopSignal?: string;
  Healthcheck?: { Test: string[] };
  Labels: Record<string, string>;
}

/** Builds the images when needed and returns one image's Config. */
export async function imageConfig(image: string): Promise<ImageConfig> {
  requireDocker();
  await ensureImages();
  return JSON.parse(await dockerOk(["image", "inspect", "--format", "{{json .Config}}", image])) as ImageConfig;
}

/** `${NAME:-default}` → default, from compose.yaml: the suite uses compose's own defaults. */
export function composeDefault(service: string, variable: string): string {
  const file = parse(readFileSync(path.join(REPO_ROOT, "compose.yaml"), "utf8")) as {
    services: Record<string, { environment?: Record<string, string> }>;
  };
  const raw = file.services[service]?.environment?.[variable];
  const match = /^\$\{[A-Z0-9_]+:-(.*)\}$/.exec(raw ?? "");
  if (!match?.[1]) throw new Error(`compose.yaml: ${service}.environment.${variable} has no \${…:-default}`);
  return match[1];
}

export interface StackSettings {
  project: string;
  port: number;
  baseUrl: string;
  staff: { username: string; password: string };
}

/** Project name, port and staff credentials of the stack under test (env overridable). */
export function stackSettings(): StackSettings {
  const port = Number(process.env.CONTAINERS_PORT ?? 8080);
  return {
    project: process.env.CONTAINERS_PROJECT ?? "prestamos-test",
    port,
    baseUrl: `http://localhost:${port}`,
    staff: {
      username: process.env.DJANGO_STAFF_USERNAME || composeDefault("migrate", "DJANGO_STAFF_USERNAME"),
      password: process.env.DJANGO_STAFF_PASSWORD || composeDefault("migrate", "DJANGO_STAFF_PASSWORD"),
    },
  };
}

/** The compose project with an explicit environment for interpolation. */
export function composeProject(settings: StackSettings, extra: Record<string, string> = {}): ComposeProject {
  const command = findCompose();
  if (!command) throw new Error("compose not found");
  return new ComposeProject(command, settings.project, {
    FRONTEND_PORT: String(settings.port),
    CSRF_TRUSTED_ORIGINS: `http://localhost:${settings.port},http://127.0.0.1:${settings.port}`,
    DJANGO_STAFF_USERNAME: settings.staff.username,
    DJANGO_STAFF_PASSWORD: settings.staff.password,
    ...extra,
  });
}

// --- HTTP --------------------------------------------------------------------------------

export { ApiClient, type Loan, type LoanPage } from "../support/api-client";

/** DNIs of this suite: a range disjoint from the browser suite's, which runs on the same stack. */
export const uniqueDni = dniSource(60_000_000, 100_000_000);

/** A number written with the letters a–z (names may hold letters only, no digits). */
export function inLetters(value: number): string {
  return value.toString(26).replace(/[0-9a-p]/g, (digit) => String.fromCharCode(97 + parseInt(digit, 26)));
}

/** A loan request body; amounts above 1,000,000 stay pending for manual review. `tag`: letters. */
export function loanInput(tag: string, amount: string): Record<string, string> {
  const dni = uniqueDni();
  return {
    full_name: `Contenedor ${tag} ${inLetters(Number(dni))}`,
    dni,
    gender: "X",
    email: `containers-${dni}@example.com`,
    amount,
  };
}
