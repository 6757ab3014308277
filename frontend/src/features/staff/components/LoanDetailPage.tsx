/**
 * "/staff/loans/{id}": every field of one request (the DNI whole), its decision and reason,
 * the actions its status allows and its audit history ("#historial" scrolls to it).
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { useDocumentTitle } from "@/hooks/useDocumentTitle";
import { useKeyedRequest } from "@/hooks/useKeyedRequest";
import { formatARS, formatDateTime } from "@/lib/format";
import { FIELD_LABELS, GENDER_LABELS, isPending } from "@/lib/loanLabels";
import { Link, navigate } from "@/lib/router";
import { getLoan } from "../api/loans";
import { useLoanActions, type LoanAction } from "../hooks/useLoanActions";
import { lastListHref, setFlash } from "../storage/pageMemory";
import { LoanActionDialogs } from "./LoanActionDialogs";
import { LoanHistory } from "./LoanHistory";
import { StatusBadge } from "./StatusBadge";

interface LoanDetailPageProps {
  id: number;
  onSessionExpired: () => void;
}

export function LoanDetailPage({ id, onSessionExpired }: LoanDetailPageProps) {
  useDocumentTitle(`Solicitud ${id}`);
  const [reloadToken, setReloadToken] = useState(0);
  const { data: loan, error } = useKeyedRequest(`${id}:${reloadToken}`, (signal) => getLoan(id, signal));
  const titleRef = useRef<HTMLHeadingElement>(null);
  const historyTitleRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (error?.status === 401) onSessionExpired();
  }, [error, onSessionExpired]);

  const actions = useLoanActions({
    onSessionExpired,
    onDone: ({ action, message }) => {
      if (action === "delete") {
        setFlash(message);
        navigate(lastListHref());
        return;
      }
      setReloadToken((n) => n + 1);
      setTimeout(() => titleRef.current?.focus(), 0);
    },
    onConflict: () => setReloadToken((n) => n + 1),
  });

  // "Historial" in the list links here with #historial: bring the history into view once shown.
  const showHistoryIfAsked = useCallback(() => {
    if (window.location.hash !== "#historial") return;
    historyTitleRef.current?.focus();
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }, []);

  const back = (
    <p className="back-link">
      <Link to={lastListHref()}>← Volver a las solicitudes</Link>
    </p>
  );

  if (error) {
    const notFound = error.status === 404;
    return (
      <div className="page page--detail">
        {back}
        <h1 ref={titleRef} tabIndex={-1}>
          {notFound ? "Solicitud no encontrada" : "No pudimos cargar la solicitud"}
        </h1>
        <p role="alert">
          {notFound ? `No encontramos la solicitud N.º ${id}: puede que se haya eliminado.` : error.message}
        </p>
        {notFound ? null : (
          <button type="button" className="button" onClick={() => setReloadToken((n) => n + 1)}>
            Reintentar
          </button>
        )}
      </div>
    );
  }

  if (!loan) {
    return (
      <div className="page page--detail">
        {back}
        <p role="status">Cargando la solicitud…</p>
      </div>
    );
  }

  const start = (action: LoanAction) => actions.start(action, loan);
  return (
    <div className="page page--detail">
      {back}
      <div className="detail-header">
        <div className="detail-header__title">
          <h1 ref={titleRef} tabIndex={-1}>
            Solicitud N.º {loan.id}
          </h1>
          <StatusBadge status={loan.status} />
        </div>
        <p className="detail-header__name long-text">{loan.full_name}</p>
      </div>

      <p className="dashboard-status" role="status">
        {actions.notice}
      </p>

      {isPending(loan) ? (
        <div className="detail-actions" role="group" aria-label="Acciones">
          <button type="button" className="button button--primary" onClick={() => start("approve")}>
            Aprobar
          </button>
          <button type="button" className="button button--danger" onClick={() => start("reject")}>
            Rechazar
          </button>
          <button type="button" className="button" onClick={() => start("edit")}>
            Editar
          </button>
          <button type="button" className="button button--danger" onClick={() => start("delete")}>
            Eliminar
          </button>
        </div>
      ) : (
        <p className="detail-readonly">Esta solicitud ya fue decidida: sus datos no se pueden modificar.</p>
      )}

      <div className="detail-grid">
        <section className="card" aria-labelledby="detail-data-title">
          <h2 id="detail-data-title">Datos de la solicitud</h2>
          <dl className="details">
            <Item term={FIELD_LABELS.full_name} value={loan.full_name} />
            <Item term={FIELD_LABELS.dni} value={loan.dni} />
            <Item term={FIELD_LABELS.gender} value={GENDER_LABELS[loan.gender]} />
            <Item term={FIELD_LABELS.email} value={loan.email} />
            <Item term="Monto" value={formatARS(loan.amount)} />
            <Item term="Creada" value={formatDateTime(loan.created_at)} />
            <Item term="Última modificación" value={formatDateTime(loan.updated_at)} />
          </dl>
        </section>
        <section className="card" aria-labelledby="detail-decision-title">
          <h2 id="detail-decision-title">Decisión</h2>
          <dl className="details">
            <div>
              <dt>Estado</dt>
              <dd>
                <StatusBadge status={loan.status} />
              </dd>
            </div>
            <Item term="Motivo" value={loan.decision_reason || "—"} />
            <Item
              term="Revisada por"
              value={loan.reviewed_by ?? (isPending(loan) ? "Pendiente de revisión" : "Decisión automática")}
            />
            <Item term="Fecha de revisión" value={formatDateTime(loan.reviewed_at)} />
          </dl>
        </section>
      </div>

      <section className="card detail-history" aria-labelledby="historial">
        <h2 id="historial" ref={historyTitleRef} tabIndex={-1}>
          Historial
        </h2>
        <LoanHistory
          loanId={loan.id}
          reloadToken={reloadToken}
          onSessionExpired={onSessionExpired}
          onLoaded={showHistoryIfAsked}
        />
      </section>

      <LoanActionDialogs actions={actions} />
    </div>
  );
}

function Item({ term, value }: { term: string; value: string }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd className="long-text">{value}</dd>
    </div>
  );
}
