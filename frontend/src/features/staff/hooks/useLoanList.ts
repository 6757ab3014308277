import { useEffect, useState } from "react";
import { ApiError, MESSAGES } from "../../../lib/apiClient";
import { listLoans, type LoanListQuery, type LoanPage } from "../api/loans";

type Outcome = { key: string; page: LoanPage | null; error: ApiError | null };

export interface LoanListState {
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
    const requestQuery = JSON.parse(key)[0] as LoanListQuery;
    listLoans(requestQuery, controller.signal).then(
      (page) => {
        setOutcome({ key, page, error: null });
        setLastPage(page);
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const apiError = error instanceof ApiError ? error : new ApiError(0, { __all__: [MESSAGES.unexpected] });
        setOutcome({ key, page: null, error: apiError });
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
