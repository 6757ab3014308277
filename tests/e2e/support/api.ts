/** Direct HTTP calls to the stack (through nginx), for seeding and for checking what the UI did. */
import { randomInt } from "node:crypto";
import type { StaffCredentials } from "../../../scripts/lib/stack";

export interface LoanInput {
  full_name: string;
  dni: string;
  gender: "F" | "M" | "X";
  email: string;
  amount: string;
}

export interface Loan extends LoanInput {
  id: number;
  status: "pending" | "approved" | "rejected";
  decision_reason: string;
  created_at: string;
  updated_at: string;
  reviewed_by: string | null;
  reviewed_at: string | null;
}

export interface JsonResponse<T = unknown> {
  status: number;
  contentType: string;
  body: T;
}

async function readJson<T>(response: Response): Promise<JsonResponse<T>> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text === "" ? undefined : JSON.parse(text);
  } catch {
    // keep the raw text: the assertion on content type / body will show it
  }
  return { status: response.status, contentType: response.headers.get("content-type") ?? "", body: body as T };
}

const usedDnis = new Set<string>();

/** A random 8-digit DNI not used before by this process (the backend allows one open request per DNI). */
export function uniqueDni(): string {
  for (;;) {
    const dni = String(randomInt(20_000_000, 60_000_000));
    if (!usedDnis.has(dni)) {
      usedDnis.add(dni);
      return dni;
    }
  }
}

/** A short random tag to make names unique per run (useful against a persistent E2E_BASE_URL stack). */
export function runTag(): string {
  return randomInt(0, 36 ** 6).toString(36).padStart(6, "0").toUpperCase();
}

export async function postLoan(baseUrl: string, input: Partial<LoanInput> | Record<string, unknown>): Promise<JsonResponse<Loan | { errors: Record<string, string[]> }>> {
  const response = await fetch(`${baseUrl}/api/loans/`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(input),
  });
  return readJson(response);
}

/** Creates a loan request and fails loudly unless the API answers 201. */
export async function createLoan(baseUrl: string, input: LoanInput): Promise<Loan> {
  const result = await postLoan(baseUrl, input);
  if (result.status !== 201) throw new Error(`POST /api/loans/ → ${result.status}: ${JSON.stringify(result.body)}`);
  return result.body as Loan;
}

/** A staff session (session cookie + CSRF token) for the JSON API. */
export class StaffClient {
  private readonly cookies = new Map<string, string>();

  private constructor(private readonly baseUrl: string) {}

  static async login(baseUrl: string, staff: StaffCredentials): Promise<StaffClient> {
    const client = new StaffClient(baseUrl);
    await client.request("GET", "/api/auth/csrf/");
    const result = await client.request("POST", "/api/auth/login/", { username: staff.username, password: staff.password });
    if (result.status !== 200) throw new Error(`staff login → ${result.status}: ${JSON.stringify(result.body)}`);
    return client;
  }

  get csrfToken(): string | undefined {
    return this.cookies.get("csrftoken");
  }

  get cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<JsonResponse<T>> {
    const headers: Record<string, string> = { Accept: "application/json", Origin: this.baseUrl, Referer: `${this.baseUrl}/staff` };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (this.cookies.size > 0) headers.Cookie = this.cookieHeader;
    if (method !== "GET" && this.csrfToken) headers["X-CSRFToken"] = this.csrfToken;
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const index = pair!.indexOf("=");
      const name = pair!.slice(0, index).trim();
      const value = pair!.slice(index + 1).trim();
      if (value === "" || /max-age=0|expires=thu, 01 jan 1970/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return readJson<T>(response);
  }

  /**
   * The request with this exact DNI, or undefined. The list masks DNIs (last three digits
   * only), so candidates found by search are read one by one (GET /api/loans/{id}/).
   */
  async findByDni(dni: string): Promise<Loan | undefined> {
    const result = await this.request<{ results: Loan[] }>("GET", `/api/loans/?search=${encodeURIComponent(dni)}&page_size=100`);
    if (result.status !== 200) throw new Error(`GET /api/loans/?search= → ${result.status}`);
    for (const candidate of result.body.results) {
      const detail = await this.request<Loan>("GET", `/api/loans/${candidate.id}/`);
      if (detail.status !== 200) throw new Error(`GET /api/loans/${candidate.id}/ → ${detail.status}`);
      if (detail.body.dni === dni) return detail.body;
    }
    return undefined;
  }
}
