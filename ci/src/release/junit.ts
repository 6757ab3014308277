/**
 * Test totals from JUnit XML reports (Django's runner and vitest write them). Pure: no Dagger.
 *
 * Counts `<testcase>` elements and their outcome children rather than trusting suite
 * attributes, so nested `<testsuite>` elements are not counted twice. Comments and CDATA
 * sections (captured output may contain anything, even `<testcase`) are removed first.
 */

/** Totals of one report or of several. `passed` = total − failed − errors − skipped. */
export interface TestTotals {
  readonly total: number;
  readonly passed: number;
  readonly failed: number;
  readonly errors: number;
  readonly skipped: number;
}

/** The totals of one report file. */
export interface ReportTotals extends TestTotals {
  readonly file: string;
}

const TESTCASE = /<testcase\b(?:[^>"']|"[^"]*"|'[^']*')*?(?:\/>|>([\s\S]*?)<\/testcase\s*>)/g;

/** Parses one JUnit XML document. Throws when it is not a JUnit report at all. */
export function junitTotals(file: string, xml: string): ReportTotals {
  const body = xml.replace(/<!--[\s\S]*?-->/g, "").replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, "");
  if (!/<testsuites?\b/.test(body)) {
    throw new Error(`${file} is not a JUnit report: no <testsuite> or <testsuites> element`);
  }
  let total = 0;
  let failed = 0;
  let errors = 0;
  let skipped = 0;
  for (const match of body.matchAll(TESTCASE)) {
    total += 1;
    const children = match[1] ?? "";
    // A test case has at most one outcome; failure wins over error over skipped.
    if (/<failure\b/.test(children)) failed += 1;
    else if (/<error\b/.test(children)) errors += 1;
    else if (/<skipped\b/.test(children)) skipped += 1;
  }
  return { file, total, passed: total - failed - errors - skipped, failed, errors, skipped };
}

/** Sums several reports. */
export function sumTotals(reports: readonly TestTotals[]): TestTotals {
  const sum = (key: keyof TestTotals) => reports.reduce((acc, r) => acc + r[key], 0);
  return {
    total: sum("total"),
    passed: sum("passed"),
    failed: sum("failed"),
    errors: sum("errors"),
    skipped: sum("skipped"),
  };
}
