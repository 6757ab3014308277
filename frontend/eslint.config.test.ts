// @vitest-environment node
/**
 * The feature boundaries of eslint.config.js, checked on sample imports: each case is linted
 * as if it were the named file, and must be refused (or accepted) by no-restricted-imports.
 */
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint({ cwd: import.meta.dirname });

async function restricted(filePath: string, specifier: string): Promise<boolean> {
  const [result] = await eslint.lintText(`import { x } from "${specifier}";\nexport const y = x;\n`, { filePath });
  return (result?.messages ?? []).some((message) => message.ruleId === "no-restricted-imports");
}

describe("feature boundaries", () => {
  it.each([
    ["src/features/staff/components/A.tsx", "@/features/loan-request/components/LoanRequestPage"],
    ["src/features/staff/components/A.tsx", "../../loan-request/components/LoanRequestPage"],
    ["src/features/staff/paths.ts", "../loan-request/api/createLoanRequest"],
    ["src/features/loan-request/components/A.tsx", "@/features/staff/api/auth"],
    ["src/features/staff/components/A.tsx", "@/app/App"],
    ["src/lib/a.ts", "@/features/staff/api/loans"],
    ["src/lib/a.ts", "../features/staff/api/loans"],
    ["src/components/loan-form/A.tsx", "@/app/router"],
    ["src/hooks/a.ts", "../app/App"],
    ["src/app/App.tsx", "../../src/lib/format"],
  ])("refuses %s importing %s", async (file, specifier) => {
    expect(await restricted(file, specifier)).toBe(true);
  });

  it.each([
    ["src/features/staff/components/A.tsx", "@/features/staff/api/loans"],
    ["src/features/staff/components/A.tsx", "../api/loans"],
    ["src/features/staff/components/A.tsx", "@/components/loan-form/LoanFields"],
    ["src/features/loan-request/components/A.tsx", "@/lib/format"],
    ["src/app/App.tsx", "@/features/staff/api/auth"],
    ["src/lib/a.ts", "@/types/loan"],
    ["src/components/loan-form/A.tsx", "./validateLoanRequest"],
  ])("accepts %s importing %s", async (file, specifier) => {
    expect(await restricted(file, specifier)).toBe(false);
  });
});
