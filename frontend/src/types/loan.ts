/**
 * The loan API's JSON shapes (docs/interfaces.md), the one definition shared by the SPA and
 * the test/bench client (tests/support/api-client.ts imports this file). Types only, no
 * imports: it compiles under the frontend's and the root's tsconfig alike.
 */

export type Gender = "F" | "M" | "X";
export type LoanStatus = "pending" | "approved" | "rejected";

/** Fields a person submits (and staff may edit). */
export interface LoanRequestInput {
  full_name: string;
  dni: string;
  gender: Gender;
  email: string;
  /** Decimal string with 2 decimals, e.g. "150000.00". */
  amount: string;
}

/** A loan request as the staff endpoints return it (the list masks the DNI: "*****678"). */
export interface LoanRequest extends LoanRequestInput {
  id: number;
  status: LoanStatus;
  /** Internal reason of the decision: staff only, never shown to the applicant. */
  decision_reason: string;
  created_at: string;
  updated_at: string;
  reviewed_by: string | null;
  reviewed_at: string | null;
}

/**
 * The public POST /api/loans/ answer (201): the decision and an applicant-facing `message`.
 * A backend older than that contract sends the staff JSON instead, without `message`.
 */
export interface LoanDecision {
  id: number;
  status: LoanStatus;
  amount: string;
  created_at: string;
  message?: string;
}

/** GET /api/loans/ */
export interface LoanPage {
  count: number;
  page: number;
  page_size: number;
  num_pages: number;
  results: LoanRequest[];
}

export type LoanHistoryAction = "created" | "edited" | "approved" | "rejected" | "deleted";

/** One entry of GET /api/loans/{id}/history/ (oldest first); personal data in `changes` is masked. */
export interface LoanHistoryEntry {
  id: number;
  at: string;
  actor: string | null;
  action: LoanHistoryAction;
  changes: Record<string, { from: unknown; to: unknown }>;
  reason: string | null;
}

export interface LoanHistory {
  results: LoanHistoryEntry[];
}

/** GET /api/loans/rules/: the accepted amount bounds (strings, 2 decimals). */
export interface LoanRulesBody {
  min_amount: string;
  max_amount: string;
}

/** Every API error: messages per field, "__all__" for the rest. */
export interface ApiErrorBody {
  errors: Record<string, string[]>;
}
