import { describe, expect, it } from "vitest";
import { DEFAULT_QUERY, hasFilters, listQueryParams, nextOrdering, parseListQuery } from "./listQuery";
import { hrefWith } from "@/lib/router";

describe("list query in the URL", () => {
  it("reads every parameter", () => {
    expect(parseListQuery("?page=3&page_size=50&ordering=-amount&status=pending&search=ana")).toEqual({
      page: 3,
      pageSize: 50,
      ordering: "-amount",
      status: "pending",
      search: "ana",
    });
  });

  it("falls back to the defaults for missing or invalid values", () => {
    expect(parseListQuery("")).toEqual(DEFAULT_QUERY);
    expect(parseListQuery("?page=0&page_size=7&ordering=-password&status=deleted&search=%20%20")).toEqual(
      DEFAULT_QUERY,
    );
    expect(parseListQuery("?page=1.5").page).toBe(1);
    expect(parseListQuery("?page=abc").page).toBe(1);
  });

  it("writes only what differs from the defaults, and reads back the same query", () => {
    expect(hrefWith("/staff", listQueryParams(DEFAULT_QUERY))).toBe("/staff");
    const query = {
      page: 2,
      pageSize: 100,
      ordering: "full_name" as const,
      status: "rejected" as const,
      search: " Pérez ",
    };
    const href = hrefWith("/staff", listQueryParams(query));
    expect(href).toBe("/staff?page=2&page_size=100&ordering=full_name&status=rejected&search=P%C3%A9rez");
    expect(parseListQuery(href.slice(href.indexOf("?")))).toEqual({ ...query, search: "Pérez" });
  });

  it("toggles the sort direction on the same column", () => {
    expect(nextOrdering("-created_at", "amount")).toBe("amount");
    expect(nextOrdering("amount", "amount")).toBe("-amount");
    expect(nextOrdering("-amount", "amount")).toBe("amount");
  });

  it("knows when a filter is on", () => {
    expect(hasFilters(DEFAULT_QUERY)).toBe(false);
    expect(hasFilters({ ...DEFAULT_QUERY, page: 3 })).toBe(false);
    expect(hasFilters({ ...DEFAULT_QUERY, search: "x" })).toBe(true);
    expect(hasFilters({ ...DEFAULT_QUERY, status: "pending" })).toBe(true);
  });
});
