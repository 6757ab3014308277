/**
 * The JSON API as the browser and container suites and the API benchmark talk to it: a fetch client with
 * a cookie jar that sends Origin/Referer and the CSRF header on unsafe methods, the loan
 * types, and a source of fresh DNIs.
 */
import { randomInt } from "node:crypto";
import type { LoanPage, LoanRequest, LoanRequestInput } from "../../frontend/src/types/loan";

// The loan JSON has one definition, the SPA's (frontend/src/types/loan.ts); the suites use
// these names for it.
export type { LoanDecision, LoanHistory, LoanHistoryEntry, LoanPage } from "../../frontend/src/types/loan";
export type Loan = LoanRequest;
export type LoanInput = LoanRequestInput;

export interface JsonResponse<T = unknown> {
  status: number;
  contentType: string;
  body: T;
}

/** The body as JSON, or as text when it is not JSON (a failing assertion then shows it). */
export async function readJson<T>(response: Response): Promise<JsonResponse<T>> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text === "" ? undefined : JSON.parse(text);
  } catch {
    // keep the raw text
  }
  return { status: response.status, contentType: response.headers.get("content-type") ?? "", body: body as T };
}

const SAFE_METHODS = ["GET", "HEAD", "OPTIONS"];

export class ApiClient {
  private readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  get csrfToken(): string | undefined {
    return this.cookies.get("csrftoken");
  }

  /** The session as a Cookie header, e.g. for a load generator. */
  get cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  async request<T = unknown>(
    method: string,
    pathname: string,
    body?: unknown,
    { timeoutMs = 10_000, csrf = true }: { timeoutMs?: number; csrf?: boolean } = {},
  ): Promise<JsonResponse<T>> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (this.cookies.size > 0) headers.Cookie = this.cookieHeader;
    if (!SAFE_METHODS.includes(method)) {
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
    for (const cookie of response.headers.getSetCookie()) this.storeCookie(cookie);
    return readJson<T>(response);
  }

  /** CSRF cookie, then staff login; throws unless both succeed. */
  async login(username: string, password: string): Promise<void> {
    const csrf = await this.request<{ csrfToken: string }>("GET", "/api/auth/csrf/");
    if (csrf.status !== 200 || !this.csrfToken) throw new Error(`GET /api/auth/csrf/ → ${csrf.status}`);
    const login = await this.request("POST", "/api/auth/login/", { username, password });
    if (login.status !== 200) throw new Error(`login → ${login.status}: ${JSON.stringify(login.body)}`);
  }

  /**
   * The request with this exact DNI, or undefined. The list masks DNIs (last three digits
   * only), so candidates found by search are read one by one (GET /api/loans/{id}/).
   */
  async findByDni(dni: string): Promise<Loan | undefined> {
    const found = await this.request<LoanPage>("GET", `/api/loans/?search=${encodeURIComponent(dni)}&page_size=100`);
    if (found.status !== 200) throw new Error(`GET /api/loans/?search= → ${found.status}`);
    for (const candidate of found.body.results) {
      const detail = await this.request<Loan>("GET", `/api/loans/${candidate.id}/`);
      if (detail.status !== 200) throw new Error(`GET /api/loans/${candidate.id}/ → ${detail.status}`);
      if (detail.body.dni === dni) return detail.body;
    }
    return undefined;
  }

  private storeCookie(setCookie: string): void {
    const [pair = ""] = setCookie.split(";");
    const eq = pair.indexOf("=");
    if (eq <= 0) return;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (value === "" || /max-age=0|expires=thu, 01 jan 1970/i.test(setCookie)) this.cookies.delete(name);
    else this.cookies.set(name, value);
  }
}

/**
 * Fresh 8-digit DNIs from [min, max), never repeated in this process (the backend allows one
 * open request per DNI). Suites that share a stack draw from disjoint ranges.
 */
export function dniSource(min: number, max: number): () => string {
  const used = new Set<string>();
  return () => {
    for (;;) {
      const dni = String(randomInt(min, max));
      if (!used.has(dni)) {
        used.add(dni);
        return dni;
      }
    }
  };
}
