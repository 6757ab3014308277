import { forwardRef } from "react";
import type { LoanPage } from "@/types/loan";

interface ListSummaryProps {
  data: LoanPage | null;
  loading: boolean;
  /** The page being shown or loaded (from the URL). */
  page: number;
}

/** "Mostrando 21–40 de 45 solicitudes.", or what is loading; never a stale count. */
export function summaryText({ data, loading, page }: ListSummaryProps): string {
  if (loading) return data ? `Cargando la página ${page}…` : "Cargando solicitudes…";
  if (!data || data.count === 0) return "";
  if (data.count === 1) return "1 solicitud.";
  if (data.num_pages <= 1) return `${data.count} solicitudes.`;
  const first = (data.page - 1) * data.page_size + 1;
  const last = first + data.results.length - 1;
  return `Mostrando ${first}–${last} de ${data.count} solicitudes.`;
}

/** Takes focus after a page change, so the new page is read from its top (and scrolled into view). */
export const ListSummary = forwardRef<HTMLParagraphElement, ListSummaryProps>(function ListSummary(props, ref) {
  return (
    <p ref={ref} tabIndex={-1} className="list-summary" aria-live="polite">
      {summaryText(props)}
    </p>
  );
});
