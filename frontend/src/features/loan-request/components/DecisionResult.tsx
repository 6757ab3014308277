import { useEffect, useRef } from "react";
import { formatARS, formatDateTime } from "@/lib/format";
import type { LoanDecision, LoanStatus } from "@/types/loan";

const HEADINGS: Record<LoanStatus, string> = {
  approved: "¡Tu solicitud fue aprobada!",
  rejected: "Tu solicitud fue rechazada",
  pending: "Tu solicitud está en revisión",
};

const TAB_TITLES: Record<LoanStatus, string> = {
  approved: "Solicitud aprobada",
  rejected: "Solicitud rechazada",
  pending: "Solicitud en revisión",
};

/** Shown when the server sends no applicant-facing `message` (a backend older than that contract). */
const FALLBACK_MESSAGES: Record<LoanStatus, string> = {
  approved: "Te vamos a escribir por correo electrónico con los próximos pasos para recibir el dinero.",
  rejected: "Por ahora no podemos otorgarte este préstamo.",
  pending: "Un analista va a revisar tu solicitud y te vamos a avisar por correo electrónico.",
};

export function decisionAnnouncement(decision: LoanDecision): string {
  return HEADINGS[decision.status];
}

/** The tab title while the decision is shown. */
export function decisionTabTitle(decision: LoanDecision): string {
  return TAB_TITLES[decision.status];
}

function StatusIcon({ status }: { status: LoanStatus }) {
  const paths: Record<LoanStatus, string> = {
    approved: "M7 12.5l3.5 3.5L17 9",
    rejected: "M8 8l8 8M16 8l-8 8",
    pending: "M12 7v5l3 2",
  };
  return (
    <svg className="decision__icon" viewBox="0 0 24 24" width="48" height="48" aria-hidden="true" focusable="false">
      <circle cx="12" cy="12" r="10.5" fill="none" stroke="currentColor" strokeWidth="2" />
      <path
        d={paths[status]}
        fill="none"
        stroke="currentColor"
        strokeWidth="2.25"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

interface DecisionResultProps {
  decision: LoanDecision;
  /** Starts an empty form; not offered after a rejection (a new request would be refused too). */
  onNewRequest: () => void;
}

/** The decision on a submitted request, as the page's main heading; it takes focus when shown. */
export function DecisionResult({ decision, onNewRequest }: DecisionResultProps) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  return (
    <section
      className={`decision decision--${decision.status}`}
      aria-labelledby="decision-title"
      data-status={decision.status}
    >
      <div className="decision__banner">
        <StatusIcon status={decision.status} />
        <h1 id="decision-title" ref={headingRef} tabIndex={-1}>
          {HEADINGS[decision.status]}
        </h1>
      </div>
      <p className="decision__message">{decision.message?.trim() || FALLBACK_MESSAGES[decision.status]}</p>
      <dl className="decision__details">
        <div>
          <dt>Número de solicitud</dt>
          <dd className="decision__number">{decision.id}</dd>
        </div>
        <div>
          <dt>Monto solicitado</dt>
          <dd>{formatARS(decision.amount)}</dd>
        </div>
        <div>
          <dt>Fecha</dt>
          <dd>{formatDateTime(decision.created_at)}</dd>
        </div>
      </dl>
      <p className="decision__note">Guardá el número de solicitud por si necesitás hacer una consulta.</p>
      {decision.status !== "rejected" ? (
        <button type="button" className="button" onClick={onNewRequest}>
          Hacer una nueva solicitud
        </button>
      ) : null}
    </section>
  );
}
