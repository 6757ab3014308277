/** The staff area's addresses. */
export const STAFF_HOME = "/staff";
export const STAFF_LOGIN = "/staff/login";

export function detailHref(id: number, section?: "historial"): string {
  return `${STAFF_HOME}/loans/${id}${section ? `#${section}` : ""}`;
}

/** The request id of a detail address ("/staff/loans/42" → 42), else null. */
export function detailId(pathname: string): number | null {
  const match = /^\/staff\/loans\/([1-9]\d{0,9})\/?$/.exec(pathname);
  return match ? Number(match[1]) : null;
}

export function isListPath(pathname: string): boolean {
  return pathname === STAFF_HOME || pathname === `${STAFF_HOME}/`;
}

/**
 * Where to go after logging in: a staff address from `?next=` (never another site, never the
 * login page itself), else the list.
 */
export function safeNext(search: string): string {
  const next = new URLSearchParams(search).get("next");
  if (!next || !next.startsWith("/staff") || next.startsWith(STAFF_LOGIN)) return STAFF_HOME;
  const url = new URL(next, window.location.origin);
  const inStaffArea = url.pathname === STAFF_HOME || url.pathname.startsWith(`${STAFF_HOME}/`);
  if (url.origin !== window.location.origin || !inStaffArea || url.pathname.startsWith(STAFF_LOGIN)) return STAFF_HOME;
  return url.pathname + url.search + url.hash;
}

/** The login address that brings staff back to `href` afterwards. */
export function loginHref(href: string, expired: boolean): string {
  const params = new URLSearchParams();
  if (href !== STAFF_HOME && !href.startsWith(STAFF_LOGIN)) params.set("next", href);
  if (expired) params.set("expired", "1");
  const search = params.toString();
  return search ? `${STAFF_LOGIN}?${search}` : STAFF_LOGIN;
}
