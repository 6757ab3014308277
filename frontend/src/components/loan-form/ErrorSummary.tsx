import { useEffect, useRef } from "react";
import { MessageList } from "@/components/MessageList";
import { FIELD_LABELS, type LoanField } from "@/lib/loanLabels";
import { fieldId } from "./LoanFields";
import type { FieldErrors } from "./validateLoanRequest";

interface ErrorSummaryProps {
  idPrefix: string;
  fieldErrors: FieldErrors;
  formErrors: string[];
  /** Field errors are listed only after a submit attempt (they are also shown inline). */
  listFieldErrors: boolean;
  /** Heading when only errors not tied to a field are shown. */
  failureTitle: string;
}

/**
 * Errors shown above the form: errors not tied to a field ("__all__", 429, network) and a
 * list of links to the invalid fields. Announced as an alert.
 */
export function ErrorSummary({ idPrefix, fieldErrors, formErrors, listFieldErrors, failureTitle }: ErrorSummaryProps) {
  const fields = listFieldErrors ? (Object.keys(fieldErrors) as LoanField[]).filter((field) => fieldErrors[field]) : [];
  const ref = useRef<HTMLDivElement>(null);
  const hasContent = formErrors.length > 0 || fields.length > 0;

  useEffect(() => {
    // Only non-field errors take focus here; field errors move focus to the field itself.
    if (formErrors.length > 0 && fields.length === 0) ref.current?.focus();
  }, [formErrors, fields.length]);

  if (!hasContent) return null;
  return (
    <div ref={ref} className="error-summary" role="alert" tabIndex={-1} aria-labelledby={`${idPrefix}-summary-title`}>
      <h2 id={`${idPrefix}-summary-title`} className="error-summary__title">
        {fields.length > 0 ? "Revisá los datos marcados" : failureTitle}
      </h2>
      <MessageList messages={formErrors} />
      {fields.length > 0 ? (
        <ul className="error-summary__list">
          {fields.map((field) => (
            <li key={field}>
              <a
                href={`#${fieldId(idPrefix, field)}`}
                onClick={(event) => {
                  event.preventDefault();
                  document.getElementById(fieldId(idPrefix, field))?.focus();
                }}
              >
                {FIELD_LABELS[field]}: {fieldErrors[field]}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
