/**
 * Validation rules for a loan request. The amount bounds have one source of truth, the server:
 * GET /api/loans/rules/ (read once per page load). The field rules below mirror the server's
 * model (docs/interfaces.md); the server always has the last word and its messages are shown.
 */
import { API } from "@/config/api";
import { request } from "@/lib/apiClient";
import type { LoanRulesBody } from "@/types/loan";

export interface LoanRules {
  readonly minAmount: number;
  readonly maxAmount: number;
}

export const FULL_NAME_MIN_LENGTH = 3;
export const FULL_NAME_MAX_LENGTH = 120;
export const EMAIL_MAX_LENGTH = 254;
export const DNI_MIN_DIGITS = 7;
export const DNI_MAX_DIGITS = 8;
export const AMOUNT_MAX_DECIMALS = 2;

/** The API's bounds as numbers; null when the answer is not the contract's shape. */
export function parseLoanRules(body: unknown): LoanRules | null {
  if (body === null || typeof body !== "object") return null;
  const { min_amount: min, max_amount: max } = body as Partial<Record<keyof LoanRulesBody, unknown>>;
  if (typeof min !== "string" || typeof max !== "string") return null;
  const minAmount = Number(min);
  const maxAmount = Number(max);
  if (!Number.isFinite(minAmount) || !Number.isFinite(maxAmount) || minAmount < 0 || minAmount > maxAmount) return null;
  return { minAmount, maxAmount };
}

let cached: Promise<LoanRules> | null = null;

/** The bounds from the API, fetched once; a failed fetch is retried on the next call. */
export function fetchLoanRules(): Promise<LoanRules> {
  if (!cached) {
    cached = request<unknown>(API.rules).then((body) => {
      const rules = parseLoanRules(body);
      if (!rules) throw new Error("GET /api/loans/rules/ answered an unexpected body");
      return rules;
    });
    cached.catch(() => {
      cached = null;
    });
  }
  return cached;
}

/** Forgets the fetched bounds (tests). */
export function resetLoanRules(): void {
  cached = null;
}
