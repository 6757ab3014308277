/**
 * Notes passed between the staff pages within this page load: a one-time message for the next
 * page (e.g. "Se eliminó…" shown on the list after deleting from the detail page) and the list
 * address (filters, page) the detail page goes back to.
 */
import { STAFF_HOME } from "../paths";

let flash: string | null = null;
let listHref = STAFF_HOME;

export function setFlash(message: string): void {
  flash = message;
}

export function takeFlash(): string | null {
  const message = flash;
  flash = null;
  return message;
}

export function rememberListHref(href: string): void {
  listHref = href;
}

export function lastListHref(): string {
  return listHref;
}
