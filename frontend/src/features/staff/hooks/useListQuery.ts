import { useCallback, useMemo } from "react";
import { hrefWith, navigate, useLocation } from "@/lib/router";
import { listQueryParams, parseListQuery, type LoanListQuery } from "../listQuery";
import { STAFF_HOME } from "../paths";

/**
 * The list state lives in the URL. A change is a new history entry (back undoes it), except
 * typing in the search box, which replaces the entry instead of adding one per pause.
 */
export function useListQuery(): {
  query: LoanListQuery;
  setQuery: (changes: Partial<LoanListQuery>, options?: { replace?: boolean }) => void;
} {
  const { search } = useLocation();
  const query = useMemo(() => parseListQuery(search), [search]);
  const setQuery = useCallback((changes: Partial<LoanListQuery>, options: { replace?: boolean } = {}) => {
    const next = { ...parseListQuery(window.location.search), ...changes };
    navigate(hrefWith(STAFF_HOME, listQueryParams(next)), options);
  }, []);
  return { query, setQuery };
}
