/** What people read for the loan fields and statuses, shared by the public form and the staff area. */
import type { Gender, LoanHistoryAction, LoanRequestInput, LoanStatus } from "@/types/loan";

export const LOAN_FIELDS = ["full_name", "dni", "gender", "email", "amount"] as const satisfies ReadonlyArray<
  keyof LoanRequestInput
>;
export type LoanField = (typeof LOAN_FIELDS)[number];

export const GENDER_LABELS: Record<Gender, string> = { F: "Femenino", M: "Masculino", X: "No binario (X)" };

export const GENDER_OPTIONS: ReadonlyArray<{ value: Gender; label: string }> = (
  Object.keys(GENDER_LABELS) as Gender[]
).map((value) => ({
  value,
  label: GENDER_LABELS[value],
}));

export const STATUS_LABELS: Record<LoanStatus, string> = {
  pending: "En revisión",
  approved: "Aprobada",
  rejected: "Rechazada",
};

export const FIELD_LABELS: Record<LoanField, string> = {
  full_name: "Nombre completo",
  dni: "DNI",
  gender: "Género",
  email: "Correo electrónico",
  amount: "Monto (ARS)",
};

export const HISTORY_ACTION_LABELS: Record<LoanHistoryAction, string> = {
  created: "Solicitud creada",
  edited: "Datos editados",
  approved: "Aprobada",
  rejected: "Rechazada",
  deleted: "Eliminada",
};

/** Only pending requests can be decided, edited or deleted (decided ones are read-only). */
export function isPending(loan: { status: LoanStatus }): boolean {
  return loan.status === "pending";
}
