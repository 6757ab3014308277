/**
 * Public page "/": the loan request form and, once submitted, the decision.
 * Typed data is kept on validation, server, rate-limit (429) and network errors.
 */
import { useEffect, useRef, useState, type FormEvent } from "react";
import { LOAN_RULES, type LoanRules } from "../../../config/loanRules";
import { ApiError, MESSAGES } from "../../../lib/apiClient";
import type { LoanField, LoanRequest } from "../../../lib/loanTypes";
import { createLoanRequest } from "../api/createLoanRequest";
import { EMPTY_LOAN_FORM, validateLoanRequest, type FieldErrors, type LoanFormValues } from "../validation/validateLoanRequest";
import { DecisionResult, decisionAnnouncement } from "./DecisionResult";
import { ErrorSummary } from "./ErrorSummary";
import { LoanFields, focusFirstInvalid } from "./LoanFields";
import { splitServerErrors } from "./serverErrors";

const ID_PREFIX = "loan";

interface LoanRequestPageProps {
  rules?: LoanRules;
}

export function LoanRequestPage({ rules = LOAN_RULES }: LoanRequestPageProps) {
  const [values, setValues] = useState<LoanFormValues>(EMPTY_LOAN_FORM);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const [submitAttempted, setSubmitAttempted] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [result, setResult] = useState<LoanRequest | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const inFlight = useRef(false);
  // Errors whose first field gets focus after the next render (inputs must exist first).
  const pendingFocus = useRef<FieldErrors | null>(null);

  useEffect(() => {
    if (pendingFocus.current) {
      focusFirstInvalid(ID_PREFIX, pendingFocus.current);
      pendingFocus.current = null;
    }
  });

  function handleChange(field: LoanField, value: string) {
    setValues((current) => ({ ...current, [field]: value }));
    // Clear the field's error once the person edits it; it is re-checked on submit.
    if (fieldErrors[field]) setFieldErrors((current) => ({ ...current, [field]: undefined }));
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (inFlight.current) return;
    setSubmitAttempted(true);
    setFormErrors([]);
    const validation = validateLoanRequest(values, rules);
    if (!validation.ok) {
      setFieldErrors(validation.errors);
      setAnnouncement("");
      pendingFocus.current = validation.errors;
      return;
    }
    setFieldErrors({});
    inFlight.current = true;
    setSubmitting(true);
    setAnnouncement("Enviando solicitud…");
    try {
      const loan = await createLoanRequest(validation.data);
      setResult(loan);
      setAnnouncement(decisionAnnouncement(loan));
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError(0, { __all__: [MESSAGES.unexpected] });
      const split = splitServerErrors(apiError);
      setFieldErrors(split.fieldErrors);
      setFormErrors(split.formErrors);
      setAnnouncement("");
      pendingFocus.current = split.fieldErrors;
    } finally {
      inFlight.current = false;
      setSubmitting(false);
    }
  }

  function startNewRequest() {
    setResult(null);
    setValues(EMPTY_LOAN_FORM);
    setFieldErrors({});
    setFormErrors([]);
    setSubmitAttempted(false);
    setAnnouncement("");
    // Focus the first field once the form is back.
    pendingFocus.current = { full_name: "focus" };
  }

  return (
    <div className="page page--narrow">
      <h1>Pedí tu préstamo por internet</h1>
      <p className="lead">Completá tus datos y conocé la respuesta en el momento.</p>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      {result ? (
        <DecisionResult loan={result} onNewRequest={startNewRequest} />
      ) : (
        <form className="card form" noValidate onSubmit={handleSubmit} aria-labelledby="loan-form-title" aria-busy={submitting}>
          <h2 id="loan-form-title">Solicitud de préstamo</h2>
          <ErrorSummary idPrefix={ID_PREFIX} fieldErrors={fieldErrors} formErrors={formErrors} listFieldErrors={submitAttempted} />
          <LoanFields idPrefix={ID_PREFIX} values={values} errors={fieldErrors} rules={rules} onChange={handleChange} />
          <p className="form__note">Todos los campos son obligatorios.</p>
          <button type="submit" className="button button--primary" aria-disabled={submitting}>
            {submitting ? "Enviando…" : "Solicitar préstamo"}
          </button>
        </form>
      )}
    </div>
  );
}
