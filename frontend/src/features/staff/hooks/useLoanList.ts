import { useKeyedRequest, type KeyedRequest } from "@/hooks/useKeyedRequest";
import type { LoanPage } from "@/types/loan";
import { listLoans } from "../api/loans";
import type { LoanListQuery } from "../listQuery";

/** A page of loan requests for `query`, read again when `reloadToken` changes (after an action). */
export function useLoanList(query: LoanListQuery, reloadToken: number): KeyedRequest<LoanPage> {
  return useKeyedRequest(JSON.stringify([query, reloadToken]), (signal) => listLoans(query, signal));
}
