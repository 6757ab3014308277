/**
 * Client-side validation of a loan request, mirroring the server's rules so that people get
 * immediate feedback. The server re-validates; its messages are shown when they differ.
 */
import { decimalPlaces, formatARS, normalizeAmountInput } from "@/lib/format";
import type { LoanField } from "@/lib/loanLabels";
import {
  AMOUNT_MAX_DECIMALS,
  DNI_MAX_DIGITS,
  DNI_MIN_DIGITS,
  EMAIL_MAX_LENGTH,
  FULL_NAME_MAX_LENGTH,
  FULL_NAME_MIN_LENGTH,
  type LoanRules,
} from "@/lib/loanRules";
import type { Gender, LoanRequestInput } from "@/types/loan";

/** The form's values as typed. */
export interface LoanFormValues {
  full_name: string;
  dni: string;
  gender: Gender | "";
  email: string;
  amount: string;
}

export const EMPTY_LOAN_FORM: LoanFormValues = { full_name: "", dni: "", gender: "", email: "", amount: "" };

export type FieldErrors = Partial<Record<LoanField, string>>;

export type ValidationResult = { ok: true; data: LoanRequestInput } | { ok: false; errors: FieldErrors };

// Pragmatic check: something@domain.tld without spaces (the server does the strict check).
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** "30.123.456" or "30 123 456" → "30123456". */
export function normalizeDni(raw: string): string {
  return raw.replace(/[.\s-]/g, "");
}

export function validateFullName(raw: string): string | undefined {
  const value = raw.trim().replace(/\s+/g, " ");
  if (value === "") return "Ingresá tu nombre completo.";
  if (value.length < FULL_NAME_MIN_LENGTH) return `El nombre debe tener al menos ${FULL_NAME_MIN_LENGTH} caracteres.`;
  if (value.length > FULL_NAME_MAX_LENGTH)
    return `El nombre puede tener como máximo ${FULL_NAME_MAX_LENGTH} caracteres.`;
  return undefined;
}

export function validateDni(raw: string): string | undefined {
  const value = normalizeDni(raw);
  if (value === "") return "Ingresá tu DNI.";
  // Dots, spaces and dashes are accepted (and removed): the message names the real problem.
  if (!/^\d+$/.test(value)) return "El DNI solo puede tener números.";
  if (value.length < DNI_MIN_DIGITS || value.length > DNI_MAX_DIGITS) {
    return `El DNI debe tener ${DNI_MIN_DIGITS} u ${DNI_MAX_DIGITS} dígitos (ingresaste ${value.length}).`;
  }
  return undefined;
}

export function validateGender(raw: string): string | undefined {
  return raw === "F" || raw === "M" || raw === "X" ? undefined : "Elegí una opción de género.";
}

export function validateEmail(raw: string): string | undefined {
  const value = raw.trim();
  if (value === "") return "Ingresá tu correo electrónico.";
  if (value.length > EMAIL_MAX_LENGTH)
    return `El correo electrónico puede tener como máximo ${EMAIL_MAX_LENGTH} caracteres.`;
  if (!EMAIL_PATTERN.test(value)) return "Ingresá un correo electrónico válido, por ejemplo nombre@dominio.com.";
  return undefined;
}

/** `rules` null: the bounds could not be read from the API; the server checks them. */
export function validateAmount(raw: string, rules: LoanRules | null): string | undefined {
  if (raw.trim() === "") return "Ingresá el monto que necesitás.";
  const canonical = normalizeAmountInput(raw);
  if (canonical === null) return "Ingresá un monto válido, solo números (por ejemplo 150000 o 150.000,50).";
  if (decimalPlaces(canonical) > AMOUNT_MAX_DECIMALS) return "El monto puede tener como máximo 2 decimales.";
  if (!rules) return undefined;
  const value = Number(canonical);
  if (value < rules.minAmount) return `El monto mínimo es ${formatARS(rules.minAmount)}.`;
  if (value > rules.maxAmount) return `El monto máximo es ${formatARS(rules.maxAmount)}.`;
  return undefined;
}

/** Validates every field; on success returns the normalized payload for the API. */
export function validateLoanRequest(values: LoanFormValues, rules: LoanRules | null): ValidationResult {
  const errors: FieldErrors = {};
  const checks: Array<[LoanField, string | undefined]> = [
    ["full_name", validateFullName(values.full_name)],
    ["dni", validateDni(values.dni)],
    ["gender", validateGender(values.gender)],
    ["email", validateEmail(values.email)],
    ["amount", validateAmount(values.amount, rules)],
  ];
  for (const [field, message] of checks) {
    if (message) errors[field] = message;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const [integerPart = "0", decimals = ""] = (normalizeAmountInput(values.amount) ?? "").split(".");
  return {
    ok: true,
    data: {
      full_name: values.full_name.trim().replace(/\s+/g, " "),
      dni: normalizeDni(values.dni),
      gender: values.gender as Gender,
      email: values.email.trim(),
      amount: `${integerPart}.${decimals.padEnd(AMOUNT_MAX_DECIMALS, "0")}`,
    },
  };
}
