/**
 * Page helpers that find elements the way people do: by role and accessible name
 * (labels from frontend/src/lib/loanTypes.ts FIELD_LABELS and the components).
 */
import type { Locator, Page } from "playwright-core";
import type { LoanInput } from "./api";

export const FIELD = {
  full_name: "Nombre completo",
  dni: "DNI",
  email: "Correo electrónico",
  amount: "Monto (ARS)",
} as const;

/** The widths the layout is checked at: phone, tablet, desktop. */
export const WIDTHS = [375, 768, 1440] as const;

export const GENDER_LABEL: Record<LoanInput["gender"], string> = {
  F: "Femenino",
  M: "Masculino",
  X: "No binario (X)",
};

export const SUBMIT_LOAN = "Solicitar préstamo";

export const DECISION_TITLES = {
  approved: "¡Tu solicitud fue aprobada!",
  rejected: "Tu solicitud fue rechazada",
  pending: "Tu solicitud está en revisión",
} as const;

export const STATUS_LABELS = {
  pending: "En revisión",
  approved: "Aprobada",
  rejected: "Rechazada",
} as const;

export function textbox(page: Page | Locator, name: string): Locator {
  return page.getByRole("textbox", { name, exact: true });
}

/** Types the form values (amount as typed by a person, e.g. "150.000"). */
export async function fillLoanForm(page: Page, values: Omit<LoanInput, "amount"> & { amount: string }): Promise<void> {
  await textbox(page, FIELD.full_name).fill(values.full_name);
  await textbox(page, FIELD.dni).fill(values.dni);
  await page.getByRole("radio", { name: GENDER_LABEL[values.gender], exact: true }).check();
  await textbox(page, FIELD.email).fill(values.email);
  await textbox(page, FIELD.amount).fill(values.amount);
}

/** Logs in on /staff/login (the page may carry ?next=); does not wait for the result. */
export async function logIn(
  page: Page,
  username: string,
  password: string,
  options: { goto?: boolean } = {},
): Promise<void> {
  if (options.goto ?? true) await page.goto("/staff/login");
  await page.getByRole("heading", { name: "Ingreso del personal" }).waitFor();
  await textbox(page, "Usuario").fill(username);
  await page.getByLabel("Contraseña", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Ingresar" }).click();
}

/** The list row whose row header is `fullName`. */
export function row(page: Page, fullName: string): Locator {
  return page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: fullName, exact: true }) });
}

/** Whether the element has focus. */
export function hasFocus(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => element === document.activeElement);
}

/** The decision region shown after a successful submit (section labelled by its heading). */
export function decisionRegion(page: Page): Locator {
  return page.locator("section[data-status]");
}

export interface FieldState {
  invalid: boolean;
  /** Text of the error element(s) the field's aria-describedby points at. */
  error: string;
}

/** aria-invalid and the error message tied to a field through aria-describedby. */
export async function fieldState(field: Locator): Promise<FieldState> {
  return field.evaluate((element) => {
    const ids = (element.getAttribute("aria-describedby") ?? "").split(/\s+/).filter(Boolean);
    const error = ids
      .filter((id) => id.endsWith("-error"))
      .map((id) => document.getElementById(id)?.textContent?.trim() ?? "")
      .join(" ")
      .trim();
    return { invalid: element.getAttribute("aria-invalid") === "true", error };
  });
}

/** Polls `check` until it returns without throwing (or the timeout passes, then rethrows). */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 10_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

/** Horizontal overflow of the document: scrollWidth beyond the viewport, in CSS pixels. */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(
    () => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - window.innerWidth,
  );
}

/** Elements whose right edge sticks out of the viewport (ignoring ones inside scroll containers). */
export async function elementsOutsideViewport(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const offenders: string[] = [];
    const scrollsX = (el: Element | null): boolean => {
      for (let node = el; node && node !== document.body; node = node.parentElement) {
        const overflowX = getComputedStyle(node).overflowX;
        if (overflowX === "auto" || overflowX === "scroll" || overflowX === "hidden") return true;
      }
      return false;
    };
    for (const el of Array.from(document.body.querySelectorAll("*"))) {
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) continue;
      const style = getComputedStyle(el);
      if (style.visibility === "hidden" || style.position === "fixed") continue;
      if (el.classList.contains("visually-hidden") || el.classList.contains("skip-link")) continue;
      if (rect.right > width + 1 && !scrollsX(el.parentElement)) {
        offenders.push(
          `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${el.className && typeof el.className === "string" ? `.${el.className.split(" ").join(".")}` : ""} right=${Math.round(rect.right)}`,
        );
      }
    }
    return offenders.slice(0, 10);
  });
}

/** Holds the page's requests to `url` until the returned release() (to see what the page shows meanwhile). */
export async function holdRequests(page: Page, url: string | RegExp): Promise<() => void> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(url, async (route) => {
    await held;
    await route.continue();
  });
  return release;
}
