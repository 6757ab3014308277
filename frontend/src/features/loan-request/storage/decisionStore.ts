/**
 * The last decision shown in this tab, kept in sessionStorage so that a reload or back/forward
 * shows it again (with its request number). sessionStorage belongs to the tab: other tabs,
 * windows and people on the same browser later never see it. Only the decision's own fields
 * are kept, never the applicant's name, DNI or email.
 */
import type { LoanDecision, LoanStatus } from "@/types/loan";

const KEY = "prestamos.decision";
const STATUSES: readonly LoanStatus[] = ["pending", "approved", "rejected"];

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    // Storage disabled (privacy settings): the decision simply is not kept.
    return null;
  }
}

function isDecision(value: unknown): value is LoanDecision {
  if (value === null || typeof value !== "object") return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.id === "number" &&
    STATUSES.includes(record.status as LoanStatus) &&
    typeof record.amount === "string" &&
    typeof record.created_at === "string" &&
    (record.message === undefined || typeof record.message === "string")
  );
}

export function saveDecision(decision: LoanDecision): void {
  const kept: LoanDecision = {
    id: decision.id,
    status: decision.status,
    amount: decision.amount,
    created_at: decision.created_at,
  };
  if (typeof decision.message === "string") kept.message = decision.message;
  try {
    storage()?.setItem(KEY, JSON.stringify(kept));
  } catch {
    // Quota or privacy mode: nothing else to do, the decision is on screen.
  }
}

export function loadDecision(): LoanDecision | null {
  const raw = storage()?.getItem(KEY);
  if (!raw) return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (isDecision(parsed)) return parsed;
  } catch {
    // fall through: a corrupt entry is dropped
  }
  clearDecision();
  return null;
}

export function clearDecision(): void {
  storage()?.removeItem(KEY);
}
