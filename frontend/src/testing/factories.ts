import type { LoanDecision, LoanHistoryEntry, LoanPage, LoanRequest } from "@/types/loan";

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

export function makeHistoryEntry(overrides: Partial<LoanHistoryEntry> = {}): LoanHistoryEntry {
  return {
    id: nextId++,
    at: "2025-03-10T15:30:00Z",
    actor: null,
    action: "created",
    changes: {},
    reason: null,
    ...overrides,
  };
}

/** The public POST /api/loans/ answer (contract 4). */
export function makeDecision(overrides: Partial<LoanDecision> = {}): LoanDecision {
  return {
    id: nextId++,
    status: "approved",
    amount: "150000.00",
    created_at: "2025-03-10T15:30:00Z",
    message: "¡Listo! Te escribimos con los próximos pasos.",
    ...overrides,
  };
}

/** GET /api/loans/rules/ as the backend answers it by default. */
export const RULES_BODY = { min_amount: "10000.00", max_amount: "5000000.00" } as const;
