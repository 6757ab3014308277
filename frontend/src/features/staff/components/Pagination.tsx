interface PaginationProps {
  page: number;
  numPages: number;
  loading: boolean;
  onPage: (page: number) => void;
}

/** Anterior / Siguiente from the page in the URL, so a failed load never repeats the same page. */
export function Pagination({ page, numPages, loading, onPage }: PaginationProps) {
  if (numPages <= 1 && page <= 1) return null;
  return (
    <nav className="pagination" aria-label="Paginación">
      <button type="button" className="button" disabled={page <= 1 || loading} onClick={() => onPage(page - 1)}>
        Anterior
      </button>
      <span>
        Página {page} de {Math.max(page, numPages)}
      </span>
      <button type="button" className="button" disabled={page >= numPages || loading} onClick={() => onPage(page + 1)}>
        Siguiente
      </button>
    </nav>
  );
}
