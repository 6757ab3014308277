import { API } from "../../../config/api";
import { request } from "../../../lib/apiClient";
import type { LoanRequest, LoanRequestInput } from "../../../lib/loanTypes";

/**
 * POST /api/loans/ — public and CSRF-exempt (anonymous, no session), so no token round trip.
 * Resolves to the created request with the decision; rejects with ApiError.
 */
export function createLoanRequest(input: LoanRequestInput, signal?: AbortSignal): Promise<LoanRequest> {
  return request<LoanRequest>(API.loans, { method: "POST", body: input, csrf: false, signal });
}
