/**
 * Fetch wrapper for the JSON API of docs/interfaces.md.
 *
 * - same-origin credentials (Django session cookie);
 * - CSRF: before an unsafe method, the token is read from the `csrftoken` cookie or fetched
 *   once from GET /api/auth/csrf/, and sent as X-CSRFToken; a 403 that names CSRF is retried
 *   once with a fresh token (Django rotates it at login);
 * - every failure becomes an ApiError whose `errors` has the contract's shape
 *   {field: [messages]}, with "__all__" for errors not tied to a field.
 */
import { API } from "@/config/api";

export const NON_FIELD_ERRORS = "__all__";

export type ErrorMap = Record<string, string[]>;

export const MESSAGES = {
  network: "No pudimos conectarnos con el servidor. Revisá tu conexión e intentá de nuevo.",
  rateLimited: "Demasiadas solicitudes, intentá de nuevo en unos minutos.",
  server: "Ocurrió un error en el servidor. Intentá de nuevo más tarde.",
  unauthorized: "Tenés que iniciar sesión.",
  forbidden: "No tenés permiso para hacer esto.",
  notFound: "No encontramos lo que buscabas.",
  tooLarge: "Los datos enviados son demasiado grandes.",
  conflict: "Los datos cambiaron mientras tanto. Actualizá e intentá de nuevo.",
  invalid: "Revisá los datos ingresados.",
  unexpected: "Ocurrió un error inesperado. Intentá de nuevo.",
} as const;

export class ApiError extends Error {
  readonly status: number;
  readonly errors: ErrorMap;

  /** status 0 means the request never got an HTTP answer (network failure). */
  constructor(status: number, errors: ErrorMap) {
    super(firstMessage(errors) ?? MESSAGES.unexpected);
    this.name = "ApiError";
    this.status = status;
    this.errors = errors;
  }

  get isNetworkError(): boolean {
    return this.status === 0;
  }

  /** Messages not tied to a field. */
  get nonFieldErrors(): string[] {
    return this.errors[NON_FIELD_ERRORS] ?? [];
  }
}

/** Any thrown value as an ApiError (a programming error becomes the generic message). */
export function toApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, { [NON_FIELD_ERRORS]: [MESSAGES.unexpected] });
}

/** Every message of an error, as one text (for a single alert line). */
export function errorText(error: ApiError): string {
  return Object.values(error.errors).flat().join(" ");
}

function firstMessage(errors: ErrorMap): string | undefined {
  for (const messages of Object.values(errors)) {
    if (messages[0]) return messages[0];
  }
  return undefined;
}

export function defaultMessageForStatus(status: number): string {
  switch (status) {
    case 0:
      return MESSAGES.network;
    case 400:
      return MESSAGES.invalid;
    case 401:
      return MESSAGES.unauthorized;
    case 403:
      return MESSAGES.forbidden;
    case 404:
      return MESSAGES.notFound;
    case 409:
      return MESSAGES.conflict;
    case 413:
      return MESSAGES.tooLarge;
    case 429:
      return MESSAGES.rateLimited;
    default:
      return status >= 500 ? MESSAGES.server : MESSAGES.unexpected;
  }
}

function toMessages(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === "string");
  return [];
}

/** Turns any error body into the contract's {field: [messages]} map. */
export function normalizeErrors(status: number, body: unknown): ErrorMap {
  const errors: ErrorMap = {};
  if (body !== null && typeof body === "object") {
    const record = body as Record<string, unknown>;
    const raw = record.errors;
    if (raw !== null && typeof raw === "object" && !Array.isArray(raw)) {
      for (const [field, value] of Object.entries(raw as Record<string, unknown>)) {
        const messages = toMessages(value);
        if (messages.length > 0) errors[field] = messages;
      }
    } else if (typeof record.detail === "string") {
      errors[NON_FIELD_ERRORS] = [record.detail];
    }
  }
  if (Object.keys(errors).length === 0) errors[NON_FIELD_ERRORS] = [defaultMessageForStatus(status)];
  return errors;
}

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const CSRF_COOKIE = "csrftoken";

let cachedCsrfToken: string | null = null;

function readCookie(name: string): string | null {
  if (typeof document === "undefined") return null;
  for (const part of document.cookie.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return null;
}

/** Forgets the cached token (after login/logout, when Django rotates it). */
export function resetCsrfToken(): void {
  cachedCsrfToken = null;
}

/** The CSRF token: from the cookie when readable, else from GET /api/auth/csrf/. */
export async function getCsrfToken(forceRefresh = false): Promise<string> {
  if (!forceRefresh) {
    const fromCookie = readCookie(CSRF_COOKIE);
    if (fromCookie) return fromCookie;
    if (cachedCsrfToken) return cachedCsrfToken;
  }
  const data = await request<{ csrfToken?: string }>(API.csrf, { method: "GET" });
  const token = data?.csrfToken ?? readCookie(CSRF_COOKIE);
  if (!token) throw new ApiError(500, { [NON_FIELD_ERRORS]: [MESSAGES.server] });
  cachedCsrfToken = token;
  return token;
}

export type QueryValue = string | number | undefined | null;

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Serialized as JSON. */
  body?: unknown;
  query?: Record<string, QueryValue>;
  /** Send X-CSRFToken on unsafe methods (default true). */
  csrf?: boolean;
  signal?: AbortSignal;
}

export function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isCsrfFailure(error: ApiError): boolean {
  return error.status === 403 && Object.values(error.errors).some((messages) => messages.some((m) => /csrf/i.test(m)));
}

async function send(path: string, options: RequestOptions, csrfToken: string | null): Promise<Response> {
  const method = options.method ?? "GET";
  const headers: Record<string, string> = { Accept: "application/json" };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (csrfToken) headers["X-CSRFToken"] = csrfToken;
  try {
    return await fetch(buildUrl(path, options.query), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: "same-origin",
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError(0, { [NON_FIELD_ERRORS]: [MESSAGES.network] });
  }
}

/** Performs a request; resolves to the parsed JSON body (undefined for 204), rejects with ApiError. */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? "GET";
  const needsCsrf = UNSAFE_METHODS.has(method) && options.csrf !== false;

  let token = needsCsrf ? await getCsrfToken() : null;
  for (let attempt = 0; ; attempt += 1) {
    const response = await send(path, options, token);
    const body = await readBody(response);
    if (response.ok) return body as T;
    const error = new ApiError(response.status, normalizeErrors(response.status, body));
    if (needsCsrf && attempt === 0 && isCsrfFailure(error)) {
      resetCsrfToken();
      token = await getCsrfToken(true);
      continue;
    }
    throw error;
  }
}
