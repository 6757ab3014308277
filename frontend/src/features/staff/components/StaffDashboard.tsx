/**
 * Staff dashboard: the list of loan requests with sort, status filter, debounced search and
 * pagination, and the approve / reject / edit / delete actions (each confirmed in a dialog).
 */
import { useEffect, useRef, useState } from "react";
import { DEFAULT_PAGE_SIZE, PAGE_SIZE_OPTIONS, SEARCH_DEBOUNCE_MS } from "../../../config/api";
import { ApiError, MESSAGES } from "../../../lib/apiClient";
import { formatARS } from "../../../lib/format";
import { STATUS_LABELS, type LoanRequest, type LoanStatus } from "../../../lib/loanTypes";
import type { StaffUser } from "../api/auth";
import { approveLoan, deleteLoan, getLoan, rejectLoan, type LoanListQuery, type SortField } from "../api/loans";
import { useLoanList } from "../hooks/useLoanList";
import { ConfirmDialog } from "./ConfirmDialog";
import { EditLoanDialog } from "./EditLoanDialog";
import { LoansTable, nextOrdering, type LoanAction } from "./LoansTable";

interface StaffDashboardProps {
  user: StaffUser;
  onLogout: () => Promise<void>;
  onSessionExpired: () => void;
}

type Pending = { action: LoanAction; loan: LoanRequest } | null;

const INITIAL_QUERY: LoanListQuery = { page: 1, pageSize: DEFAULT_PAGE_SIZE, ordering: "-created_at", status: "", search: "" };

export function StaffDashboard({ user, onLogout, onSessionExpired }: StaffDashboardProps) {
  const [query, setQuery] = useState<LoanListQuery>(INITIAL_QUERY);
  const [searchText, setSearchText] = useState("");
  const [reloadToken, setReloadToken] = useState(0);
  const [pending, setPending] = useState<Pending>(null);
  const [actionBusy, setActionBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const [message, setMessage] = useState("");
  const [logoutError, setLogoutError] = useState<string | null>(null);
  const searchTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const restoreFocus = useRef(true);
  const titleRef = useRef<HTMLHeadingElement>(null);

  const shouldRestoreFocus = () => restoreFocus.current;

  const { data, error, loading } = useLoanList(query, reloadToken);

  useEffect(() => () => clearTimeout(searchTimer.current), []);

  useEffect(() => {
    if (error?.status === 401) onSessionExpired();
  }, [error, onSessionExpired]);

  function updateQuery(changes: Partial<LoanListQuery>) {
    setQuery((current) => ({ ...current, page: 1, ...changes }));
  }

  function handleSearchChange(value: string) {
    setSearchText(value);
    clearTimeout(searchTimer.current);
    searchTimer.current = setTimeout(() => {
      setQuery((current) => (current.search === value.trim() ? current : { ...current, search: value.trim(), page: 1 }));
    }, SEARCH_DEBOUNCE_MS);
  }

  function handleSort(field: SortField) {
    setQuery((current) => ({ ...current, ordering: nextOrdering(current.ordering, field), page: 1 }));
  }

  function openAction(action: LoanAction, loan: LoanRequest) {
    setPending({ action, loan });
    setActionError(null);
    setReason("");
    restoreFocus.current = true;
  }

  /** Edit starts from the full record: the list masks the DNI, which is personal data. */
  async function openEdit(loan: LoanRequest) {
    setMessage("");
    try {
      openAction("edit", await getLoan(loan.id));
    } catch (caught) {
      const apiError = caught instanceof ApiError ? caught : new ApiError(0, { __all__: [MESSAGES.unexpected] });
      if (apiError.status === 401) onSessionExpired();
      else setMessage(Object.values(apiError.errors).flat().join(" "));
    }
  }

  function handleRowAction(action: LoanAction, loan: LoanRequest) {
    if (action === "edit") void openEdit(loan);
    else openAction(action, loan);
  }

  function closeAction() {
    setPending(null);
    setActionBusy(false);
  }

  function finishAction(text: string, focusTitle: boolean) {
    restoreFocus.current = !focusTitle;
    setPending(null);
    setActionBusy(false);
    setMessage(text);
    setReloadToken((n) => n + 1);
    if (focusTitle) setTimeout(() => titleRef.current?.focus(), 0);
  }

  async function confirmAction() {
    if (!pending || actionBusy) return;
    const { action, loan } = pending;
    setActionBusy(true);
    setActionError(null);
    try {
      if (action === "approve") {
        await approveLoan(loan.id);
        finishAction(`Se aprobó la solicitud de ${loan.full_name}.`, true);
      } else if (action === "reject") {
        await rejectLoan(loan.id, reason);
        finishAction(`Se rechazó la solicitud de ${loan.full_name}.`, true);
      } else if (action === "delete") {
        await deleteLoan(loan.id);
        // Deleting the only row of the last page: go back one page.
        if (data && data.results.length === 1 && query.page > 1) setQuery((current) => ({ ...current, page: current.page - 1 }));
        finishAction(`Se eliminó la solicitud de ${loan.full_name}.`, true);
      }
    } catch (caught) {
      const apiError = caught instanceof ApiError ? caught : new ApiError(0, { __all__: [MESSAGES.unexpected] });
      if (apiError.status === 401) {
        onSessionExpired();
        return;
      }
      setActionBusy(false);
      setActionError(Object.values(apiError.errors).flat().join(" "));
    }
  }

  async function handleLogout() {
    setLogoutError(null);
    try {
      await onLogout();
    } catch (caught) {
      setLogoutError(caught instanceof ApiError ? caught.message : MESSAGES.unexpected);
    }
  }

  const results = data?.results ?? [];
  const numPages = Math.max(1, data?.num_pages ?? 1);
  const currentPage = data?.page ?? query.page;
  const firstIndex = data && data.count > 0 ? (currentPage - 1) * data.page_size + 1 : 0;
  const lastIndex = data ? firstIndex + results.length - 1 : 0;

  return (
    <div className="page page--wide">
      <div className="dashboard-header">
        <h1 ref={titleRef} tabIndex={-1}>
          Solicitudes
        </h1>
        <div className="dashboard-header__user">
          <span>
            Sesión de <strong>{user.username}</strong>
          </span>
          <button type="button" className="button" onClick={handleLogout}>
            Cerrar sesión
          </button>
        </div>
      </div>
      {logoutError ? (
        <p className="field__error" role="alert">
          {logoutError}
        </p>
      ) : null}

      <form className="filters" role="search" aria-label="Filtrar solicitudes" onSubmit={(event) => event.preventDefault()}>
        <div className="field">
          <label htmlFor="loan-search">Buscar</label>
          <p id="loan-search-hint" className="field__hint">
            Por nombre, DNI o email.
          </p>
          <input id="loan-search" type="search" value={searchText} aria-describedby="loan-search-hint" onChange={(event) => handleSearchChange(event.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="loan-status">Estado</label>
          <select id="loan-status" value={query.status} onChange={(event) => updateQuery({ status: event.target.value as LoanStatus | "" })}>
            <option value="">Todos</option>
            {(Object.keys(STATUS_LABELS) as LoanStatus[]).map((status) => (
              <option key={status} value={status}>
                {STATUS_LABELS[status]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="loan-page-size">Por página</label>
          <select id="loan-page-size" value={query.pageSize} onChange={(event) => updateQuery({ pageSize: Number(event.target.value) })}>
            {PAGE_SIZE_OPTIONS.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </div>
      </form>

      <p role="status" aria-live="polite" className="dashboard-status">
        {message}
      </p>
      <p aria-live="polite" className="dashboard-count">
        {loading && !data
          ? "Cargando solicitudes…"
          : data
            ? data.count === 0
              ? "No hay solicitudes que coincidan."
              : `Mostrando ${firstIndex}–${lastIndex} de ${data.count} solicitudes.`
            : ""}
      </p>
      {error && error.status !== 401 ? (
        <div className="error-summary" role="alert">
          <p>{error.message}</p>
          <button type="button" className="button" onClick={() => setReloadToken((n) => n + 1)}>
            Reintentar
          </button>
        </div>
      ) : null}

      {results.length > 0 ? <LoansTable loans={results} ordering={query.ordering} onSort={handleSort} onAction={handleRowAction} busy={loading} /> : null}

      <nav className="pagination" aria-label="Paginación">
        <button type="button" className="button" disabled={currentPage <= 1 || loading} onClick={() => setQuery((current) => ({ ...current, page: currentPage - 1 }))}>
          Anterior
        </button>
        <span>
          Página {currentPage} de {numPages}
        </span>
        <button type="button" className="button" disabled={currentPage >= numPages || loading} onClick={() => setQuery((current) => ({ ...current, page: currentPage + 1 }))}>
          Siguiente
        </button>
      </nav>

      {pending?.action === "approve" ? (
        <ConfirmDialog
          title="Aprobar solicitud"
          description={
            <p>
              ¿Aprobar la solicitud de <strong>{pending.loan.full_name}</strong> por {formatARS(pending.loan.amount)}?
            </p>
          }
          confirmLabel="Aprobar"
          busy={actionBusy}
          error={actionError}
          onConfirm={confirmAction}
          onCancel={closeAction}
          shouldRestoreFocus={shouldRestoreFocus}
        />
      ) : null}
      {pending?.action === "reject" ? (
        <ConfirmDialog
          title="Rechazar solicitud"
          description={
            <p>
              ¿Rechazar la solicitud de <strong>{pending.loan.full_name}</strong> por {formatARS(pending.loan.amount)}?
            </p>
          }
          confirmLabel="Rechazar"
          tone="danger"
          busy={actionBusy}
          error={actionError}
          onConfirm={confirmAction}
          onCancel={closeAction}
          shouldRestoreFocus={shouldRestoreFocus}
        >
          <div className="field">
            <label htmlFor="reject-reason">Motivo (opcional)</label>
            <textarea id="reject-reason" rows={3} maxLength={500} value={reason} onChange={(event) => setReason(event.target.value)} />
          </div>
        </ConfirmDialog>
      ) : null}
      {pending?.action === "delete" ? (
        <ConfirmDialog
          title="Eliminar solicitud"
          description={
            <p>
              ¿Eliminar la solicitud de <strong>{pending.loan.full_name}</strong>? Esta acción no se puede deshacer.
            </p>
          }
          confirmLabel="Eliminar"
          tone="danger"
          busy={actionBusy}
          error={actionError}
          onConfirm={confirmAction}
          onCancel={closeAction}
          shouldRestoreFocus={shouldRestoreFocus}
        />
      ) : null}
      {pending?.action === "edit" ? (
        <EditLoanDialog
          loan={pending.loan}
          onCancel={closeAction}
          onUnauthorized={onSessionExpired}
          onSaved={(saved) => finishAction(`Se guardaron los cambios de la solicitud de ${saved.full_name}.`, false)}
        />
      ) : null}
    </div>
  );
}
