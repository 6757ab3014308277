import { API } from "../../../config/api";
import { request } from "../../../lib/apiClient";
import type { LoanRequest, LoanRequestInput, LoanStatus } from "../../../lib/loanTypes";

export const SORT_FIELDS = ["full_name", "created_at", "amount", "dni", "status"] as const;
export type SortField = (typeof SORT_FIELDS)[number];
/** `field` ascending, `-field` descending. */
export type Ordering = SortField | `-${SortField}`;

export interface LoanListQuery {
  page: number;
  pageSize: number;
  ordering: Ordering;
  status: LoanStatus | "";
  search: string;
}

export interface LoanPage {
  count: number;
  page: number;
  page_size: number;
  num_pages: number;
  results: LoanRequest[];
}

/** GET /api/loans/?page=&page_size=&ordering=&status=&search= */
export function listLoans(query: LoanListQuery, signal?: AbortSignal): Promise<LoanPage> {
  return request<LoanPage>(API.loans, {
    query: {
      page: query.page,
      page_size: query.pageSize,
      ordering: query.ordering,
      status: query.status,
      search: query.search.trim(),
    },
    signal,
  });
}

/** GET /api/loans/{id}/ — the full record (the list masks the DNI). */
export function getLoan(id: number): Promise<LoanRequest> {
  return request<LoanRequest>(API.loan(id));
}

export function updateLoan(id: number, changes: Partial<LoanRequestInput>): Promise<LoanRequest> {
  return request<LoanRequest>(API.loan(id), { method: "PATCH", body: changes });
}

export function deleteLoan(id: number): Promise<void> {
  return request<void>(API.loan(id), { method: "DELETE" });
}

function reasonBody(reason?: string): { reason: string } | undefined {
  const trimmed = reason?.trim();
  return trimmed ? { reason: trimmed } : undefined;
}

export function approveLoan(id: number, reason?: string): Promise<LoanRequest> {
  return request<LoanRequest>(API.approve(id), { method: "POST", body: reasonBody(reason) ?? {} });
}

export function rejectLoan(id: number, reason?: string): Promise<LoanRequest> {
  return request<LoanRequest>(API.reject(id), { method: "POST", body: reasonBody(reason) ?? {} });
}
