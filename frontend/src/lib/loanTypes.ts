/** Loan request types and labels shared by the public form and the staff area. */

export type Gender = "F" | "M" | "X";
export type LoanStatus = "pending" | "approved" | "rejected";

/** A loan request as the API returns it (docs/interfaces.md). */
export interface LoanRequest {
  id: number;
  full_name: string;
  dni: string;
  gender: Gender;
  email: string;
  /** Decimal string with 2 decimals, e.g. "150000.00". */
  amount: string;
  status: LoanStatus;
  decision_reason: string;
  created_at: string;
  updated_at: string;
  reviewed_by: string | null;
  reviewed_at: string | null;
}

/** Fields a person submits (and staff may edit). */
export interface LoanRequestInput {
  full_name: string;
  dni: string;
  gender: Gender;
  email: string;
  amount: string;
}

export const LOAN_FIELDS = ["full_name", "dni", "gender", "email", "amount"] as const;
export type LoanField = (typeof LOAN_FIELDS)[number];

export const GENDER_OPTIONS: ReadonlyArray<{ value: Gender; label: string }> = [
  { value: "F", label: "Femenino" },
  { value: "M", label: "Masculino" },
  { value: "X", label: "No binario (X)" },
];

export const STATUS_LABELS: Record<LoanStatus, string> = {
  pending: "En revisión",
  approved: "Aprobada",
  rejected: "Rechazada",
};

export const FIELD_LABELS: Record<LoanField, string> = {
  full_name: "Nombre completo",
  dni: "DNI",
  gender: "Género",
  email: "Email",
  amount: "Monto (ARS)",
};
