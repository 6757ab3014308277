/**
 * A small fetch mock for unit tests: register answers per method and path, then inspect
 * the recorded calls. Unmatched requests fail loudly.
 */
import { vi } from "vitest";

export interface RecordedCall {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Headers;
  body: unknown;
}

export interface MockAnswer {
  status?: number;
  body?: unknown;
  /** Raw text body (e.g. an HTML error page); wins over `body`. */
  text?: string;
  headers?: Record<string, string>;
}

export type Responder =
  | MockAnswer
  | "network-error"
  | ((call: RecordedCall) => MockAnswer | "network-error" | Promise<MockAnswer | "network-error">);

interface Route {
  method: string;
  path: string | RegExp;
  responder: Responder;
  once: boolean;
}

export interface FetchMock {
  /** Answers every matching request (later registrations win). */
  on(method: string, path: string | RegExp, responder: Responder): FetchMock;
  /** Answers the next matching request only (before any `on` route). */
  once(method: string, path: string | RegExp, responder: Responder): FetchMock;
  calls: RecordedCall[];
  callsTo(method: string, path: string | RegExp): RecordedCall[];
  fn: ReturnType<typeof vi.fn>;
}

function matches(route: Route, method: string, path: string): boolean {
  if (route.method !== method) return false;
  return typeof route.path === "string" ? route.path === path : route.path.test(path);
}

export function installFetchMock(): FetchMock {
  const routes: Route[] = [];
  const calls: RecordedCall[] = [];

  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(
      typeof input === "string" ? input : input instanceof URL ? input.href : input.url,
      "http://localhost",
    );
    const method = (init?.method ?? "GET").toUpperCase();
    const rawBody = init?.body;
    let body: unknown = undefined;
    if (typeof rawBody === "string") {
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = rawBody;
      }
    }
    const call: RecordedCall = {
      method,
      path: url.pathname,
      query: url.searchParams,
      headers: new Headers(init?.headers),
      body,
    };
    calls.push(call);

    const onceIndex = routes.findIndex((route) => route.once && matches(route, method, url.pathname));
    let route: Route | undefined;
    if (onceIndex !== -1) {
      route = routes[onceIndex];
      routes.splice(onceIndex, 1);
    } else {
      route = [...routes].reverse().find((candidate) => !candidate.once && matches(candidate, method, url.pathname));
    }
    if (!route) throw new Error(`fetch mock: no answer for ${method} ${url.pathname}${url.search}`);

    const answer = typeof route.responder === "function" ? await route.responder(call) : route.responder;
    if (answer === "network-error") throw new TypeError("Failed to fetch");
    const status = answer.status ?? 200;
    const headers = new Headers(answer.headers);
    let payload: string | null = null;
    if (answer.text !== undefined) payload = answer.text;
    else if (answer.body !== undefined) {
      payload = JSON.stringify(answer.body);
      if (!headers.has("Content-Type")) headers.set("Content-Type", "application/json");
    }
    return new Response(status === 204 ? null : payload, { status, headers });
  });

  vi.stubGlobal("fetch", fn);

  const mock: FetchMock = {
    on(method, path, responder) {
      routes.push({ method: method.toUpperCase(), path, responder, once: false });
      return mock;
    },
    once(method, path, responder) {
      routes.push({ method: method.toUpperCase(), path, responder, once: true });
      return mock;
    },
    calls,
    callsTo(method, path) {
      const wanted = method.toUpperCase();
      return calls.filter(
        (call) => call.method === wanted && (typeof path === "string" ? call.path === path : path.test(call.path)),
      );
    },
    fn,
  };
  return mock;
}

/** A deferred promise, to hold a mocked answer until the test releases it. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}
