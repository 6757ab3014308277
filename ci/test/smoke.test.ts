/**
 * The smoke checks (ci/src/smoke.ts) against a stub of the stack: they pass on the answers
 * docs/interfaces.md promises and fail, naming the check, on each broken answer.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { formatSmokeResults, runSmokeChecks, SMOKE_CHECKS, waitUntilHealthy } from "../src/smoke";

type Handler = (req: http.IncomingMessage, body: string) => { status: number; type?: string; body: string };

const GOOD: Record<string, Handler> = {
  "GET /": () => ({ status: 200, type: "text/html", body: '<!doctype html><div id="root"></div>' }),
  "GET /healthz": () => ({ status: 200, type: "application/json", body: '{"status": "ok"}' }),
  "GET /api/loans/rules/": () => ({
    status: 200,
    type: "application/json",
    body: '{"min_amount": "10000.00", "max_amount": "5000000.00"}',
  }),
  "POST /api/loans/": (_req, body) => {
    const loan = JSON.parse(body) as { amount: string; dni: string; full_name: string };
    // The API's rules (docs/interfaces.md): a name is letters of any script, spaces,
    // apostrophes, hyphens and dots, no digits.
    const ok = loan.amount === "10000.00" && /^\d{8}$/.test(loan.dni) && /^\p{L}[\p{L} '.-]*$/u.test(loan.full_name);
    return ok
      ? {
          status: 201,
          type: "application/json",
          body: '{"id": 7, "status": "approved", "amount": "10000.00", "created_at": "x", "message": "m"}',
        }
      : { status: 400, type: "application/json", body: '{"errors": {}}' };
  },
};

let server: http.Server | undefined;
const seen: string[] = [];

async function stack(overrides: Record<string, Handler> = {}): Promise<string> {
  const routes = { ...GOOD, ...overrides };
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const key = `${req.method} ${req.url}`;
      seen.push(key);
      const answer = routes[key]?.(req, body) ?? { status: 404, body: "not found" };
      res.writeHead(answer.status, answer.type ? { "Content-Type": answer.type } : {}).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  seen.length = 0;
});

describe("smoke checks", () => {
  it("pass against a healthy stack, creating a loan with the published minimum, and never ask nginx for /readyz", async () => {
    const results = await runSmokeChecks(await stack());
    expect(formatSmokeResults(results)).not.toContain("✖");
    expect(results.map((r) => r.name)).toEqual([...SMOKE_CHECKS]);
    expect(results.at(-1)?.detail).toBe("201 id 7, status approved");
    expect(seen).toEqual(["GET /", "GET /healthz", "GET /api/loans/rules/", "POST /api/loans/"]);
  });

  it.each<[string, string, Handler]>([
    ["SPA index", "GET /", () => ({ status: 200, type: "text/plain", body: "hello" })],
    ["SPA index", "GET /", () => ({ status: 200, type: "text/html", body: "<html>no app</html>" })],
    ["GET /healthz", "GET /healthz", () => ({ status: 502, type: "text/html", body: "bad gateway" })],
    [
      "GET /api/loans/rules/",
      "GET /api/loans/rules/",
      () => ({ status: 200, type: "application/json", body: '{"min_amount": 10000, "max_amount": "5000000.00"}' }),
    ],
    [
      "POST /api/loans/",
      "POST /api/loans/",
      () => ({ status: 200, type: "application/json", body: '{"id": 1, "status": "pending"}' }),
    ],
    [
      "POST /api/loans/",
      "POST /api/loans/",
      () => ({ status: 201, type: "application/json", body: '{"status": "pending"}' }),
    ],
    ["POST /api/loans/", "POST /api/loans/", () => ({ status: 201, type: "application/json", body: '{"id": 1}' })],
  ])("fail %s when %s answers wrongly", async (check, route, handler) => {
    const results = await runSmokeChecks(await stack({ [route]: handler }));
    expect(results.filter((r) => !r.ok).map((r) => r.name)).toEqual([check]);
  });

  it("waits for /healthz and gives up with the last answer", async () => {
    let calls = 0;
    const url = await stack({
      "GET /healthz": () =>
        ++calls < 3 ? { status: 503, body: "" } : { status: 200, type: "application/json", body: '{"status": "ok"}' },
    });
    await waitUntilHealthy(url, 10_000, 10);
    expect(calls).toBe(3);
    await expect(waitUntilHealthy("http://127.0.0.1:9", 50, 10)).rejects.toThrow(/did not answer 200 within 50 ms/);
  });
});
