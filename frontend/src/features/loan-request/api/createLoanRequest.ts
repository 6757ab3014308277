import { API } from "@/config/api";
import { request } from "@/lib/apiClient";
import type { LoanDecision, LoanRequestInput } from "@/types/loan";

/**
 * POST /api/loans/ — public and CSRF-exempt (anonymous, no session), so no token round trip.
 * Resolves to the decision; rejects with ApiError.
 */
export function createLoanRequest(input: LoanRequestInput, signal?: AbortSignal): Promise<LoanDecision> {
  return request<LoanDecision>(API.loans, { method: "POST", body: input, csrf: false, signal });
}
