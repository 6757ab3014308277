/**
 * A modal built on <dialog>.showModal(): focus is trapped by the browser, Escape cancels,
 * the first focus goes to `initialFocus` and, on close, back to the element that opened it.
 */
import { useEffect, useRef, type ReactNode, type RefObject } from "react";

interface ModalProps {
  titleId: string;
  descriptionId?: string;
  onCancel: () => void;
  initialFocus?: RefObject<HTMLElement | null>;
  /** Asked on close whether focus goes back to the opener (default yes). */
  shouldRestoreFocus?: () => boolean;
  children: ReactNode;
  className?: string;
}

export function Modal({
  titleId,
  descriptionId,
  onCancel,
  initialFocus,
  shouldRestoreFocus,
  children,
  className,
}: ModalProps) {
  const dialogRef = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    initialFocus?.current?.focus();
    return () => {
      if (dialog.open) dialog.close();
      if ((shouldRestoreFocus?.() ?? true) && opener?.isConnected) opener.focus();
    };
    // Runs once per opening: the dialog is mounted only while open.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <dialog
      ref={dialogRef}
      className={className ? `dialog ${className}` : "dialog"}
      aria-labelledby={titleId}
      aria-describedby={descriptionId}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      {children}
    </dialog>
  );
}
