/**
 * The approve / reject / edit / delete flow shared by the list and the detail page: which
 * dialog is open, the API call behind its confirmation, the announcement afterwards, and
 * what happens when the session has expired meanwhile (the typed text is kept as a draft and
 * offered again once staff are back on the same page).
 */
import { useEffect, useRef, useState } from "react";
import type { LoanFormValues } from "@/components/loan-form/validateLoanRequest";
import { errorText, toApiError } from "@/lib/apiClient";
import type { LoanRequest } from "@/types/loan";
import { approveLoan, deleteLoan, getLoan, rejectLoan } from "../api/loans";
import { clearDraft, peekDraft, saveDraft } from "../storage/drafts";

export type LoanAction = "approve" | "reject" | "edit" | "delete";

export interface OpenAction {
  action: LoanAction;
  loan: LoanRequest;
  /** Edit values typed before the session expired. */
  restoredValues?: LoanFormValues;
}

export interface ActionResult {
  action: LoanAction;
  loan: LoanRequest;
  message: string;
}

interface Options {
  onSessionExpired: () => void;
  /** After a successful action; the hook has already announced `message`. */
  onDone: (result: ActionResult) => void;
  /** The server answered 409 (the request changed meanwhile, e.g. decided by someone else): what is shown is stale. */
  onConflict: () => void;
}

const currentHref = () => window.location.pathname + window.location.search;

function doneMessage(action: LoanAction, loan: LoanRequest): string {
  switch (action) {
    case "approve":
      return `Se aprobó la solicitud de ${loan.full_name}.`;
    case "reject":
      return `Se rechazó la solicitud de ${loan.full_name}.`;
    case "delete":
      return `Se eliminó la solicitud de ${loan.full_name}.`;
    case "edit":
      return `Se guardaron los cambios de la solicitud de ${loan.full_name}.`;
  }
}

export function useLoanActions({ onSessionExpired, onDone, onConflict }: Options) {
  const [open, setOpen] = useState<OpenAction | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const [notice, setNotice] = useState("");
  // After approve/reject/delete the button that opened the dialog is gone: the page moves focus itself.
  const restoreFocus = useRef(true);
  const callbacks = useRef({ onSessionExpired, onDone, onConflict });
  useEffect(() => {
    callbacks.current = { onSessionExpired, onDone, onConflict };
  });

  // A draft left on this page when the session expired: reopen its dialog with the typed text.
  useEffect(() => {
    const draft = peekDraft(currentHref());
    if (!draft) return;
    const controller = new AbortController();
    getLoan(draft.loanId, controller.signal).then(
      (loan) => {
        clearDraft();
        if (loan.status !== "pending") {
          setNotice(`La solicitud de ${loan.full_name} ya fue revisada: lo que habías escrito no se aplicó.`);
          return;
        }
        restoreFocus.current = true;
        setReason(draft.action === "reject" ? draft.reason : "");
        setOpen({ action: draft.action, loan, restoredValues: draft.action === "edit" ? draft.values : undefined });
        setNotice("Recuperamos lo que estabas escribiendo cuando venció la sesión.");
      },
      (caught: unknown) => {
        if (controller.signal.aborted) return;
        clearDraft();
        const apiError = toApiError(caught);
        if (apiError.status === 401) callbacks.current.onSessionExpired();
        else setNotice(errorText(apiError));
      },
    );
    return () => controller.abort();
  }, []);

  function start(action: LoanAction, loan: LoanRequest) {
    restoreFocus.current = true;
    setOpen({ action, loan });
    setError(null);
    setReason("");
    setNotice("");
  }

  function cancel() {
    setOpen(null);
    setBusy(false);
  }

  function finish(action: LoanAction, loan: LoanRequest) {
    const message = doneMessage(action, loan);
    restoreFocus.current = action === "edit";
    setOpen(null);
    setBusy(false);
    setReason("");
    setNotice(message);
    callbacks.current.onDone({ action, loan, message });
  }

  function expire(draftFor: { loanId: number; reason?: string; values?: LoanFormValues }) {
    const href = currentHref();
    if (draftFor.values) saveDraft({ href, loanId: draftFor.loanId, action: "edit", values: draftFor.values });
    else if (draftFor.reason?.trim())
      saveDraft({ href, loanId: draftFor.loanId, action: "reject", reason: draftFor.reason });
    callbacks.current.onSessionExpired();
  }

  async function confirm() {
    if (!open || busy || open.action === "edit") return;
    const { action, loan } = open;
    setBusy(true);
    setError(null);
    try {
      if (action === "approve") await approveLoan(loan.id);
      else if (action === "reject") await rejectLoan(loan.id, reason);
      else await deleteLoan(loan.id);
      finish(action, loan);
    } catch (caught) {
      const apiError = toApiError(caught);
      if (apiError.status === 401) {
        expire({ loanId: loan.id, reason: action === "reject" ? reason : undefined });
        return;
      }
      setBusy(false);
      setError(errorText(apiError));
      if (apiError.status === 409) callbacks.current.onConflict();
    }
  }

  return {
    open,
    busy,
    error,
    reason,
    setReason,
    notice,
    setNotice,
    start,
    cancel,
    confirm,
    /** The edit dialog saved `saved`. */
    edited: (saved: LoanRequest) => finish("edit", saved),
    /** The edit dialog met a 409: the page's copy of the request is stale. */
    editConflict: () => callbacks.current.onConflict(),
    /** The edit dialog met a 401 with these values typed. */
    editExpired: (loanId: number, values: LoanFormValues) => expire({ loanId, values }),
    shouldRestoreFocus: () => restoreFocus.current,
  };
}

export type LoanActions = ReturnType<typeof useLoanActions>;
