import { useEffect } from "react";

export const SITE_NAME = "Préstamos por internet";

/** Sets the tab title to "<title> — Préstamos por internet" while the calling page is shown. */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} — ${SITE_NAME}`;
  }, [title]);
}
