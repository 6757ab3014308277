/**
 * The dashboard's list state (page, page size, sort, status filter, search) and its form in the
 * URL's query string, so that reload, back/forward and shared links show the same list.
 * Values that are not valid fall back to the defaults instead of failing.
 */
import { DEFAULT_PAGE_SIZE, PAGE_SIZE_OPTIONS } from "@/config/api";
import type { LoanStatus } from "@/types/loan";

export const SORT_FIELDS = ["full_name", "created_at", "amount", "dni", "status"] as const;
export type SortField = (typeof SORT_FIELDS)[number];
/** `field` ascending, `-field` descending. */
export type Ordering = SortField | `-${SortField}`;

export interface LoanListQuery {
  page: number;
  pageSize: number;
  ordering: Ordering;
  status: LoanStatus | "";
  search: string;
}

export const DEFAULT_QUERY: LoanListQuery = {
  page: 1,
  pageSize: DEFAULT_PAGE_SIZE,
  ordering: "-created_at",
  status: "",
  search: "",
};

const STATUSES: ReadonlyArray<LoanStatus> = ["pending", "approved", "rejected"];

function isOrdering(value: string): value is Ordering {
  return (SORT_FIELDS as readonly string[]).includes(value.replace(/^-/, ""));
}

export function parseListQuery(search: string): LoanListQuery {
  const params = new URLSearchParams(search);
  const page = Number(params.get("page"));
  const pageSize = Number(params.get("page_size"));
  const ordering = params.get("ordering") ?? "";
  const status = params.get("status") ?? "";
  return {
    page: Number.isInteger(page) && page >= 1 ? page : DEFAULT_QUERY.page,
    pageSize: (PAGE_SIZE_OPTIONS as readonly number[]).includes(pageSize) ? pageSize : DEFAULT_QUERY.pageSize,
    ordering: isOrdering(ordering) ? ordering : DEFAULT_QUERY.ordering,
    status: (STATUSES as readonly string[]).includes(status) ? (status as LoanStatus) : "",
    search: (params.get("search") ?? "").trim(),
  };
}

/** The query string for `query` ("" for the defaults), defaults left out. */
export function listQueryParams(query: LoanListQuery): Record<string, string | number | undefined> {
  const differs = <K extends keyof LoanListQuery>(key: K) =>
    query[key] === DEFAULT_QUERY[key] ? undefined : query[key];
  return {
    page: differs("page"),
    page_size: differs("pageSize"),
    ordering: differs("ordering"),
    status: differs("status"),
    search: query.search.trim() || undefined,
  };
}

/** Clicking a header sorts ascending; clicking the sorted column again flips the direction. */
export function nextOrdering(current: Ordering, field: SortField): Ordering {
  return current === field ? `-${field}` : field;
}

export function hasFilters(query: LoanListQuery): boolean {
  return query.search !== "" || query.status !== "";
}
