import { describe, expect, it } from "vitest";
import { detailHref, detailId, loginHref, safeNext } from "./paths";

describe("staff addresses", () => {
  it("maps detail pages to ids", () => {
    expect(detailHref(42)).toBe("/staff/loans/42");
    expect(detailHref(42, "historial")).toBe("/staff/loans/42#historial");
    expect(detailId("/staff/loans/42")).toBe(42);
    expect(detailId("/staff/loans/42/")).toBe(42);
    expect(detailId("/staff/loans/0")).toBeNull();
    expect(detailId("/staff/loans/abc")).toBeNull();
    expect(detailId("/staff")).toBeNull();
  });

  it("comes back to where staff were after logging in", () => {
    expect(loginHref("/staff", false)).toBe("/staff/login");
    expect(loginHref("/staff?page=2&status=pending", true)).toBe(
      "/staff/login?next=%2Fstaff%3Fpage%3D2%26status%3Dpending&expired=1",
    );
    expect(safeNext("?next=%2Fstaff%3Fpage%3D2%26status%3Dpending&expired=1")).toBe("/staff?page=2&status=pending");
    expect(safeNext("?next=/staff/loans/7")).toBe("/staff/loans/7");
  });

  it("never sends staff to another site or back to the login after logging in", () => {
    for (const next of [
      "https://evil.example/staff",
      "//evil.example/staff",
      "/\\evil.example",
      "/staff/login",
      "/",
      "/staffing/../evil",
      "/staffing",
      "/staff/../staff/login",
      "",
    ]) {
      expect(safeNext(`?next=${encodeURIComponent(next)}`), next).toBe("/staff");
    }
    expect(safeNext("")).toBe("/staff");
  });
});
