import type { LoanRequest } from "../lib/loanTypes";
import type { LoanPage } from "../features/staff/api/loans";

let nextId = 1;

export function makeLoan(overrides: Partial<LoanRequest> = {}): LoanRequest {
  const id = overrides.id ?? nextId++;
  return {
    id,
    full_name: "Ana García",
    dni: "30123456",
    gender: "F",
    email: "ana@example.com",
    amount: "150000.00",
    status: "pending",
    decision_reason: "",
    created_at: "2025-03-10T15:30:00Z",
    updated_at: "2025-03-10T15:30:00Z",
    reviewed_by: null,
    reviewed_at: null,
    ...overrides,
  };
}

export function makePage(results: LoanRequest[], overrides: Partial<LoanPage> = {}): LoanPage {
  return { count: results.length, page: 1, page_size: 20, num_pages: 1, results, ...overrides };
}
