import { useEffect, useState } from "react";
import { fetchLoanRules, type LoanRules } from "@/lib/loanRules";

/**
 * The amount bounds from GET /api/loans/rules/, or null while they load or when they could
 * not be read: the form then checks everything but the bounds, which the server enforces.
 */
export function useLoanRules(): LoanRules | null {
  const [rules, setRules] = useState<LoanRules | null>(null);
  useEffect(() => {
    let active = true;
    fetchLoanRules().then(
      (loaded) => {
        if (active) setRules(loaded);
      },
      () => undefined,
    );
    return () => {
      active = false;
    };
  }, []);
  return rules;
}
