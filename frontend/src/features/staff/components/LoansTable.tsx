/**
 * The list of requests: a dense table on wide screens (one line per row, long values cut with
 * an ellipsis and shown whole on hover and in the detail page), a stack of cards on tablets
 * and phones (index.css). Each row offers only the actions its status allows.
 */
import { formatARS, formatDateTime } from "@/lib/format";
import { isPending } from "@/lib/loanLabels";
import { Link } from "@/lib/router";
import type { LoanRequest } from "@/types/loan";
import type { LoanAction } from "../hooks/useLoanActions";
import type { Ordering, SortField } from "../listQuery";
import { detailHref } from "../paths";
import { StatusBadge } from "./StatusBadge";

interface Column {
  key: string;
  label: string;
  field?: SortField;
  numeric?: boolean;
}

const COLUMNS: Column[] = [
  { key: "name", label: "Nombre", field: "full_name" },
  { key: "dni", label: "DNI", field: "dni" },
  { key: "email", label: "Correo electrónico" },
  { key: "amount", label: "Monto", field: "amount", numeric: true },
  { key: "status", label: "Estado", field: "status" },
  { key: "date", label: "Fecha", field: "created_at" },
  { key: "actions", label: "Acciones" },
];

function ariaSort(ordering: Ordering, field: SortField): "ascending" | "descending" | "none" {
  if (ordering === field) return "ascending";
  if (ordering === `-${field}`) return "descending";
  return "none";
}

const SORT_ICONS = { ascending: "▲", descending: "▼", none: "↕" } as const;

interface LoansTableProps {
  loans: LoanRequest[];
  ordering: Ordering;
  onSort: (field: SortField) => void;
  onAction: (action: LoanAction, loan: LoanRequest) => void;
  busy: boolean;
}

export function LoansTable({ loans, ordering, onSort, onAction, busy }: LoansTableProps) {
  return (
    <div className="table-wrap">
      <table className="loans-table" aria-busy={busy}>
        <caption className="visually-hidden">Solicitudes de préstamo</caption>
        <colgroup>
          {COLUMNS.map((column) => (
            <col key={column.key} className={`col--${column.key}`} />
          ))}
        </colgroup>
        <thead>
          <tr>
            {COLUMNS.map((column) => {
              const className = column.numeric ? "cell--number" : undefined;
              if (!column.field) {
                return (
                  <th key={column.key} scope="col" className={className}>
                    <span className="header-label">{column.label}</span>
                  </th>
                );
              }
              const field = column.field;
              const sort = ariaSort(ordering, field);
              return (
                <th key={column.key} scope="col" className={className} aria-sort={sort}>
                  <button type="button" className="sort-button header-label" onClick={() => onSort(field)}>
                    {column.label}
                    <span aria-hidden="true" className="sort-button__icon">
                      {SORT_ICONS[sort]}
                    </span>
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {loans.map((loan) => (
            <tr key={loan.id}>
              <th scope="row" className="cell--name" title={loan.full_name}>
                {loan.full_name}
              </th>
              <td className="cell--dni" data-label="DNI">
                {loan.dni}
              </td>
              <td className="cell--email" data-label="Correo" title={loan.email}>
                {loan.email}
              </td>
              <td className="cell--number cell--amount" data-label="Monto">
                {formatARS(loan.amount)}
              </td>
              <td className="cell--status">
                <StatusBadge status={loan.status} />
              </td>
              <td className="cell--date" data-label="Fecha">
                <time dateTime={loan.created_at}>{formatDateTime(loan.created_at)}</time>
              </td>
              <td className="cell--actions">
                <RowActions loan={loan} onAction={onAction} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Pending: decide or open; decided (read-only): open, or go straight to its history. */
function RowActions({ loan, onAction }: { loan: LoanRequest; onAction: LoansTableProps["onAction"] }) {
  const who = `solicitud de ${loan.full_name}`;
  return (
    <div className="row-actions">
      {isPending(loan) ? (
        <>
          <button
            type="button"
            className="button button--small"
            aria-label={`Aprobar ${who}`}
            onClick={() => onAction("approve", loan)}
          >
            Aprobar
          </button>
          <button
            type="button"
            className="button button--small button--danger"
            aria-label={`Rechazar ${who}`}
            onClick={() => onAction("reject", loan)}
          >
            Rechazar
          </button>
        </>
      ) : null}
      <Link to={detailHref(loan.id)} className="button button--small" aria-label={`Ver ${who}`}>
        Ver
      </Link>
      {!isPending(loan) ? (
        <Link
          to={detailHref(loan.id, "historial")}
          className="button button--small"
          aria-label={`Historial de la ${who}`}
        >
          Historial
        </Link>
      ) : null}
    </div>
  );
}
