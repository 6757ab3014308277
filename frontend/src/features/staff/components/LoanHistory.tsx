/**
 * The audit trail of a request (GET /api/loans/{id}/history/, oldest first): who did what and
 * when, the fields that changed (personal data comes masked) and the reason of a decision.
 */
import { useEffect } from "react";
import { useKeyedRequest } from "@/hooks/useKeyedRequest";
import { formatARS, formatDateTime } from "@/lib/format";
import { FIELD_LABELS, GENDER_LABELS, HISTORY_ACTION_LABELS, STATUS_LABELS, type LoanField } from "@/lib/loanLabels";
import type { Gender, LoanStatus } from "@/types/loan";
import { getLoanHistory } from "../api/loans";

const EXTRA_LABELS: Record<string, string> = { status: "Estado", decision_reason: "Motivo" };

function fieldLabel(field: string): string {
  return FIELD_LABELS[field as LoanField] ?? EXTRA_LABELS[field] ?? field;
}

/** A changed value as people read it: amounts in pesos, codes as their labels, nothing as "—". */
export function formatChangeValue(field: string, value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (field === "amount" && (typeof value === "string" || typeof value === "number")) return formatARS(value);
  if (field === "gender" && typeof value === "string") return GENDER_LABELS[value as Gender] ?? value;
  if (field === "status" && typeof value === "string") return STATUS_LABELS[value as LoanStatus] ?? value;
  return typeof value === "string" ? value : JSON.stringify(value);
}

interface LoanHistoryProps {
  loanId: number;
  /** Changes after an action, so the list is read again. */
  reloadToken: number;
  onSessionExpired: () => void;
  /** Called once the entries are shown (to scroll to them when asked for). */
  onLoaded?: () => void;
}

export function LoanHistory({ loanId, reloadToken, onSessionExpired, onLoaded }: LoanHistoryProps) {
  const { data, error, loading } = useKeyedRequest(`${loanId}:${reloadToken}`, (signal) =>
    getLoanHistory(loanId, signal),
  );

  useEffect(() => {
    if (error?.status === 401) onSessionExpired();
  }, [error, onSessionExpired]);

  useEffect(() => {
    if (!loading) onLoaded?.();
  }, [loading, onLoaded]);

  if (error?.status === 404) return <p className="muted">El historial de esta solicitud no está disponible.</p>;
  if (error) {
    return (
      <p className="field__error" role="alert">
        No pudimos cargar el historial. {error.message}
      </p>
    );
  }
  if (!data) return <p role="status">Cargando el historial…</p>;
  if (data.results.length === 0) return <p>Todavía no hay movimientos.</p>;
  return (
    <ol className="history" aria-busy={loading}>
      {data.results.map((entry) => (
        <li key={entry.id} className={`history__entry history__entry--${entry.action}`}>
          <p className="history__head">
            <strong>{HISTORY_ACTION_LABELS[entry.action] ?? entry.action}</strong>
            <span className="history__meta">
              <time dateTime={entry.at}>{formatDateTime(entry.at)}</time> · {entry.actor ?? "Sistema"}
            </span>
          </p>
          {Object.keys(entry.changes).length > 0 ? (
            <ul className="history__changes">
              {Object.entries(entry.changes).map(([field, change]) => (
                <li key={field}>
                  {fieldLabel(field)}: <span className="long-text">{formatChangeValue(field, change.from)}</span> →{" "}
                  <span className="long-text">{formatChangeValue(field, change.to)}</span>
                </li>
              ))}
            </ul>
          ) : null}
          {entry.reason ? <p className="history__reason long-text">Motivo: {entry.reason}</p> : null}
        </li>
      ))}
    </ol>
  );
}
