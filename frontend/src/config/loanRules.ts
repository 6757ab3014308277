/**
 * Validation rules for a loan request, mirroring the server (docs/interfaces.md).
 * The amount bounds are the backend defaults (LOAN_MIN_AMOUNT / LOAN_MAX_AMOUNT);
 * a build may override them with VITE_LOAN_MIN_AMOUNT / VITE_LOAN_MAX_AMOUNT.
 * The server always has the last word: its field errors are shown as they come.
 */

export interface LoanRules {
  readonly minAmount: number;
  readonly maxAmount: number;
}

export const DEFAULT_MIN_AMOUNT = 10_000;
export const DEFAULT_MAX_AMOUNT = 5_000_000;

export const FULL_NAME_MIN_LENGTH = 3;
export const FULL_NAME_MAX_LENGTH = 120;
export const EMAIL_MAX_LENGTH = 254;
export const DNI_PATTERN = /^\d{7,8}$/;
export const AMOUNT_MAX_DECIMALS = 2;

function positiveNumber(raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

export function loanRulesFromEnv(env: { VITE_LOAN_MIN_AMOUNT?: string; VITE_LOAN_MAX_AMOUNT?: string }): LoanRules {
  const minAmount = positiveNumber(env.VITE_LOAN_MIN_AMOUNT, DEFAULT_MIN_AMOUNT);
  const maxAmount = positiveNumber(env.VITE_LOAN_MAX_AMOUNT, DEFAULT_MAX_AMOUNT);
  if (minAmount > maxAmount) return { minAmount: DEFAULT_MIN_AMOUNT, maxAmount: DEFAULT_MAX_AMOUNT };
  return { minAmount, maxAmount };
}

export const LOAN_RULES: LoanRules = loanRulesFromEnv(import.meta.env);
