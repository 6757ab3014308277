/**
 * Minimal history routing (no router dependency, to keep the bundle small):
 * useLocation() follows pushState/replaceState/popstate, <Link> navigates without reloading,
 * and the query string carries page state (filters, page, sort) so reload, back/forward and
 * shared links restore it.
 */
import { useMemo, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from "react";

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener("popstate", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("popstate", listener);
  };
}

function getHref(): string {
  return window.location.pathname + window.location.search;
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === getHref()) return;
  if (options.replace) window.history.replaceState(null, "", to);
  else window.history.pushState(null, "", to);
  for (const listener of listeners) listener();
}

export interface Location {
  pathname: string;
  /** The query string with its "?", or "". */
  search: string;
  /** pathname + search, e.g. to come back here later. */
  href: string;
}

export function useLocation(): Location {
  const href = useSyncExternalStore(subscribe, getHref, () => "/");
  return useMemo(() => {
    const queryStart = href.indexOf("?");
    const pathname = queryStart === -1 ? href : href.slice(0, queryStart);
    const search = queryStart === -1 ? "" : href.slice(queryStart);
    return { pathname, search, href };
  }, [href]);
}

export function usePathname(): string {
  return useLocation().pathname;
}

/** `pathname` with `params` as its query string (empty values left out). */
export function hrefWith(pathname: string, params: Record<string, string | number | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== "") query.set(key, String(value));
  }
  const search = query.toString();
  return search ? `${pathname}?${search}` : pathname;
}

interface LinkProps extends Omit<AnchorHTMLAttributes<HTMLAnchorElement>, "href"> {
  to: string;
}

export function Link({ to, onClick, ...rest }: LinkProps) {
  function handleClick(event: MouseEvent<HTMLAnchorElement>) {
    onClick?.(event);
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    )
      return;
    if (rest.target && rest.target !== "_self") return;
    event.preventDefault();
    navigate(to);
  }
  return <a href={to} onClick={handleClick} {...rest} />;
}
