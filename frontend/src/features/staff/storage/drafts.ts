/**
 * What staff typed in a dialog when the session expired (a rejection reason, an edit), kept in
 * this tab's sessionStorage until they log in again and come back to the same page.
 * Cleared on logout; never shared with other tabs.
 */
import type { LoanFormValues } from "@/components/loan-form/validateLoanRequest";

export type Draft = { href: string; loanId: number } & (
  { action: "reject"; reason: string } | { action: "edit"; values: LoanFormValues }
);

const KEY = "prestamos.staff.draft";

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

export function saveDraft(draft: Draft): void {
  try {
    storage()?.setItem(KEY, JSON.stringify(draft));
  } catch {
    // Storage full or disabled: the text is lost, as it would be without this feature.
  }
}

/** The draft saved on the page at `href` (left in storage until clearDraft), or null. */
export function peekDraft(href: string): Draft | null {
  const raw = storage()?.getItem(KEY);
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as Partial<Draft>;
    if (
      parsed.href === href &&
      typeof parsed.loanId === "number" &&
      (parsed.action === "reject" || parsed.action === "edit")
    )
      return parsed as Draft;
  } catch {
    clearDraft();
  }
  return null;
}

export function clearDraft(): void {
  storage()?.removeItem(KEY);
}
