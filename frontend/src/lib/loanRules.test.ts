import { describe, expect, it } from "vitest";
import { installFetchMock } from "@/testing/fetchMock";
import { fetchLoanRules, parseLoanRules } from "./loanRules";

describe("parseLoanRules", () => {
  it("reads the contract's strings as numbers", () => {
    expect(parseLoanRules({ min_amount: "10000.00", max_amount: "5000000.00" })).toEqual({
      minAmount: 10000,
      maxAmount: 5000000,
    });
  });

  it.each([
    null,
    "x",
    {},
    { min_amount: 1, max_amount: 2 },
    { min_amount: "a", max_amount: "2" },
    { min_amount: "9", max_amount: "2" },
    { min_amount: "-1", max_amount: "2" },
  ])("refuses %j", (body) => {
    expect(parseLoanRules(body)).toBeNull();
  });
});

describe("fetchLoanRules", () => {
  it("asks the API once and shares the answer", async () => {
    const api = installFetchMock().on("GET", "/api/loans/rules/", { body: { min_amount: "1.00", max_amount: "2.00" } });
    const [a, b] = await Promise.all([fetchLoanRules(), fetchLoanRules()]);
    expect(a).toEqual({ minAmount: 1, maxAmount: 2 });
    expect(b).toBe(a);
    await fetchLoanRules();
    expect(api.callsTo("GET", "/api/loans/rules/")).toHaveLength(1);
  });

  it("asks again after a failure or an unexpected body", async () => {
    const api = installFetchMock()
      .once("GET", "/api/loans/rules/", "network-error")
      .once("GET", "/api/loans/rules/", { body: { nope: true } })
      .on("GET", "/api/loans/rules/", { body: { min_amount: "1.00", max_amount: "2.00" } });
    await expect(fetchLoanRules()).rejects.toThrow();
    await expect(fetchLoanRules()).rejects.toThrow(/unexpected body/);
    await expect(fetchLoanRules()).resolves.toEqual({ minAmount: 1, maxAmount: 2 });
    expect(api.callsTo("GET", "/api/loans/rules/")).toHaveLength(3);
  });
});
