import { useEffect, useRef } from "react";
import { formatARS, formatDateTime } from "../../../lib/format";
import type { LoanRequest, LoanStatus } from "../../../lib/loanTypes";

const TITLES: Record<LoanStatus, string> = {
  approved: "¡Tu solicitud fue aprobada!",
  rejected: "Tu solicitud fue rechazada",
  pending: "Tu solicitud está en revisión",
};

const EXPLANATIONS: Record<LoanStatus, string> = {
  approved: "Te vamos a escribir por email con los próximos pasos para recibir el dinero.",
  rejected: "Por ahora no podemos otorgarte este préstamo.",
  pending: "Un analista va a revisar tu solicitud y te vamos a avisar por email.",
};

export function decisionAnnouncement(loan: LoanRequest): string {
  return TITLES[loan.status];
}

interface DecisionResultProps {
  loan: LoanRequest;
  onNewRequest: () => void;
}

/** The decision on a submitted request; its heading takes focus when shown. */
export function DecisionResult({ loan, onNewRequest }: DecisionResultProps) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  return (
    <section className={`decision decision--${loan.status}`} aria-labelledby="decision-title" data-status={loan.status}>
      <h2 id="decision-title" ref={headingRef} tabIndex={-1}>
        {TITLES[loan.status]}
      </h2>
      <p>{EXPLANATIONS[loan.status]}</p>
      <dl className="decision__details">
        <div>
          <dt>Monto solicitado</dt>
          <dd>{formatARS(loan.amount)}</dd>
        </div>
        <div>
          <dt>Número de solicitud</dt>
          <dd>{loan.id}</dd>
        </div>
        <div>
          <dt>Fecha</dt>
          <dd>{formatDateTime(loan.created_at)}</dd>
        </div>
        {loan.decision_reason ? (
          <div>
            <dt>Motivo</dt>
            <dd>{loan.decision_reason}</dd>
          </div>
        ) : null}
      </dl>
      <button type="button" className="button button--primary" onClick={onNewRequest}>
        Hacer una nueva solicitud
      </button>
    </section>
  );
}
