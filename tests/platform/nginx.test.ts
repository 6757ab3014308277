/**
 * The production nginx template: it renders with only the three image variables, passes
 * `nginx -t`, and behaves as docs/interfaces.md says when run in front of a stub backend.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEFAULT_NGINX_VARS,
  findNginx,
  renderForLocalRun,
  renderNginxTemplate,
  startNginx,
  testNginxConfig,
  type RunningNginx,
} from "../support/nginx";

/**
 * nginx is this suite's prerequisite: `npm run test:platform` (scripts/test-project.ts) says
 * NOT RUN without it; run any other way, its absence fails these tests instead of skipping them.
 */
function requireNginx(): void {
  if (!findNginx()) throw new Error("nginx is not installed here: apt-get install nginx-light (or set NGINX_BIN)");
}

describe("renderNginxTemplate", () => {
  const rendered = renderNginxTemplate({
    BACKEND_URL: "http://backend:8000",
    LOANS_RATE_LIMIT: "30r/m",
    LOANS_RATE_BURST: 10,
    TRUSTED_PROXY_CIDR: "10.0.0.0/16",
  });

  it("substitutes its variables and nothing else", () => {
    expect(rendered).toContain("proxy_pass http://backend:8000;");
    expect(rendered).toContain("set_real_ip_from 10.0.0.0/16;");
    expect(rendered).toContain("zone=loans:10m rate=30r/m;");
    expect(rendered).toContain("limit_req zone=loans burst=10 nodelay;");
    expect(rendered).not.toMatch(/\$\{/);
    for (const own of [
      "$binary_remote_addr",
      "$request_method",
      "$request_id",
      "$http_x_forwarded_proto",
      "$scheme",
      "$uri",
      "$proxy_add_x_forwarded_for",
    ]) {
      expect(rendered).toContain(own);
    }
  });

  it("listens on 8080 only (the image adds [::]:8080 itself)", () => {
    expect(rendered.match(/^\s*listen\s/gm)).toHaveLength(1);
    expect(rendered).toMatch(/^\s*listen 8080;$/m);
  });

  it("rejects unsafe values and unknown placeholders", () => {
    const safe = {
      BACKEND_URL: "http://x",
      LOANS_RATE_LIMIT: "1r/s",
      LOANS_RATE_BURST: 1,
      TRUSTED_PROXY_CIDR: "127.0.0.1/32",
    };
    expect(() => renderNginxTemplate({ ...safe, BACKEND_URL: "http://x; evil" })).toThrow(/not a safe value/);
    expect(() => renderNginxTemplate({ ...safe, TRUSTED_PROXY_CIDR: "" })).toThrow(/not a safe value/);
    expect(() => renderNginxTemplate(safe, "x ${OTHER};")).toThrow(/OTHER/);
  });
});

describe("nginx -t", () => {
  it("accepts the rendered template (nginx is installed)", () => {
    requireNginx();
    const defaults = testNginxConfig(
      renderNginxTemplate({ ...DEFAULT_NGINX_VARS, BACKEND_URL: "http://127.0.0.1:8000" }),
    );
    expect(defaults.output).toMatch(/syntax is ok/);
    expect(defaults.ok).toBe(true);
    const local = testNginxConfig(
      renderForLocalRun({
        backendUrl: "http://127.0.0.1:8000",
        port: 18080,
        root: tmpdir(),
        rateLimit: "5r/s",
        burst: 2,
      }),
    );
    expect(local.ok, local.output).toBe(true);
  });
});

interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
}

describe("nginx in front of a stub backend", () => {
  let backend: Server;
  let running: RunningNginx;
  let root: string;
  const seen: SeenRequest[] = [];

  beforeAll(async () => {
    requireNginx();
    backend = createServer((req, res) => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
      req.resume();
      // What Django sends on every response: nginx must not repeat these headers.
      const djangoHeaders = {
        "Content-Type": "application/json",
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
        "Cache-Control": "no-store",
      };
      if (req.url === "/api/throttled/") {
        res.writeHead(429, { ...djangoHeaders, "Retry-After": "120" });
        res.end(JSON.stringify({ errors: { __all__: ["Esperá."] } }));
        return;
      }
      res.writeHead(req.method === "POST" ? 201 : 200, djangoHeaders);
      res.end(JSON.stringify({ status: "ok", path: req.url }));
    });
    await new Promise<void>((resolve) => backend.listen(0, "127.0.0.1", resolve));
    const backendPort = (backend.address() as AddressInfo).port;

    root = mkdtempSync(path.join(tmpdir(), "prestamos-dist-"));
    mkdirSync(path.join(root, "assets"));
    writeFileSync(path.join(root, "index.html"), "<!doctype html><title>app</title>");
    writeFileSync(path.join(root, "assets", "index-abc123.js"), `console.log(${JSON.stringify("x".repeat(2000))});`);
    writeFileSync(path.join(root, ".env"), "SECRET=1");

    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    running = await startNginx({
      backendUrl: `http://127.0.0.1:${backendPort}`,
      port,
      root,
      rateLimit: "1r/m",
      burst: 2,
    });
  }, 30_000);

  afterAll(async () => {
    await running?.stop();
    await new Promise<void>((resolve) => (backend ? backend.close(() => resolve()) : resolve()));
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("answers /nginx-health itself", async () => {
    const response = await fetch(`${running.url}/nginx-health`);
    expect(response.status).toBe(200);
    expect((await response.text()).trim()).toBe("ok");
    expect(response.headers.get("server")).toBe("nginx");
  });

  it("serves the SPA shell with no-cache and security headers for client routes", async () => {
    for (const route of ["/staff/login", "/"]) {
      const response = await fetch(`${running.url}${route}`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain("<title>app</title>");
      expect(response.headers.get("cache-control")).toBe("no-cache");
      expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
      expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("referrer-policy")).toBe("same-origin");
      expect(response.headers.get("permissions-policy")).toBeTruthy();
    }
  });

  it("sends HSTS on the SPA too when the request came over HTTPS, never on plain HTTP", async () => {
    const https = await fetch(`${running.url}/staff`, { headers: { "X-Forwarded-Proto": "https" } });
    expect(https.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    expect((await fetch(`${running.url}/staff`)).headers.get("strict-transport-security")).toBeNull();
  });

  it("sends each security header once on API answers, whatever the backend also sent", async () => {
    const response = await fetch(`${running.url}/api/loans/?page=1`, { headers: { "X-Forwarded-Proto": "https" } });
    expect(response.status).toBe(200);
    // fetch joins repeated headers with ", ": one value means one header.
    expect(response.headers.get("referrer-policy")).toBe("same-origin");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    expect(response.headers.get("cache-control")).toBe("no-store");
    const throttled = await fetch(`${running.url}/api/throttled/`);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("retry-after")).toBe("120");
    expect(throttled.headers.get("cache-control")).toBe("no-store");
  });

  it("caches hashed assets for a year, gzipped, with the security headers", async () => {
    const response = await fetch(`${running.url}/assets/index-abc123.js`, { headers: { "Accept-Encoding": "gzip" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(response.headers.get("content-encoding")).toBe("gzip");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    const missing = await fetch(`${running.url}/assets/missing.js`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get("cache-control")).toBeNull(); // a 404 is not cached for a year
  });

  it("hides dotfiles", async () => {
    expect((await fetch(`${running.url}/.env`)).status).toBe(404);
  });

  it("proxies /api/ and /healthz with forwarding headers; /readyz stays with the backend", async () => {
    seen.length = 0;
    const api = await fetch(`${running.url}/api/auth/me/`, {
      headers: { "X-Forwarded-Proto": "https", "X-Request-ID": "req-123" },
    });
    expect(api.status).toBe(200);
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${running.url}/readyz`)).status).toBe(404);
    expect(seen.map((request) => request.url)).toEqual(["/api/auth/me/", "/healthz"]);
    const [first, second] = seen;
    expect(first?.headers["x-forwarded-proto"]).toBe("https");
    expect(first?.headers["x-request-id"]).toBe("req-123");
    expect(first?.headers["x-forwarded-for"]).toBe("127.0.0.1");
    expect(second?.headers["x-forwarded-proto"]).toBe("http");
    expect(second?.headers["x-request-id"]).toMatch(/^[0-9a-f]{32}$/);
  });

  it("refuses bodies over 32k on /api/ with the JSON error shape", async () => {
    const response = await fetch(`${running.url}/api/loans/1/`, { method: "PATCH", body: "x".repeat(40_000) });
    expect(response.status).toBe(413);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ errors: { __all__: ["El cuerpo de la solicitud es demasiado grande."] } });
  });

  it("answers request headers that are too large with 431 and the JSON error shape", async () => {
    const response = await fetch(`${running.url}/api/loans/`, { headers: { Cookie: `big=${"x".repeat(20_000)}` } });
    expect(response.status).toBe(431);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await response.json()) as { errors: { __all__: string[] } };
    expect(body.errors.__all__[0]).toMatch(/encabezados/);
  });

  it("logs paths without query strings or referrers (no DNI or e-mail in the access log)", async () => {
    await fetch(`${running.url}/api/loans/?search=30123456&x=ana%40example.com`, {
      headers: { Referer: `${running.url}/staff?search=30123456` },
    });
    // nginx writes the line when the response is done; give it a moment to reach the file.
    let log = "";
    for (let attempt = 0; attempt < 50 && !log.includes("/api/loans/"); attempt += 1) {
      log = existsSync(running.accessLogPath) ? readFileSync(running.accessLogPath, "utf8") : "";
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(log).toMatch(/"GET \/api\/loans\/ HTTP\/1\.1" 200 /);
    expect(log).not.toContain("30123456");
    expect(log).not.toContain("example.com");
    expect(log).not.toContain("search=");
  });

  it("rate limits POST /api/loans/ only, answering 429 with the JSON error shape", async () => {
    for (let i = 0; i < 5; i += 1) {
      expect((await fetch(`${running.url}/api/loans/?page=1`)).status).toBe(200);
    }
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 5; i += 1) {
      const response = await fetch(`${running.url}/api/loans/`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: "{}",
      });
      statuses.push(response.status);
      if (response.status === 429 && !limited) limited = response;
      else await response.text();
    }
    // rate 1r/m with burst 2: the first 3 pass, then 429.
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
    expect(limited?.headers.get("content-type")).toMatch(/^application\/json/);
    expect(limited?.headers.get("x-content-type-options")).toBe("nosniff");
    expect(limited?.headers.get("retry-after")).toBe("60");
    expect(limited?.headers.get("cache-control")).toBe("no-store");
    expect(await limited?.json()).toEqual({
      errors: { __all__: ["Demasiadas solicitudes, intentá de nuevo en unos minutos."] },
    });
  });

  it("rate limits staff logins per client IP (10 a minute after a burst of 10)", async () => {
    const login = (client: string) =>
      fetch(`${running.url}/api/auth/login/`, {
        method: "POST",
        headers: { "X-Forwarded-For": client, "Content-Type": "application/json" },
        body: "{}",
      });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i += 1) statuses.push((await login("203.0.113.50")).status);
    expect(statuses).toEqual([...Array<number>(11).fill(201), 429]);
    const limited = await login("203.0.113.50");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("60");
    expect(((await limited.json()) as { errors: Record<string, string[]> }).errors.__all__).toHaveLength(1);
    expect((await login("198.51.100.50")).status).toBe(201); // another client
  });

  it("counts clients behind a trusted proxy by their X-Forwarded-For address", async () => {
    // 127.0.0.1 (this test) is the trusted proxy by default: each forwarded client has its own
    // bucket (1r/m, burst 2), and the backend sees the client as the first X-Forwarded-For hop.
    const post = (client: string) =>
      fetch(`${running.url}/api/loans/`, { method: "POST", headers: { "X-Forwarded-For": client }, body: "{}" });
    const first: number[] = [];
    for (let i = 0; i < 4; i += 1) first.push((await post("203.0.113.7")).status);
    expect(first).toEqual([201, 201, 201, 429]);
    expect((await post("198.51.100.9")).status).toBe(201);
    expect(String(seen.at(-1)?.headers["x-forwarded-for"]).split(",")[0]).toBe("198.51.100.9");
  });
});

describe("nginx behind an untrusted peer", () => {
  let running: RunningNginx;

  beforeAll(async () => {
    requireNginx();
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    // Nothing on this machine is 192.0.2.1 (TEST-NET-1): X-Forwarded-For from us is not believed.
    running = await startNginx({
      backendUrl: "http://127.0.0.1:9",
      port,
      root: tmpdir(),
      rateLimit: "1r/m",
      burst: 1,
      trustedProxyCidr: "192.0.2.1/32",
    });
  }, 30_000);

  afterAll(async () => {
    await running?.stop();
  });

  it('ignores a spoofed X-Forwarded-For: every "client" shares the peer\'s bucket', async () => {
    const post = (client: string) =>
      fetch(`${running.url}/api/loans/`, { method: "POST", headers: { "X-Forwarded-For": client }, body: "{}" });
    // 1r/m with burst 1: two requests pass the limit (502: no backend on port 9), then the
    // third is refused although it claims yet another client address.
    expect((await post("203.0.113.1")).status).toBe(502);
    expect((await post("203.0.113.2")).status).toBe(502);
    expect((await post("203.0.113.3")).status).toBe(429);
  });

  it("answers an unreachable backend with 502 in the JSON error shape", async () => {
    const response = await fetch(`${running.url}/api/loans/rules/`);
    expect(response.status).toBe(502);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as { errors: { __all__: string[] } };
    expect(body.errors.__all__[0]).toMatch(/no está disponible/);
  });
});

describe("nginx's own errors", () => {
  // A backend that takes longer than proxy_read_timeout (60 s) cannot be waited for here,
  // so the 504 is checked in the configuration rather than provoked.
  it("maps 502/503/504 to named locations that answer JSON", () => {
    const rendered = renderNginxTemplate(DEFAULT_NGINX_VARS);
    expect(rendered).toMatch(/^\s*error_page 504 = @timed_out;$/m);
    const location = /location @timed_out \{\n([\s\S]*?)\n\s*\}\n/.exec(rendered)?.[1] ?? "";
    expect(location).toContain("default_type application/json;");
    const body = /return 504 '([^']*)';/.exec(location)?.[1] ?? "";
    expect(JSON.parse(body)).toEqual({ errors: { __all__: [expect.stringMatching(/tardó demasiado/)] } });
  });
});
