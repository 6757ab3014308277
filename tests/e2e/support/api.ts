/** Direct HTTP calls to the stack (through nginx), for seeding and for checking what the UI did. */
import { randomInt } from "node:crypto";
import type { StaffCredentials } from "../../support/stack";
import { ApiClient, dniSource, readJson, type JsonResponse, type Loan, type LoanInput } from "../../support/api-client";

export type { JsonResponse, Loan, LoanInput } from "../../support/api-client";

/** DNIs of this suite: a range disjoint from the container suite's, which shares its stack. */
export const uniqueDni = dniSource(20_000_000, 60_000_000);

/** A short random tag to make names unique per run (useful against a persistent E2E_BASE_URL
 * stack). Letters only: the API accepts no digits in a name. */
export function runTag(): string {
  return Array.from({ length: 6 }, () => String.fromCharCode(65 + randomInt(0, 26))).join("");
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

/** A logged-in staff session for the JSON API. */
export async function staffSession(baseUrl: string, staff: StaffCredentials): Promise<ApiClient> {
  const client = new ApiClient(baseUrl);
  await client.login(staff.username, staff.password);
  return client;
}
