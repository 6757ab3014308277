/** API paths from docs/interfaces.md, in one place. */
export const API = {
  csrf: "/api/auth/csrf/",
  login: "/api/auth/login/",
  logout: "/api/auth/logout/",
  me: "/api/auth/me/",
  loans: "/api/loans/",
  rules: "/api/loans/rules/",
  loan: (id: number) => `/api/loans/${id}/`,
  history: (id: number) => `/api/loans/${id}/history/`,
  approve: (id: number) => `/api/loans/${id}/approve/`,
  reject: (id: number) => `/api/loans/${id}/reject/`,
} as const;

/** Largest page size the backend accepts. */
export const MAX_PAGE_SIZE = 100;
export const PAGE_SIZE_OPTIONS = [10, 20, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 20;

/** Delay before a typed search is sent. */
export const SEARCH_DEBOUNCE_MS = 300;
