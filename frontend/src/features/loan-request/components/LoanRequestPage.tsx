/**
 * Public page "/": the loan request form and, once submitted, the decision in its place.
 * Typed data is kept on validation, server, rate-limit (429) and network errors; the decision
 * survives a reload or back/forward in this tab (storage/decisionStore.ts).
 */
import { useEffect, useRef, useState, type FormEvent } from "react";
import { ErrorSummary } from "@/components/loan-form/ErrorSummary";
import { LoanFields, focusFirstInvalid } from "@/components/loan-form/LoanFields";
import { splitServerErrors } from "@/components/loan-form/serverErrors";
import {
  EMPTY_LOAN_FORM,
  validateLoanRequest,
  type FieldErrors,
  type LoanFormValues,
} from "@/components/loan-form/validateLoanRequest";
import { useDocumentTitle } from "@/hooks/useDocumentTitle";
import { useLoanRules } from "@/hooks/useLoanRules";
import { toApiError } from "@/lib/apiClient";
import type { LoanField } from "@/lib/loanLabels";
import type { LoanDecision } from "@/types/loan";
import { createLoanRequest } from "../api/createLoanRequest";
import { clearDecision, loadDecision, saveDecision } from "../storage/decisionStore";
import { DecisionResult, decisionAnnouncement, decisionTabTitle } from "./DecisionResult";

const ID_PREFIX = "loan";

export function LoanRequestPage() {
  const rules = useLoanRules();
  const [values, setValues] = useState<LoanFormValues>(EMPTY_LOAN_FORM);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const [submitAttempted, setSubmitAttempted] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [decision, setDecision] = useState<LoanDecision | null>(loadDecision);
  const [announcement, setAnnouncement] = useState("");
  const inFlight = useRef(false);
  // Errors whose first field gets focus after the next render (inputs must exist first).
  const pendingFocus = useRef<FieldErrors | null>(null);

  useDocumentTitle(decision ? decisionTabTitle(decision) : "Pedí tu préstamo");

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
      const created = await createLoanRequest(validation.data);
      saveDecision(created);
      setDecision(created);
      setAnnouncement(decisionAnnouncement(created));
    } catch (error) {
      const split = splitServerErrors(toApiError(error));
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
    clearDecision();
    setDecision(null);
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
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      {decision ? (
        <DecisionResult decision={decision} onNewRequest={startNewRequest} />
      ) : (
        <>
          <h1>Pedí tu préstamo por internet</h1>
          <p className="lead">Completá tus datos y conocé la respuesta en el momento.</p>
          <form
            className="card form"
            noValidate
            onSubmit={handleSubmit}
            aria-labelledby="loan-form-title"
            aria-busy={submitting}
          >
            <h2 id="loan-form-title">Solicitud de préstamo</h2>
            <ErrorSummary
              idPrefix={ID_PREFIX}
              fieldErrors={fieldErrors}
              formErrors={formErrors}
              listFieldErrors={submitAttempted}
              failureTitle="No pudimos enviar la solicitud"
            />
            <LoanFields
              idPrefix={ID_PREFIX}
              values={values}
              errors={fieldErrors}
              rules={rules}
              onChange={handleChange}
            />
            <p className="form__note">Todos los campos son obligatorios.</p>
            <button type="submit" className="button button--primary" aria-disabled={submitting}>
              {submitting ? "Enviando…" : "Solicitar préstamo"}
            </button>
          </form>
        </>
      )}
    </div>
  );
}
