import { useEffect, useState } from "react";
import { toApiError, type ApiError } from "@/lib/apiClient";
import type { LoanPage } from "@/types/loan";
import { listLoans } from "../api/loans";
import type { LoanListQuery } from "../listQuery";

type Outcome = { key: string; page: LoanPage | null; error: ApiError | null };

export interface LoanListState {
  /** The page for the current query once it has arrived, else the last page shown (dimmed meanwhile). */
  data: LoanPage | null;
  error: ApiError | null;
  loading: boolean;
}

/**
 * Fetches a page of loan requests whenever the query (or `reloadToken`) changes, aborting
 * the previous request. The last data stays visible while the next page loads.
 */
export function useLoanList(query: LoanListQuery, reloadToken: number): LoanListState {
  const key = JSON.stringify([query, reloadToken]);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [lastPage, setLastPage] = useState<LoanPage | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    const requestQuery = (JSON.parse(key) as [LoanListQuery, number])[0];
    listLoans(requestQuery, controller.signal).then(
      (page) => {
        setOutcome({ key, page, error: null });
        setLastPage(page);
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setOutcome({ key, page: null, error: toApiError(error) });
      },
    );
    return () => controller.abort();
  }, [key]);

  const settled = outcome?.key === key;
  return {
    data: settled ? (outcome.page ?? lastPage) : lastPage,
    error: settled ? outcome.error : null,
    loading: !settled,
  };
}
