/**
 * The image smoke test: HTTP checks through the frontend's nginx of a running stack
 * (PostgreSQL, migrated database, backend, frontend). One definition, run by the pipeline's
 * `smoke` step inside a container (scripts/smoke.ts) and by test:containers against the
 * compose stack. `/readyz` is not among them: nginx does not proxy it (docs/interfaces.md).
 *
 * No Dagger and no top-level side effects: the module runtime loads this file too.
 */
import { randomInt } from "node:crypto";

export interface SmokeOptions {
  /** DNI of the loan the smoke test creates (the backend allows one open request per DNI). */
  readonly dni?: string;
  readonly timeoutMs?: number;
}

export interface SmokeResult {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

/** The names of the checks, in the order they run. */
export const SMOKE_CHECKS = ["SPA index", "GET /healthz", "GET /api/loans/rules/", "POST /api/loans/"] as const;

async function request(
  baseUrl: string,
  method: string,
  path: string,
  timeoutMs: number,
  body?: unknown,
): Promise<Answer> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      Accept: body === undefined ? "*/*" : "application/json",
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    redirect: "manual",
    signal: AbortSignal.timeout(timeoutMs),
  });
  return {
    status: response.status,
    contentType: response.headers.get("content-type") ?? "",
    text: await response.text(),
  };
}

function json(answer: Answer): Record<string, unknown> {
  if (!/application\/json/.test(answer.contentType))
    throw new Error(`expected JSON, got ${answer.contentType || "no content type"}`);
  const value: unknown = JSON.parse(answer.text);
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new Error(`expected a JSON object, got ${answer.text.slice(0, 80)}`);
  return value as Record<string, unknown>;
}

function expectStatus(answer: Answer, status: number): void {
  if (answer.status !== status)
    throw new Error(`HTTP ${answer.status} (expected ${status}): ${answer.text.slice(0, 200)}`);
}

const AMOUNT = /^\d+\.\d{2}$/;

/** Runs every check once, in order; a failing check does not stop the next ones. */
export async function runSmokeChecks(baseUrl: string, options: SmokeOptions = {}): Promise<SmokeResult[]> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const dni = options.dni ?? String(randomInt(10_000_000, 100_000_000));
  let minAmount: string | undefined;

  const checks: Record<(typeof SMOKE_CHECKS)[number], () => Promise<string>> = {
    "SPA index": async () => {
      const answer = await request(baseUrl, "GET", "/", timeoutMs);
      expectStatus(answer, 200);
      if (!/text\/html/.test(answer.contentType)) throw new Error(`content type ${answer.contentType}`);
      if (!answer.text.includes('<div id="root">')) throw new Error("no SPA root element in the index");
      return "200 text/html";
    },
    "GET /healthz": async () => {
      const answer = await request(baseUrl, "GET", "/healthz", timeoutMs);
      expectStatus(answer, 200);
      if (json(answer).status !== "ok") throw new Error(`body ${answer.text}`);
      return '200 {"status": "ok"}';
    },
    "GET /api/loans/rules/": async () => {
      const answer = await request(baseUrl, "GET", "/api/loans/rules/", timeoutMs);
      expectStatus(answer, 200);
      const rules = json(answer);
      if (typeof rules.min_amount !== "string" || !AMOUNT.test(rules.min_amount))
        throw new Error(`min_amount ${String(rules.min_amount)}`);
      if (typeof rules.max_amount !== "string" || !AMOUNT.test(rules.max_amount))
        throw new Error(`max_amount ${String(rules.max_amount)}`);
      minAmount = rules.min_amount;
      return `200 ${rules.min_amount}–${rules.max_amount}`;
    },
    "POST /api/loans/": async () => {
      // The DNI goes in the email only: a name may not contain digits (docs/interfaces.md).
      const loan = {
        full_name: "Prueba de Humo",
        dni,
        gender: "X",
        email: `smoke-${dni}@example.com`,
        amount: minAmount ?? "10000.00",
      };
      const answer = await request(baseUrl, "POST", "/api/loans/", timeoutMs, loan);
      expectStatus(answer, 201);
      const created = json(answer);
      if (typeof created.id !== "number") throw new Error(`no numeric id: ${answer.text.slice(0, 200)}`);
      if (typeof created.status !== "string" || created.status === "")
        throw new Error(`no status: ${answer.text.slice(0, 200)}`);
      return `201 id ${created.id}, status ${created.status}`;
    },
  };

  const results: SmokeResult[] = [];
  for (const name of SMOKE_CHECKS) {
    try {
      results.push({ name, ok: true, detail: await checks[name]() });
    } catch (error) {
      results.push({ name, ok: false, detail: error instanceof Error ? error.message : String(error) });
    }
  }
  return results;
}

/** Waits until `GET /healthz` through nginx answers 200 (the stack finished starting). */
export async function waitUntilHealthy(baseUrl: string, timeoutMs = 120_000, intervalMs = 1_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer yet";
  for (;;) {
    try {
      const answer = await request(baseUrl, "GET", "/healthz", 5_000);
      if (answer.status === 200) return;
      last = `HTTP ${answer.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline)
      throw new Error(`${baseUrl}/healthz did not answer 200 within ${timeoutMs} ms (last: ${last})`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** One line per check, e.g. `✔ GET /healthz — 200 {"status": "ok"}`. */
export function formatSmokeResults(results: readonly SmokeResult[]): string {
  return results.map((r) => `${r.ok ? "✔" : "✖"} ${r.name} — ${r.detail}`).join("\n");
}
