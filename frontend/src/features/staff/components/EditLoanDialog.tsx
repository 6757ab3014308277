import { useRef, useState, type FormEvent } from "react";
import { LOAN_RULES, type LoanRules } from "../../../config/loanRules";
import { ApiError, MESSAGES } from "../../../lib/apiClient";
import type { LoanField, LoanRequest, LoanRequestInput } from "../../../lib/loanTypes";
import { ErrorSummary } from "../../loan-request/components/ErrorSummary";
import { LoanFields, focusFirstInvalid } from "../../loan-request/components/LoanFields";
import { splitServerErrors } from "../../loan-request/components/serverErrors";
import { validateLoanRequest, type FieldErrors, type LoanFormValues } from "../../loan-request/validation/validateLoanRequest";
import { updateLoan } from "../api/loans";
import { Modal } from "./Modal";

const ID_PREFIX = "edit";

interface EditLoanDialogProps {
  loan: LoanRequest;
  rules?: LoanRules;
  onSaved: (loan: LoanRequest) => void;
  onCancel: () => void;
  onUnauthorized: () => void;
}

/** Edits full_name, dni, gender, email and amount (PATCH with only the changed fields). */
export function EditLoanDialog({ loan, rules = LOAN_RULES, onSaved, onCancel, onUnauthorized }: EditLoanDialogProps) {
  const [values, setValues] = useState<LoanFormValues>({
    full_name: loan.full_name,
    dni: loan.dni,
    gender: loan.gender,
    email: loan.email,
    amount: loan.amount,
  });
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const firstFieldRef = useRef<HTMLElement | null>(null);

  function handleChange(field: LoanField, value: string) {
    setValues((current) => ({ ...current, [field]: value }));
    if (fieldErrors[field]) setFieldErrors((current) => ({ ...current, [field]: undefined }));
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
    for (const key of Object.keys(validation.data) as Array<keyof LoanRequestInput>) {
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
      const saved = await updateLoan(loan.id, changes);
      onSaved(saved);
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError(0, { __all__: [MESSAGES.unexpected] });
      if (apiError.status === 401) {
        onUnauthorized();
        return;
      }
      const split = splitServerErrors(apiError);
      setFieldErrors(split.fieldErrors);
      setFormErrors(split.formErrors);
      setBusy(false);
      // Fields are enabled again once `busy` is false; focus after that render.
      setTimeout(() => focusFirstInvalid(ID_PREFIX, split.fieldErrors), 0);
    }
  }

  return (
    <Modal titleId="edit-title" onCancel={onCancel} initialFocus={firstFieldRef} className="dialog--wide">
      <form className="dialog__body form" noValidate onSubmit={handleSubmit} aria-busy={busy}>
        <h2 id="edit-title">Editar solicitud de {loan.full_name}</h2>
        <ErrorSummary idPrefix={ID_PREFIX} fieldErrors={fieldErrors} formErrors={formErrors} listFieldErrors={false} />
        <div
          ref={(node) => {
            firstFieldRef.current = node?.querySelector("input") ?? null;
          }}
        >
          <LoanFields idPrefix={ID_PREFIX} values={values} errors={fieldErrors} rules={rules} onChange={handleChange} disabled={busy} />
        </div>
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onCancel}>
            Cancelar
          </button>
          <button type="submit" className="button button--primary" aria-disabled={busy}>
            {busy ? "Guardando…" : "Guardar cambios"}
          </button>
        </div>
      </form>
    </Modal>
  );
}
