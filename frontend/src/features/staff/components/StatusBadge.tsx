import { STATUS_LABELS } from "@/lib/loanLabels";
import type { LoanStatus } from "@/types/loan";

export function StatusBadge({ status }: { status: LoanStatus }) {
  return <span className={`badge badge--${status}`}>{STATUS_LABELS[status]}</span>;
}
