/**
 * Shared helpers of the container suite: images, the compose project under test, and a
 * small JSON client (cookie jar + CSRF) for the API behind nginx.
 */
import { randomInt } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import {
  ComposeProject,
  IMAGES,
  REPO_ROOT,
  buildImage,
  dockerOk,
  dockerUnavailableReason,
  findCompose,
  seconds,
} from "../../scripts/lib/docker";

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

export interface JsonAnswer<T = unknown> {
  status: number;
  contentType: string;
  body: T;
}

/** A fetch client with a cookie jar, sending the CSRF header on unsafe methods. */
export class ApiClient {
  private readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  get csrfToken(): string | undefined {
    return this.cookies.get("csrftoken");
  }

  async request<T = unknown>(
    method: string,
    pathname: string,
    body?: unknown,
    { timeoutMs = 10_000, csrf = true }: { timeoutMs?: number; csrf?: boolean } = {},
  ): Promise<JsonAnswer<T>> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (this.cookies.size > 0) headers.Cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    if (!["GET", "HEAD", "OPTIONS"].includes(method)) {
      // What a browser on the site sends; Django checks it against CSRF_TRUSTED_ORIGINS.
      headers.Origin = this.baseUrl;
      headers.Referer = `${this.baseUrl}/`;
      if (csrf && this.csrfToken) headers["X-CSRFToken"] = this.csrfToken;
    }
    const response = await fetch(`${this.baseUrl}${pathname}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ""] = cookie.split(";");
      const eq = pair.indexOf("=");
      if (eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === "" ? undefined : JSON.parse(text);
    } catch {
      // not JSON: keep the text so a failing assertion shows it
    }
    return { status: response.status, contentType: response.headers.get("content-type") ?? "", body: parsed as T };
  }

  /** CSRF cookie, then staff login; throws unless both succeed. */
  async login(username: string, password: string): Promise<void> {
    const csrf = await this.request<{ csrfToken: string }>("GET", "/api/auth/csrf/");
    if (csrf.status !== 200 || !this.csrfToken) throw new Error(`GET /api/auth/csrf/ → ${csrf.status}`);
    const login = await this.request("POST", "/api/auth/login/", { username, password });
    if (login.status !== 200) throw new Error(`login → ${login.status}: ${JSON.stringify(login.body)}`);
  }
}

export interface Loan {
  id: number;
  full_name: string;
  dni: string;
  status: "pending" | "approved" | "rejected";
  amount: string;
  reviewed_by: string | null;
}

export interface LoanPage {
  count: number;
  results: Loan[];
}

const usedDnis = new Set<string>();

/** A fresh 8-digit DNI (the backend allows one open request per DNI). */
export function uniqueDni(): string {
  for (;;) {
    const dni = String(randomInt(60_000_000, 99_999_999));
    if (!usedDnis.has(dni)) {
      usedDnis.add(dni);
      return dni;
    }
  }
}

/** A loan request body; amounts above 1,000,000 stay pending for manual review. */
export function loanInput(tag: string, amount: string): Record<string, string> {
  const dni = uniqueDni();
  return {
    full_name: `Contenedor ${tag} ${dni}`,
    dni,
    gender: "X",
    email: `containers-${dni}@example.com`,
    amount,
  };
}
