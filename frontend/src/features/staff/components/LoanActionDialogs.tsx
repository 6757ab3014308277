import { ConfirmDialog } from "@/components/ConfirmDialog";
import { formatARS } from "@/lib/format";
import type { LoanActions } from "../hooks/useLoanActions";
import { EditLoanDialog } from "./EditLoanDialog";

/** The dialog of the action in progress (approve, reject, delete: confirm; edit: the form). */
export function LoanActionDialogs({ actions }: { actions: LoanActions }) {
  const { open } = actions;
  if (!open) return null;
  const { loan } = open;
  const common = {
    busy: actions.busy,
    error: actions.error,
    onConfirm: () => void actions.confirm(),
    onCancel: actions.cancel,
    shouldRestoreFocus: actions.shouldRestoreFocus,
  };
  const who = (
    <>
      <strong className="long-text">{loan.full_name}</strong> por {formatARS(loan.amount)}
    </>
  );

  switch (open.action) {
    case "approve":
      return (
        <ConfirmDialog
          {...common}
          title="Aprobar solicitud"
          description={<p>¿Aprobar la solicitud de {who}?</p>}
          confirmLabel="Aprobar"
          busyLabel="Aprobando…"
        />
      );
    case "reject":
      return (
        <ConfirmDialog
          {...common}
          title="Rechazar solicitud"
          description={<p>¿Rechazar la solicitud de {who}?</p>}
          confirmLabel="Rechazar"
          busyLabel="Rechazando…"
          tone="danger"
        >
          <div className="field">
            <label htmlFor="reject-reason">Motivo (opcional)</label>
            <textarea
              id="reject-reason"
              rows={3}
              maxLength={500}
              value={actions.reason}
              onChange={(event) => actions.setReason(event.target.value)}
            />
          </div>
        </ConfirmDialog>
      );
    case "delete":
      return (
        <ConfirmDialog
          {...common}
          title="Eliminar solicitud"
          description={
            <p>
              ¿Eliminar la solicitud de <strong className="long-text">{loan.full_name}</strong>? Deja de verse en la
              lista; queda registrada en el historial.
            </p>
          }
          confirmLabel="Eliminar"
          busyLabel="Eliminando…"
          tone="danger"
        />
      );
    case "edit":
      return (
        <EditLoanDialog
          loan={loan}
          initialValues={open.restoredValues}
          onCancel={actions.cancel}
          onSaved={actions.edited}
          onConflict={actions.editConflict}
          onUnauthorized={(values) => actions.editExpired(loan.id, values)}
        />
      );
  }
}
