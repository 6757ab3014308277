import { useRef, type FormEvent, type ReactNode } from "react";
import { Modal } from "./Modal";

interface ConfirmDialogProps {
  title: string;
  description: ReactNode;
  confirmLabel: string;
  /** Shown on the confirm button while the action runs, e.g. "Aprobando…". */
  busyLabel: string;
  tone?: "primary" | "danger";
  busy: boolean;
  error: string | null;
  onConfirm: () => void;
  onCancel: () => void;
  shouldRestoreFocus?: () => boolean;
  /** Extra content (e.g. the optional rejection reason). */
  children?: ReactNode;
}

/** Confirmation for approve / reject / delete. Focus starts on "Cancelar", the safe choice. */
export function ConfirmDialog({
  title,
  description,
  confirmLabel,
  busyLabel,
  tone = "primary",
  busy,
  error,
  onConfirm,
  onCancel,
  shouldRestoreFocus,
  children,
}: ConfirmDialogProps) {
  const cancelRef = useRef<HTMLButtonElement>(null);

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!busy) onConfirm();
  }

  return (
    <Modal
      titleId="confirm-title"
      descriptionId="confirm-description"
      onCancel={onCancel}
      initialFocus={cancelRef}
      shouldRestoreFocus={shouldRestoreFocus}
    >
      <form onSubmit={handleSubmit} className="dialog__body" aria-busy={busy}>
        <h2 id="confirm-title">{title}</h2>
        <div id="confirm-description">{description}</div>
        {children}
        {error ? (
          <p className="field__error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="dialog__actions">
          <button ref={cancelRef} type="button" className="button" onClick={onCancel}>
            Cancelar
          </button>
          <button
            type="submit"
            className={tone === "danger" ? "button button--danger" : "button button--primary"}
            aria-disabled={busy}
          >
            {busy ? busyLabel : confirmLabel}
          </button>
        </div>
      </form>
    </Modal>
  );
}
