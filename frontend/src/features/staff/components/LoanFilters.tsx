import { useEffect, useRef, useState } from "react";
import { PAGE_SIZE_OPTIONS, SEARCH_DEBOUNCE_MS } from "@/config/api";
import { STATUS_LABELS } from "@/lib/loanLabels";
import type { LoanStatus } from "@/types/loan";
import type { LoanListQuery, Ordering } from "../listQuery";

/** Sort choices for narrow screens, where the table headers are not shown. */
const ORDERING_OPTIONS: ReadonlyArray<{ value: Ordering; label: string }> = [
  { value: "-created_at", label: "Más recientes primero" },
  { value: "created_at", label: "Más antiguas primero" },
  { value: "-amount", label: "Mayor monto primero" },
  { value: "amount", label: "Menor monto primero" },
  { value: "full_name", label: "Nombre (A–Z)" },
  { value: "-full_name", label: "Nombre (Z–A)" },
  { value: "status", label: "Estado (A–Z)" },
  { value: "-status", label: "Estado (Z–A)" },
  { value: "dni", label: "DNI (menor primero)" },
  { value: "-dni", label: "DNI (mayor primero)" },
];

interface LoanFiltersProps {
  query: LoanListQuery;
  onChange: (changes: Partial<LoanListQuery>, options?: { replace?: boolean }) => void;
}

/** Search (debounced), status, page size and, on narrow screens, sort order. Every change goes back to page 1. */
export function LoanFilters({ query, onChange }: LoanFiltersProps) {
  const [text, setText] = useState(query.search);
  const [shownSearch, setShownSearch] = useState(query.search);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  // The URL changed from elsewhere (back/forward, "Limpiar búsqueda"): show its search.
  if (query.search !== shownSearch) {
    setShownSearch(query.search);
    if (text.trim() !== query.search) setText(query.search);
  }

  useEffect(() => () => clearTimeout(timer.current), []);

  function applySearch(value: string) {
    clearTimeout(timer.current);
    if (value.trim() !== query.search) onChange({ search: value.trim(), page: 1 }, { replace: true });
  }

  function handleSearchChange(value: string) {
    setText(value);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => applySearch(value), SEARCH_DEBOUNCE_MS);
  }

  return (
    <form
      className="filters"
      role="search"
      aria-label="Filtrar solicitudes"
      onSubmit={(event) => {
        event.preventDefault();
        applySearch(text);
      }}
    >
      <div className="field filters__search">
        <label htmlFor="loan-search">Buscar</label>
        <input
          id="loan-search"
          type="search"
          value={text}
          placeholder="Nombre, DNI o correo electrónico"
          aria-describedby="loan-search-hint"
          onChange={(event) => handleSearchChange(event.target.value)}
        />
        <p id="loan-search-hint" className="visually-hidden">
          Busca por nombre, DNI o correo electrónico mientras escribís.
        </p>
      </div>
      <div className="field">
        <label htmlFor="loan-status">Estado</label>
        <select
          id="loan-status"
          value={query.status}
          onChange={(event) => onChange({ status: event.target.value as LoanStatus | "", page: 1 })}
        >
          <option value="">Todos</option>
          {(Object.keys(STATUS_LABELS) as LoanStatus[]).map((status) => (
            <option key={status} value={status}>
              {STATUS_LABELS[status]}
            </option>
          ))}
        </select>
      </div>
      <div className="field only-narrow">
        <label htmlFor="loan-ordering">Ordenar por</label>
        <select
          id="loan-ordering"
          value={query.ordering}
          onChange={(event) => onChange({ ordering: event.target.value as Ordering, page: 1 })}
        >
          {ORDERING_OPTIONS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="loan-page-size">Por página</label>
        <select
          id="loan-page-size"
          value={query.pageSize}
          onChange={(event) => onChange({ pageSize: Number(event.target.value), page: 1 })}
        >
          {PAGE_SIZE_OPTIONS.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </div>
    </form>
  );
}
