import { describe, expect, it } from "vitest";
import { junitTotals, sumTotals } from "../../src/release/junit";
import { fixture } from "../fixtures";

describe("junitTotals", () => {
  it("counts Django's report: one outcome per test case", () => {
    expect(junitTotals("backend-postgres-junit.xml", fixture("junit/backend-postgres-junit.xml"))).toEqual({
      file: "backend-postgres-junit.xml",
      total: 5,
      passed: 2,
      failed: 1,
      errors: 1,
      skipped: 1,
    });
  });

  it("counts vitest's report without counting nested suites twice, CDATA output or comments", () => {
    expect(junitTotals("frontend-junit.xml", fixture("junit/frontend-junit.xml"))).toEqual({
      file: "frontend-junit.xml",
      total: 3,
      passed: 3,
      failed: 0,
      errors: 0,
      skipped: 0,
    });
  });

  it("reads an empty suite as zero tests and refuses a file that is not JUnit", () => {
    expect(junitTotals("empty.xml", '<testsuites><testsuite name="x" tests="0"/></testsuites>').total).toBe(0);
    expect(() => junitTotals("coverage.xml", '<?xml version="1.0"?><coverage line-rate="0.9"/>')).toThrow(
      /coverage\.xml is not a JUnit report/,
    );
  });

  it("sums several reports", () => {
    const a = junitTotals("a", fixture("junit/backend-postgres-junit.xml"));
    const b = junitTotals("b", fixture("junit/frontend-junit.xml"));
    expect(sumTotals([a, b])).toEqual({ total: 8, passed: 5, failed: 1, errors: 1, skipped: 1 });
    expect(sumTotals([])).toEqual({ total: 0, passed: 0, failed: 0, errors: 0, skipped: 0 });
  });
});
