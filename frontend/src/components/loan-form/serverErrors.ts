import { NON_FIELD_ERRORS, type ApiError } from "@/lib/apiClient";
import { LOAN_FIELDS, type LoanField } from "@/lib/loanLabels";
import type { FieldErrors } from "./validateLoanRequest";

/** Splits an ApiError into messages per form field and messages shown above the form. */
export function splitServerErrors(error: ApiError): { fieldErrors: FieldErrors; formErrors: string[] } {
  const fieldErrors: FieldErrors = {};
  const formErrors: string[] = [];
  for (const [key, messages] of Object.entries(error.errors)) {
    if ((LOAN_FIELDS as readonly string[]).includes(key)) {
      fieldErrors[key as LoanField] = messages.join(" ");
    } else if (key === NON_FIELD_ERRORS) {
      formErrors.push(...messages);
    } else {
      formErrors.push(...messages.map((message) => `${key}: ${message}`));
    }
  }
  return { fieldErrors, formErrors };
}
