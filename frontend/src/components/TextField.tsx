/**
 * A labelled text input with an optional hint and error, tied to it with aria-describedby and
 * aria-invalid: the one field markup of the loan form, the edit dialog and the staff login.
 */
import type { ReactNode, Ref } from "react";

interface TextFieldProps {
  id: string;
  label: string;
  value: string;
  error?: string;
  hint?: ReactNode;
  onChange: (value: string) => void;
  /** The form field name; defaults to `id`. */
  name?: string;
  type?: "text" | "email" | "password";
  inputMode?: "text" | "numeric" | "decimal" | "email";
  autoComplete?: string;
  maxLength?: number;
  disabled?: boolean;
  inputRef?: Ref<HTMLInputElement>;
}

export function TextField({
  id,
  label,
  value,
  error,
  hint,
  onChange,
  name = id,
  type = "text",
  inputMode,
  autoComplete,
  maxLength,
  disabled,
  inputRef,
}: TextFieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={error ? "field field--invalid" : "field"}>
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      ) : null}
      <input
        ref={inputRef}
        id={id}
        name={name}
        type={type}
        inputMode={inputMode}
        autoComplete={autoComplete}
        maxLength={maxLength}
        value={value}
        disabled={disabled}
        required
        aria-required="true"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        onChange={(event) => onChange(event.target.value)}
      />
      {error ? (
        <p id={errorId} className="field__error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
