/**
 * Staff list "/staff": filters, the table, its summary and pagination, with page, page size,
 * sort, status and search in the URL (useListQuery); actions through useLoanActions.
 */
import { useEffect, useRef, useState } from "react";
import { useDocumentTitle } from "@/hooks/useDocumentTitle";
import { useLocation } from "@/lib/router";
import { useListQuery } from "../hooks/useListQuery";
import { useLoanActions } from "../hooks/useLoanActions";
import { useLoanList } from "../hooks/useLoanList";
import { hasFilters, nextOrdering } from "../listQuery";
import { rememberListHref, takeFlash } from "../storage/pageMemory";
import { ListSummary } from "./ListSummary";
import { LoanActionDialogs } from "./LoanActionDialogs";
import { LoanFilters } from "./LoanFilters";
import { LoansTable } from "./LoansTable";
import { Pagination } from "./Pagination";

interface StaffDashboardProps {
  onSessionExpired: () => void;
}

export function StaffDashboard({ onSessionExpired }: StaffDashboardProps) {
  useDocumentTitle("Solicitudes");
  const { query, setQuery } = useListQuery();
  const [reloadToken, setReloadToken] = useState(0);
  const { data, error, loading } = useLoanList(query, reloadToken);
  const titleRef = useRef<HTMLHeadingElement>(null);
  const summaryRef = useRef<HTMLParagraphElement>(null);
  const focusSummaryOnLoad = useRef(false);

  const actions = useLoanActions({
    onSessionExpired,
    onDone: ({ action }) => {
      // Deleting the only row of the last page: go back one page.
      if (action === "delete" && data && data.results.length === 1 && query.page > 1)
        setQuery({ page: query.page - 1 }, { replace: true });
      else setReloadToken((n) => n + 1);
      // The row's button is gone (or changed): continue from the page title.
      setTimeout(() => titleRef.current?.focus(), 0);
    },
    onConflict: () => setReloadToken((n) => n + 1),
  });
  const { setNotice } = actions;

  const { href } = useLocation();
  useEffect(() => rememberListHref(href), [href]);

  // A message left by the detail page (e.g. after deleting a request there).
  useEffect(() => {
    const flash = takeFlash();
    if (flash) setNotice(flash);
  }, [setNotice]);

  useEffect(() => {
    if (error?.status === 401) onSessionExpired();
  }, [error, onSessionExpired]);

  useEffect(() => {
    if (!loading && focusSummaryOnLoad.current) {
      focusSummaryOnLoad.current = false;
      summaryRef.current?.focus();
    }
  }, [loading]);

  function goToPage(page: number) {
    focusSummaryOnLoad.current = true;
    setQuery({ page });
  }

  const results = error ? [] : (data?.results ?? []);
  const showEmpty = !loading && !error && data !== null && data.count === 0;

  return (
    <div className="page page--wide">
      <h1 ref={titleRef} tabIndex={-1}>
        Solicitudes
      </h1>
      <LoanFilters query={query} onChange={setQuery} />

      <p className="dashboard-status" role="status">
        {actions.notice}
      </p>

      {error && error.status !== 401 ? (
        <div className="error-summary" role="alert">
          <p className="message-list">{error.message}</p>
          <button type="button" className="button" onClick={() => setReloadToken((n) => n + 1)}>
            Reintentar
          </button>
        </div>
      ) : null}

      <ListSummary ref={summaryRef} data={error ? null : data} loading={loading} page={query.page} />

      {showEmpty ? (
        <div className="empty-state">
          {hasFilters(query) ? (
            <>
              <p>
                {query.search
                  ? `No hay solicitudes que coincidan con «${query.search}».`
                  : "No hay solicitudes con ese estado."}
              </p>
              <button type="button" className="button" onClick={() => setQuery({ search: "", status: "", page: 1 })}>
                {query.search ? "Limpiar búsqueda" : "Ver todas"}
              </button>
            </>
          ) : (
            <p>Todavía no hay solicitudes.</p>
          )}
        </div>
      ) : null}

      {results.length > 0 && !showEmpty ? (
        <LoansTable
          loans={results}
          ordering={query.ordering}
          onSort={(field) => setQuery({ ordering: nextOrdering(query.ordering, field), page: 1 })}
          onAction={actions.start}
          busy={loading}
        />
      ) : null}

      {data && !error && !showEmpty ? (
        <Pagination page={query.page} numPages={data.num_pages} loading={loading} onPage={goToPage} />
      ) : null}

      <LoanActionDialogs actions={actions} />
    </div>
  );
}
