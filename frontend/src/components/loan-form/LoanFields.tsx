/**
 * The five fields of a loan request, each with its label, hint and error tied with
 * aria-describedby / aria-invalid. Used by the public form and the staff edit dialog.
 */
import { TextField } from "@/components/TextField";
import { formatARS } from "@/lib/format";
import { FIELD_LABELS, GENDER_OPTIONS, LOAN_FIELDS, type LoanField } from "@/lib/loanLabels";
import type { LoanRules } from "@/lib/loanRules";
import type { FieldErrors, LoanFormValues } from "./validateLoanRequest";

export function fieldId(idPrefix: string, field: LoanField): string {
  // The gender group is focused through its first radio.
  return field === "gender" ? `${idPrefix}-gender-F` : `${idPrefix}-${field}`;
}

/** Moves focus to the first field (in form order) that has an error; returns whether one was found. */
export function focusFirstInvalid(idPrefix: string, errors: FieldErrors): boolean {
  const first = LOAN_FIELDS.find((field) => errors[field]);
  if (!first) return false;
  document.getElementById(fieldId(idPrefix, first))?.focus();
  return true;
}

interface LoanFieldsProps {
  idPrefix: string;
  values: LoanFormValues;
  errors: FieldErrors;
  /** null while the bounds load (or when they could not be read). */
  rules: LoanRules | null;
  onChange: (field: LoanField, value: string) => void;
  disabled?: boolean;
}

export function LoanFields({ idPrefix, values, errors, rules, onChange, disabled }: LoanFieldsProps) {
  const genderErrorId = errors.gender ? `${idPrefix}-gender-error` : undefined;
  return (
    <>
      <TextField
        id={fieldId(idPrefix, "full_name")}
        label={FIELD_LABELS.full_name}
        value={values.full_name}
        error={errors.full_name}
        autoComplete="name"
        maxLength={200}
        disabled={disabled}
        onChange={(value) => onChange("full_name", value)}
      />
      <TextField
        id={fieldId(idPrefix, "dni")}
        label={FIELD_LABELS.dni}
        hint="7 u 8 dígitos."
        value={values.dni}
        error={errors.dni}
        inputMode="numeric"
        autoComplete="off"
        maxLength={12}
        disabled={disabled}
        onChange={(value) => onChange("dni", value)}
      />
      <fieldset
        className={errors.gender ? "field field--invalid field--group" : "field field--group"}
        aria-describedby={genderErrorId}
        disabled={disabled}
      >
        <legend>{FIELD_LABELS.gender}</legend>
        <div className="radio-row">
          {GENDER_OPTIONS.map((option) => (
            <label key={option.value} className="radio" htmlFor={`${idPrefix}-gender-${option.value}`}>
              <input
                id={`${idPrefix}-gender-${option.value}`}
                type="radio"
                name={`${idPrefix}-gender`}
                value={option.value}
                checked={values.gender === option.value}
                aria-invalid={errors.gender ? true : undefined}
                aria-describedby={genderErrorId}
                onChange={() => onChange("gender", option.value)}
              />
              {option.label}
            </label>
          ))}
        </div>
        {errors.gender ? (
          <p id={genderErrorId} className="field__error">
            {errors.gender}
          </p>
        ) : null}
      </fieldset>
      <TextField
        id={fieldId(idPrefix, "email")}
        label={FIELD_LABELS.email}
        type="email"
        inputMode="email"
        autoComplete="email"
        value={values.email}
        error={errors.email}
        maxLength={254}
        disabled={disabled}
        onChange={(value) => onChange("email", value)}
      />
      <TextField
        id={fieldId(idPrefix, "amount")}
        label={FIELD_LABELS.amount}
        hint={
          rules
            ? `Entre ${formatARS(rules.minAmount)} y ${formatARS(rules.maxAmount)}, hasta 2 decimales.`
            : "Hasta 2 decimales."
        }
        value={values.amount}
        error={errors.amount}
        inputMode="decimal"
        autoComplete="off"
        maxLength={20}
        disabled={disabled}
        onChange={(value) => onChange("amount", value)}
      />
    </>
  );
}
