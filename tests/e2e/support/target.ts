/**
 * What the end-to-end tests run against.
 *
 * - E2E_BASE_URL set (the container suite: http://localhost:8080 with its own stack):
 *   that URL, with the staff account from E2E_STAFF_USERNAME / E2E_STAFF_PASSWORD.
 * - otherwise: a fresh production-like stack on this machine (tests/support/stack.ts), one
 *   per test file, torn down in afterAll.
 */
import { startStack, type StackOptions, type StaffCredentials } from "../../support/stack";

export interface Target {
  baseUrl: string;
  staff: StaffCredentials;
  /** True when E2E_BASE_URL points at a stack someone else started (data persists, limits unknown). */
  external: boolean;
  /** Rate limit nginx applies to POST /api/loans/ when known (own stack). */
  rateLimit?: { rate: string; burst: number };
  stop(): Promise<void>;
}

export function externalBaseUrl(): string | undefined {
  const raw = process.env.E2E_BASE_URL?.trim();
  return raw ? raw.replace(/\/+$/, "") : undefined;
}

export async function startTarget(options: StackOptions = {}): Promise<Target> {
  const external = externalBaseUrl();
  if (external) {
    const username = process.env.E2E_STAFF_USERNAME;
    const password = process.env.E2E_STAFF_PASSWORD;
    if (!username || !password) {
      throw new Error(
        "E2E_BASE_URL is set: E2E_STAFF_USERNAME and E2E_STAFF_PASSWORD must name the staff account of that stack.",
      );
    }
    // nginx does not proxy /readyz (the backend answers it to its probes only).
    const ready = await fetch(`${external}/api/loans/rules/`).catch((error: unknown) => error as Error);
    if (ready instanceof Error || ready.status !== 200) {
      throw new Error(
        `E2E_BASE_URL=${external} is not ready: GET /api/loans/rules/ → ${ready instanceof Error ? ready.message : ready.status}`,
      );
    }
    return { baseUrl: external, staff: { username, password }, external: true, stop: async () => undefined };
  }
  const stack = await startStack({ suite: "e2e", ...options });
  return {
    baseUrl: stack.baseUrl,
    staff: stack.staff,
    external: false,
    rateLimit: { rate: stack.rateLimit, burst: stack.burst },
    stop: () => stack.stop(),
  };
}
