/**
 * Renders frontend/nginx/default.conf.template the way the official nginx image does
 * (envsubst of only the variables in docs/interfaces.md) and runs the machine's
 * nginx binary on it: `nginx -t` checks, and a foreground nginx for browser/integration tests.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ProcessPromise } from "zx";
import { REPO_ROOT, exitStatus, findOnPath, runProgramSync, startProgram, stopProgram } from "./run";

export const NGINX_TEMPLATE_PATH = path.join(REPO_ROOT, "frontend", "nginx", "default.conf.template");

/** The only variables the image substitutes (docs/interfaces.md). */
export interface NginxTemplateVars {
  BACKEND_URL: string;
  LOANS_RATE_LIMIT: string;
  LOANS_RATE_BURST: string | number;
  /** The proxies (one CIDR) whose X-Forwarded-For names the client. */
  TRUSTED_PROXY_CIDR: string;
}

export const DEFAULT_NGINX_VARS: NginxTemplateVars = {
  BACKEND_URL: "http://backend:8000",
  LOANS_RATE_LIMIT: "30r/m",
  LOANS_RATE_BURST: 10,
  TRUSTED_PROXY_CIDR: "127.0.0.1/32",
};

const SUBSTITUTED = ["BACKEND_URL", "LOANS_RATE_LIMIT", "LOANS_RATE_BURST", "TRUSTED_PROXY_CIDR"] as const;

/** Substitutes `${NAME}` for those variables only; nginx's own `$vars` stay untouched. */
export function renderNginxTemplate(
  vars: NginxTemplateVars,
  template = readFileSync(NGINX_TEMPLATE_PATH, "utf8"),
): string {
  let text = template;
  for (const name of SUBSTITUTED) {
    const value = String(vars[name]);
    if (value === "" || /[\s;{}'"]/.test(value))
      throw new Error(`nginx template: ${name}=${JSON.stringify(value)} is not a safe value`);
    text = text.split("${" + name + "}").join(value);
  }
  const left = /\$\{[A-Za-z_][A-Za-z0-9_]*\}/.exec(text);
  if (left)
    throw new Error(`nginx template: ${left[0]} is not substituted by the image (only ${SUBSTITUTED.join(", ")})`);
  return text;
}

/** Where nginx lives outside PATH (Debian puts it in /usr/sbin, which a user's PATH may lack). */
export const NGINX_BIN_CANDIDATES = [
  "/usr/sbin/nginx",
  "/usr/local/sbin/nginx",
  "/usr/local/nginx/sbin/nginx",
  "/usr/bin/nginx",
];

/** The nginx binary: $NGINX_BIN, one of NGINX_BIN_CANDIDATES, or `nginx` on PATH; null when absent. */
export function findNginx(): string | null {
  for (const candidate of [process.env.NGINX_BIN, ...NGINX_BIN_CANDIDATES]) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  return findOnPath("nginx");
}

const isRoot = (): boolean => typeof process.getuid === "function" && process.getuid() === 0;

const FALLBACK_MIME_TYPES = `types {
    text/html html;
    text/css css;
    application/javascript js mjs;
    application/json json;
    image/svg+xml svg;
    image/png png;
    image/x-icon ico;
    text/plain txt;
}`;

/**
 * A minimal main nginx.conf around the rendered server config, with every writable path in
 * `dir` so nginx runs without root and without touching /var. As root, `user root` keeps the
 * workers able to read the 0700 temp folders; otherwise there is no `user` directive.
 */
export function mainConfig(dir: string, serverConfigPath: string): string {
  const mime = existsSync("/etc/nginx/mime.types") ? "include /etc/nginx/mime.types;" : FALLBACK_MIME_TYPES;
  return [
    isRoot() ? "user root;" : "",
    "worker_processes 1;",
    "daemon off;",
    `pid ${path.join(dir, "nginx.pid")};`,
    `error_log ${path.join(dir, "error.log")} warn;`,
    "events { worker_connections 256; }",
    "http {",
    `    ${mime}`,
    "    default_type application/octet-stream;",
    `    access_log ${path.join(dir, "access.log")};`,
    "    sendfile on;",
    `    client_body_temp_path ${path.join(dir, "client_body")};`,
    `    proxy_temp_path ${path.join(dir, "proxy")};`,
    `    fastcgi_temp_path ${path.join(dir, "fastcgi")};`,
    `    uwsgi_temp_path ${path.join(dir, "uwsgi")};`,
    `    scgi_temp_path ${path.join(dir, "scgi")};`,
    `    include ${serverConfigPath};`,
    "}",
    "",
  ].join("\n");
}

export interface PreparedNginx {
  dir: string;
  confPath: string;
  errorLogPath: string;
}

/** Writes the rendered server config and a main config into a fresh temp prefix. */
export function prepareNginx(serverConfig: string): PreparedNginx {
  const dir = mkdtempSync(path.join(tmpdir(), "prestamos-nginx-"));
  mkdirSync(path.join(dir, "logs"));
  const serverConfigPath = path.join(dir, "default.conf");
  writeFileSync(serverConfigPath, serverConfig);
  const confPath = path.join(dir, "nginx.conf");
  writeFileSync(confPath, mainConfig(dir, serverConfigPath));
  return { dir, confPath, errorLogPath: path.join(dir, "error.log") };
}

/** Runs `nginx -t` on a rendered server config; resolves to its exit code and output. */
export function testNginxConfig(serverConfig: string, nginx = findNginx()): { ok: boolean; output: string } {
  if (!nginx) throw new Error("nginx is not installed");
  const prepared = prepareNginx(serverConfig);
  try {
    const result = runProgramSync([
      nginx,
      "-t",
      "-p",
      prepared.dir,
      "-e",
      prepared.errorLogPath,
      "-c",
      prepared.confPath,
    ]);
    return { ok: result.exitCode === 0, output: `${result.stdout}${result.stderr}` };
  } finally {
    rmSync(prepared.dir, { recursive: true, force: true });
  }
}

export interface StartNginxOptions {
  backendUrl: string;
  port: number;
  /** Folder served as the document root (e.g. frontend/dist). */
  root: string;
  rateLimit?: string;
  burst?: number;
  /** TRUSTED_PROXY_CIDR (default 127.0.0.1/32). */
  trustedProxyCidr?: string;
  /** Listen address (default 127.0.0.1). */
  host?: string;
}

export interface RunningNginx {
  url: string;
  /** Folder with nginx.conf, error.log and access.log. */
  dir: string;
  /** The server's access log (the template's format); read it before stop(). */
  accessLogPath: string;
  stop(): Promise<void>;
}

/** Where renderForLocalRun sends the template's access log, relative to the nginx prefix. */
const LOCAL_ACCESS_LOG = "logs/access.log";

/** The production template, pointed at `root` and listening on host:port instead of 8080. */
export function renderForLocalRun(options: StartNginxOptions): string {
  const rendered = renderNginxTemplate({
    BACKEND_URL: options.backendUrl,
    LOANS_RATE_LIMIT: options.rateLimit ?? DEFAULT_NGINX_VARS.LOANS_RATE_LIMIT,
    LOANS_RATE_BURST: options.burst ?? DEFAULT_NGINX_VARS.LOANS_RATE_BURST,
    TRUSTED_PROXY_CIDR: options.trustedProxyCidr ?? DEFAULT_NGINX_VARS.TRUSTED_PROXY_CIDR,
  });
  const listen = `listen ${options.host ?? "127.0.0.1"}:${options.port};`;
  const withListen = rendered.replace(/^(\s*)listen 8080;$/m, `$1${listen}`);
  const withRoot = withListen.replace(
    /^(\s*)root \/usr\/share\/nginx\/html;$/m,
    `$1root ${path.resolve(options.root)};`,
  );
  const withLog = withRoot.replace(
    /^(\s*)access_log \/var\/log\/nginx\/access\.log /m,
    `$1access_log ${LOCAL_ACCESS_LOG} `,
  );
  if (withListen === rendered || withRoot === withListen || withLog === withRoot) {
    throw new Error(
      "nginx template: expected `listen 8080;`, `root /usr/share/nginx/html;` and `access_log /var/log/nginx/access.log …` lines",
    );
  }
  return withLog;
}

async function waitForHealth(url: string, nginx: ProcessPromise, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (nginx.output) throw new Error(`nginx exited with ${exitStatus(nginx.output)}`);
    try {
      const response = await fetch(`${url}/nginx-health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nginx did not answer ${url}/nginx-health within ${timeoutMs} ms`);
}

/** Starts nginx in the foreground as a child process; `stop()` ends it and removes its temp prefix. */
export async function startNginx(options: StartNginxOptions): Promise<RunningNginx> {
  const nginx = findNginx();
  if (!nginx) throw new Error("nginx is not installed");
  const prepared = prepareNginx(renderForLocalRun(options));
  const child = startProgram([nginx, "-p", prepared.dir, "-e", prepared.errorLogPath, "-c", prepared.confPath]);
  const url = `http://${options.host ?? "127.0.0.1"}:${options.port}`;

  const stop = async (): Promise<void> => {
    // SIGQUIT: nginx's graceful shutdown.
    await stopProgram(child, "SIGQUIT", 5000);
    rmSync(prepared.dir, { recursive: true, force: true });
  };

  try {
    await waitForHealth(url, child, 10_000);
  } catch (error) {
    const log = existsSync(prepared.errorLogPath) ? readFileSync(prepared.errorLogPath, "utf8") : "";
    await stop();
    throw new Error(`${(error as Error).message}\n${child.output?.stdall ?? ""}\n${log}`);
  }
  return { url, dir: prepared.dir, accessLogPath: path.join(prepared.dir, LOCAL_ACCESS_LOG), stop };
}
