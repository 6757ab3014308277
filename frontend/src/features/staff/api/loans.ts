import { API } from "@/config/api";
import { request } from "@/lib/apiClient";
import type { LoanHistory, LoanPage, LoanRequest, LoanRequestInput } from "@/types/loan";
import type { LoanListQuery } from "../listQuery";

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
export function getLoan(id: number, signal?: AbortSignal): Promise<LoanRequest> {
  return request<LoanRequest>(API.loan(id), { signal });
}

/** GET /api/loans/{id}/history/ — the audit trail, oldest first. */
export function getLoanHistory(id: number, signal?: AbortSignal): Promise<LoanHistory> {
  return request<LoanHistory>(API.history(id), { signal });
}

export function updateLoan(id: number, changes: Partial<LoanRequestInput>): Promise<LoanRequest> {
  return request<LoanRequest>(API.loan(id), { method: "PATCH", body: changes });
}

export function deleteLoan(id: number): Promise<void> {
  return request<void>(API.loan(id), { method: "DELETE" });
}

function reasonBody(reason?: string): { reason?: string } {
  const trimmed = reason?.trim();
  return trimmed ? { reason: trimmed } : {};
}

export function approveLoan(id: number, reason?: string): Promise<LoanRequest> {
  return request<LoanRequest>(API.approve(id), { method: "POST", body: reasonBody(reason) });
}

export function rejectLoan(id: number, reason?: string): Promise<LoanRequest> {
  return request<LoanRequest>(API.reject(id), { method: "POST", body: reasonBody(reason) });
}
