import { useRef, useState, type FormEvent } from "react";
import { Modal } from "@/components/Modal";
import { ErrorSummary } from "@/components/loan-form/ErrorSummary";
import { LoanFields, focusFirstInvalid } from "@/components/loan-form/LoanFields";
import { splitServerErrors } from "@/components/loan-form/serverErrors";
import { validateLoanRequest, type FieldErrors, type LoanFormValues } from "@/components/loan-form/validateLoanRequest";
import { useLoanRules } from "@/hooks/useLoanRules";
import { toApiError } from "@/lib/apiClient";
import { formatAmountInput } from "@/lib/format";
import { LOAN_FIELDS, type LoanField } from "@/lib/loanLabels";
import type { LoanRequest, LoanRequestInput } from "@/types/loan";
import { updateLoan } from "../api/loans";

const ID_PREFIX = "edit";

interface EditLoanDialogProps {
  /** The full record (GET /api/loans/{id}/: the list masks the DNI). */
  loan: LoanRequest;
  /** Values typed before the session expired, instead of the record's. */
  initialValues?: LoanFormValues;
  onSaved: (loan: LoanRequest) => void;
  onCancel: () => void;
  /** The server answered 409 (decided meanwhile): the dialog shows its message, the page refreshes. */
  onConflict: () => void;
  /** The session expired; `values` is what was typed. */
  onUnauthorized: (values: LoanFormValues) => void;
}

function valuesOf(loan: LoanRequest): LoanFormValues {
  // The amount as people write it here ("50.000,00"), matching the hint's notation.
  return {
    full_name: loan.full_name,
    dni: loan.dni,
    gender: loan.gender,
    email: loan.email,
    amount: formatAmountInput(loan.amount),
  };
}

/**
 * Edits full_name, dni, gender, email and amount (PATCH with only the changed fields).
 * Escape or "Cancelar" with unsaved changes asks before discarding them.
 */
export function EditLoanDialog({
  loan,
  initialValues,
  onSaved,
  onCancel,
  onConflict,
  onUnauthorized,
}: EditLoanDialogProps) {
  const rules = useLoanRules();
  const original = valuesOf(loan);
  const [values, setValues] = useState<LoanFormValues>(initialValues ?? original);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [confirmingDiscard, setConfirmingDiscard] = useState(false);
  const firstFieldRef = useRef<HTMLElement | null>(null);
  const keepEditingRef = useRef<HTMLButtonElement>(null);

  const dirty = LOAN_FIELDS.some((field) => values[field] !== original[field]);

  function handleChange(field: LoanField, value: string) {
    setValues((current) => ({ ...current, [field]: value }));
    if (fieldErrors[field]) setFieldErrors((current) => ({ ...current, [field]: undefined }));
  }

  function requestCancel() {
    if (busy) return;
    // Escape while the question is shown closes the question, not the dialog.
    if (confirmingDiscard) {
      keepEditing();
      return;
    }
    if (!dirty) {
      onCancel();
      return;
    }
    setConfirmingDiscard(true);
    setTimeout(() => keepEditingRef.current?.focus(), 0);
  }

  function keepEditing() {
    setConfirmingDiscard(false);
    setTimeout(() => firstFieldRef.current?.focus(), 0);
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setFormErrors([]);
    const validation = validateLoanRequest(values, rules);
    if (!validation.ok) {
      setFieldErrors(validation.errors);
      focusFirstInvalid(ID_PREFIX, validation.errors);
      return;
    }
    const changes: Partial<LoanRequestInput> = {};
    for (const key of LOAN_FIELDS) {
      const before = key === "amount" ? Number(loan.amount).toFixed(2) : loan[key];
      if (validation.data[key] !== before) Object.assign(changes, { [key]: validation.data[key] });
    }
    if (Object.keys(changes).length === 0) {
      onCancel();
      return;
    }
    setFieldErrors({});
    setBusy(true);
    try {
      onSaved(await updateLoan(loan.id, changes));
    } catch (error) {
      const apiError = toApiError(error);
      if (apiError.status === 401) {
        onUnauthorized(values);
        return;
      }
      if (apiError.status === 409) onConflict();
      const split = splitServerErrors(apiError);
      setFieldErrors(split.fieldErrors);
      setFormErrors(split.formErrors);
      setBusy(false);
      // Fields are enabled again once `busy` is false; focus after that render.
      setTimeout(() => focusFirstInvalid(ID_PREFIX, split.fieldErrors), 0);
    }
  }

  return (
    <Modal
      titleId="edit-title"
      descriptionId="edit-subtitle"
      onCancel={requestCancel}
      initialFocus={firstFieldRef}
      className="dialog--wide"
    >
      <form className="dialog__body form" noValidate onSubmit={handleSubmit} aria-busy={busy}>
        <h2 id="edit-title">Editar solicitud</h2>
        <p id="edit-subtitle" className="dialog__subtitle" title={loan.full_name}>
          N.º {loan.id} · {loan.full_name}
        </p>
        <ErrorSummary
          idPrefix={ID_PREFIX}
          fieldErrors={fieldErrors}
          formErrors={formErrors}
          listFieldErrors={false}
          failureTitle="No pudimos guardar los cambios"
        />
        <div
          ref={(node) => {
            firstFieldRef.current = node?.querySelector("input") ?? null;
          }}
        >
          <LoanFields
            idPrefix={ID_PREFIX}
            values={values}
            errors={fieldErrors}
            rules={rules}
            onChange={handleChange}
            disabled={busy || confirmingDiscard}
          />
        </div>
        {confirmingDiscard ? (
          <div
            className="discard-confirm"
            role="group"
            aria-labelledby="discard-title"
            aria-describedby="discard-description"
          >
            <p id="discard-title" className="discard-confirm__title">
              ¿Descartar los cambios?
            </p>
            <p id="discard-description">Los datos que modificaste no se guardaron.</p>
            <div className="dialog__actions">
              <button ref={keepEditingRef} type="button" className="button" onClick={keepEditing}>
                Seguir editando
              </button>
              <button type="button" className="button button--danger" onClick={onCancel}>
                Descartar cambios
              </button>
            </div>
          </div>
        ) : (
          <div className="dialog__actions">
            <button type="button" className="button" onClick={requestCancel}>
              Cancelar
            </button>
            <button type="submit" className="button button--primary" aria-disabled={busy}>
              {busy ? "Guardando…" : "Guardar cambios"}
            </button>
          </div>
        )}
      </form>
    </Modal>
  );
}
