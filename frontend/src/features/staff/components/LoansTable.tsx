import { formatARS, formatDateTime } from "../../../lib/format";
import { STATUS_LABELS, type LoanRequest } from "../../../lib/loanTypes";
import type { Ordering, SortField } from "../api/loans";

export type LoanAction = "approve" | "reject" | "edit" | "delete";

interface Column {
  field: SortField | null;
  label: string;
}

const COLUMNS: Column[] = [
  { field: "full_name", label: "Nombre" },
  { field: "dni", label: "DNI" },
  { field: null, label: "Email" },
  { field: "amount", label: "Monto" },
  { field: "status", label: "Estado" },
  { field: "created_at", label: "Fecha" },
];

/** Clicking a header sorts ascending; clicking the sorted column again flips the direction. */
export function nextOrdering(current: Ordering, field: SortField): Ordering {
  if (current === field) return `-${field}`;
  return field;
}

function ariaSort(ordering: Ordering, field: SortField): "ascending" | "descending" | undefined {
  if (ordering === field) return "ascending";
  if (ordering === `-${field}`) return "descending";
  return undefined;
}

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
        <caption>Solicitudes de préstamo</caption>
        <thead>
          <tr>
            {COLUMNS.map((column) => {
              if (!column.field) {
                return (
                  <th key={column.label} scope="col">
                    {column.label}
                  </th>
                );
              }
              const field = column.field;
              const sort = ariaSort(ordering, field);
              return (
                <th key={field} scope="col" aria-sort={sort ?? "none"}>
                  <button type="button" className="sort-button" onClick={() => onSort(field)}>
                    {column.label}
                    <span aria-hidden="true" className="sort-button__icon">
                      {sort === "ascending" ? "▲" : sort === "descending" ? "▼" : "↕"}
                    </span>
                  </button>
                </th>
              );
            })}
            <th scope="col">Acciones</th>
          </tr>
        </thead>
        <tbody>
          {loans.map((loan) => (
            <tr key={loan.id}>
              <th scope="row">{loan.full_name}</th>
              <td>{loan.dni}</td>
              <td className="cell--email">{loan.email}</td>
              <td className="cell--number">{formatARS(loan.amount)}</td>
              <td>
                <span className={`badge badge--${loan.status}`}>{STATUS_LABELS[loan.status]}</span>
                {loan.decision_reason ? <span className="cell__note">{loan.decision_reason}</span> : null}
              </td>
              <td>
                <time dateTime={loan.created_at}>{formatDateTime(loan.created_at)}</time>
              </td>
              <td>
                <div className="row-actions">
                  {loan.status !== "approved" ? (
                    <button type="button" className="button button--small" aria-label={`Aprobar solicitud de ${loan.full_name}`} onClick={() => onAction("approve", loan)}>
                      Aprobar
                    </button>
                  ) : null}
                  {loan.status !== "rejected" ? (
                    <button type="button" className="button button--small" aria-label={`Rechazar solicitud de ${loan.full_name}`} onClick={() => onAction("reject", loan)}>
                      Rechazar
                    </button>
                  ) : null}
                  <button type="button" className="button button--small" aria-label={`Editar solicitud de ${loan.full_name}`} onClick={() => onAction("edit", loan)}>
                    Editar
                  </button>
                  <button
                    type="button"
                    className="button button--small button--danger"
                    aria-label={`Eliminar solicitud de ${loan.full_name}`}
                    onClick={() => onAction("delete", loan)}
                  >
                    Eliminar
                  </button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
