/** Direct HTTP calls to the stack (through nginx), for seeding and for checking what the UI did. */
import { randomInt } from "node:crypto";
import type { StaffCredentials } from "../../support/stack";
import {
  ApiClient,
  dniSource,
  readJson,
  type JsonResponse,
  type LoanDecision,
  type LoanInput,
} from "../../support/api-client";

export type { JsonResponse, Loan, LoanInput } from "../../support/api-client";

/**
 * A request created through the public API: what was submitted plus the public answer (id,
 * status, amount, created_at, message). The answer holds no personal data (contract 4), so
 * the submitted fields come from the input; staff endpoints give the full record.
 */
export type CreatedLoan = LoanInput & LoanDecision;

/** DNIs of this suite: a range disjoint from the container suite's, which shares its stack. */
export const uniqueDni = dniSource(20_000_000, 60_000_000);

/** A short random tag to make names unique per run (useful against a persistent E2E_BASE_URL
 * stack). Letters only: the API accepts no digits in a name. */
export function runTag(): string {
  return Array.from({ length: 6 }, () => String.fromCharCode(65 + randomInt(0, 26))).join("");
}

export async function postLoan(
  baseUrl: string,
  input: Partial<LoanInput> | Record<string, unknown>,
): Promise<JsonResponse<LoanDecision | { errors: Record<string, string[]> }>> {
  const response = await fetch(`${baseUrl}/api/loans/`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(input),
  });
  return readJson(response);
}

/** How long seeding waits out nginx's per-IP limit on POST /api/loans/ (shared stacks run the documented 30r/m). */
const RATE_LIMIT_PATIENCE_MS = 120_000;
const RATE_LIMIT_POLL_MS = 2_500;

/**
 * Creates a loan request (test data) and fails loudly unless the API answers 201. A 429 from
 * the rate limit is waited out (a token frees every 2 s at 30r/m), so seeding works on a stack
 * whose bucket earlier files have drained.
 */
export async function createLoan(baseUrl: string, input: LoanInput): Promise<CreatedLoan> {
  const deadline = Date.now() + RATE_LIMIT_PATIENCE_MS;
  for (;;) {
    const result = await postLoan(baseUrl, input);
    if (result.status === 201) return { ...input, ...(result.body as LoanDecision) };
    if (result.status !== 429 || Date.now() > deadline)
      throw new Error(`POST /api/loans/ → ${result.status}: ${JSON.stringify(result.body)}`);
    await new Promise((resolve) => setTimeout(resolve, RATE_LIMIT_POLL_MS));
  }
}

/** A logged-in staff session for the JSON API. */
export async function staffSession(baseUrl: string, staff: StaffCredentials): Promise<ApiClient> {
  const client = new ApiClient(baseUrl);
  await client.login(staff.username, staff.password);
  return client;
}
