/**
 * The staff list and detail pages as a designer checks them: a dense desktop table (every
 * column visible at 1280 and 1440 px, one line per row, long values cut with the full value
 * available, amounts right-aligned), readable cards at 768 and 375 px, only the actions a
 * status allows, the detail page with the decision reason and the audit history, the edit
 * dialog (es-AR amount, confirm before discarding, long names on phones), loading feedback,
 * copy; axe-core on every state.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLoan, runTag, staffSession, uniqueDni, type CreatedLoan, type Loan } from "./support/api";
import type { ApiClient } from "../support/api-client";
import { axeViolations } from "./support/axe";
import { launchBrowser, openPage, type StorageState, type TrackedPage } from "./support/browser";
import { startTarget, type Target } from "./support/target";
import {
  STATUS_LABELS,
  WIDTHS,
  elementsOutsideViewport,
  eventually,
  hasFocus,
  holdRequests,
  horizontalOverflow,
  logIn,
  row,
} from "./support/ui";

let target: Target;
let browser: Browser;
let staff: ApiClient;
const tag = runTag();

/** Requests of this file (all names and emails carry `tag`, the list is searched by it). */
const LONG_NAME = `${"Maximiliano".repeat(5)}${tag}`; // 60+ characters without a space
const LONG_EMAIL = `maximiliano.bartolome.de.los.santos.inocentes.${tag.toLowerCase()}@dominio-muy-largo-de-ejemplo.com.ar`;
let pending: CreatedLoan;
let approved: CreatedLoan;
let rejected: Loan;
let long: CreatedLoan;
let sessionState: StorageState | undefined;

beforeAll(async () => {
  target = await startTarget();
  browser = await launchBrowser();
  staff = await staffSession(target.baseUrl, target.staff);
  const person = (
    full_name: string,
    amount: string,
    email = `${full_name
      .split(" ")[0]!
      .normalize("NFD")
      .replace(/[^a-z]/gi, "")
      .toLowerCase()}.${tag.toLowerCase()}@example.com`,
  ) => ({
    full_name,
    dni: uniqueDni(),
    gender: "F" as const,
    email,
    amount,
  });
  // Fillers first (oldest): the list shows newest first, so the named ones lead page 1.
  // 12 requests in all: two pages at 10 per page (POSTs are few: shared stacks rate-limit them).
  for (let i = 1; i <= 8; i += 1)
    await createLoan(target.baseUrl, person(`Relleno ${String.fromCharCode(64 + i)} ${tag}`, `${20000 + i * 1000}.00`));
  const toReject = await createLoan(target.baseUrl, person(`Rita Rechazada ${tag}`, "2400000.00"));
  const answer = await staff.request<Loan>("POST", `/api/loans/${toReject.id}/reject/`, {
    reason: "Ingresos insuficientes para el monto pedido.",
  });
  expect(answer.status).toBe(200);
  rejected = answer.body;
  approved = await createLoan(target.baseUrl, person(`Ana Aprobada ${tag}`, "450000.50"));
  pending = await createLoan(target.baseUrl, person(`Pía Pendiente ${tag}`, "2500000.00"));
  long = await createLoan(target.baseUrl, person(LONG_NAME, "3750000.00", LONG_EMAIL));
  expect([pending.status, approved.status, rejected.status, long.status]).toEqual([
    "pending",
    "approved",
    "rejected",
    "pending",
  ]);
});

afterAll(async () => {
  await browser?.close();
  await target?.stop();
});

/**
 * One staff login through the UI for the whole file: the login endpoint is rate-limited per
 * address (nginx and the backend), as in production, so each test reuses its session.
 */
async function staffSessionState(): Promise<StorageState> {
  const { page, context, close } = await openPage(browser, target.baseUrl);
  try {
    await logIn(page, target.staff.username, target.staff.password);
    await page.getByRole("heading", { level: 1, name: "Solicitudes" }).waitFor();
    return await context.storageState();
  } finally {
    await close();
  }
}

async function openList(width: number, query = `?search=${tag}&page_size=10`): Promise<TrackedPage> {
  sessionState ??= await staffSessionState();
  const tracked = await openPage(browser, target.baseUrl, { width, height: 900, storageState: sessionState });
  await tracked.page.goto(`/staff${query}`);
  await tracked.page.getByRole("table").getByRole("rowheader").first().waitFor();
  return tracked;
}

async function noOverflow(page: Page, state: string): Promise<void> {
  expect(await horizontalOverflow(page), state).toBeLessThanOrEqual(0);
  expect(await elementsOutsideViewport(page), state).toEqual([]);
}

/** Geometry of the desktop table, read in the page. */
function tableLayout(page: Page) {
  return page.evaluate(() => {
    const table = document.querySelector("table.loans-table")!;
    const rect = (el: Element) => el.getBoundingClientRect();
    const headers = Array.from(table.querySelectorAll("thead th")).map((th) => ({
      text: th.textContent ?? "",
      left: rect(th).left,
      right: rect(th).right,
      width: rect(th).width,
    }));
    const rows = Array.from(table.querySelectorAll("tbody tr")).map((tr) => rect(tr).height);
    const label = (th: Element) => rect(th.querySelector(".header-label")!);
    const [nameHeader, , emailHeader, amountHeader] = Array.from(table.querySelectorAll("thead th"));
    return {
      innerWidth: window.innerWidth,
      headers,
      rowHeights: rows,
      // Sortable (button) and plain headers start at the same offset and share a baseline.
      labelOffsets: [
        label(nameHeader!).left - rect(nameHeader!).left,
        label(emailHeader!).left - rect(emailHeader!).left,
      ],
      labelTops: [label(nameHeader!).top, label(emailHeader!).top],
      amountAlign: [
        getComputedStyle(amountHeader!).textAlign,
        ...Array.from(table.querySelectorAll("td.cell--amount")).map((td) => getComputedStyle(td).textAlign),
      ],
      amountRights: Array.from(table.querySelectorAll("td.cell--amount")).map((td) => {
        const range = document.createRange();
        range.selectNodeContents(td);
        return Math.round(range.getBoundingClientRect().right);
      }),
      amountHeaderRight: Math.round(label(amountHeader!).right),
    };
  });
}

describe("the list at desktop widths", () => {
  for (const width of [1280, 1440]) {
    it(`${width} px: every column visible, one line per row, long values cut with the full value available, amounts right-aligned`, async () => {
      const { page, pageErrors, close } = await openList(width);
      try {
        await row(page, LONG_NAME).waitFor();
        const layout = await tableLayout(page);
        expect(layout.headers.map((header) => header.text.replace(/[▲▼↕]/g, "").trim())).toEqual([
          "Nombre",
          "DNI",
          "Correo electrónico",
          "Monto",
          "Estado",
          "Fecha",
          "Acciones",
        ]);
        for (const header of layout.headers) {
          expect(header.left, header.text).toBeGreaterThanOrEqual(0);
          expect(header.right, header.text).toBeLessThanOrEqual(layout.innerWidth);
          expect(header.width, header.text).toBeGreaterThanOrEqual(60);
        }
        // Dense: every row is one line (well under the 168 px of four stacked buttons).
        expect(Math.max(...layout.rowHeights)).toBeLessThanOrEqual(52);
        expect(layout.rowHeights.length).toBeGreaterThanOrEqual(10);

        // The long name and email are cut with an ellipsis, and their full value is on the cell.
        const longRow = row(page, LONG_NAME);
        for (const [cell, full] of [
          [longRow.getByRole("rowheader"), LONG_NAME],
          [longRow.locator("td.cell--email"), LONG_EMAIL],
        ] as const) {
          const state = await cell.evaluate((el) => ({
            cut: el.scrollWidth > el.clientWidth,
            ellipsis: getComputedStyle(el).textOverflow,
            title: el.getAttribute("title"),
          }));
          expect(state).toEqual({ cut: true, ellipsis: "ellipsis", title: full });
        }

        // Amounts: right-aligned under a right-aligned header, with a non-breaking space after "$".
        expect(new Set(layout.amountAlign)).toEqual(new Set(["right"]));
        for (const right of layout.amountRights)
          expect(Math.abs(right - layout.amountRights[0]!)).toBeLessThanOrEqual(1);
        expect(Math.abs(layout.amountHeaderRight - layout.amountRights[0]!)).toBeLessThanOrEqual(16);
        expect(await longRow.locator("td.cell--amount").innerText()).toBe("$\u00a03.750.000,00");
        // Sortable and plain headers line up.
        expect(Math.abs(layout.labelOffsets[0]! - layout.labelOffsets[1]!)).toBeLessThanOrEqual(1);
        expect(Math.abs(layout.labelTops[0]! - layout.labelTops[1]!)).toBeLessThanOrEqual(2);
        // The page is not capped at 72 rem: the table uses the width.
        const tableWidth = await page.locator("table.loans-table").evaluate((el) => el.getBoundingClientRect().width);
        expect(tableWidth).toBeGreaterThan(width - 80);

        await noOverflow(page, `${width} px list`);
        expect(await axeViolations(page)).toEqual([]);
        expect(pageErrors).toEqual([]);
      } finally {
        await close();
      }
    });
  }

  it("offers only the actions valid for each status (decided rows: view and history)", async () => {
    const { page, close } = await openList(1440);
    try {
      const actions = (loan: CreatedLoan | Loan) => row(page, loan.full_name).locator("button, a").allInnerTexts();
      expect(await actions(pending)).toEqual(["Aprobar", "Rechazar", "Ver"]);
      expect(await actions(approved)).toEqual(["Ver", "Historial"]);
      expect(await actions(rejected)).toEqual(["Ver", "Historial"]);
      expect(await row(page, approved.full_name).getByRole("button").count()).toBe(0);
    } finally {
      await close();
    }
  });
});

describe("the list on tablets and phones", () => {
  for (const width of WIDTHS.filter((w) => w < 1000)) {
    it(`${width} px: readable cards with every value, no horizontal overflow, sort available`, async () => {
      const { page, pageErrors, close } = await openList(width);
      try {
        const card = row(page, LONG_NAME);
        await card.waitFor();
        // Everything of the request is on its card, long values wrapped rather than cut or pushed off.
        const text = await card.innerText();
        for (const value of [
          LONG_NAME,
          LONG_EMAIL,
          "$\u00a03.750.000,00",
          STATUS_LABELS.pending,
          "Aprobar",
          "Rechazar",
          "Ver",
        ])
          expect(text.replace(/\n/g, "")).toContain(value);
        const box = (await card.boundingBox())!;
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(width);
        expect(await page.getByRole("combobox", { name: "Ordenar por" }).isVisible()).toBe(true);
        // The long request may already be first, so wait for the sorted page itself and for the table
        // to settle: its rows are dimmed while a page loads, and axe below checks the settled list.
        const sorted = page.waitForResponse((response) => response.url().includes("ordering=-amount"));
        await page.getByRole("combobox", { name: "Ordenar por" }).selectOption("-amount");
        await sorted;
        await eventually(async () => {
          expect(await page.getByRole("table").getAttribute("aria-busy")).not.toBe("true");
          expect((await page.getByRole("table").getByRole("rowheader").allInnerTexts())[0]).toBe(LONG_NAME);
        });
        await noOverflow(page, `${width} px list`);
        expect(await axeViolations(page)).toEqual([]);
        expect(pageErrors).toEqual([]);
      } finally {
        await close();
      }
    });
  }
});

describe("the detail page", () => {
  it("shows every field, the decision and its reason; decided requests are read-only", async () => {
    const { page, pageErrors, close } = await openList(1280);
    try {
      await row(page, rejected.full_name)
        .getByRole("link", { name: `Ver solicitud de ${rejected.full_name}` })
        .click();
      await page.getByRole("heading", { level: 1, name: `Solicitud N.º ${rejected.id}` }).waitFor();
      expect(await page.title()).toBe(`Solicitud ${rejected.id} — Préstamos por internet`);
      const data = await page.getByRole("region", { name: "Datos de la solicitud" }).innerText();
      for (const value of [rejected.full_name, rejected.dni, "Femenino", rejected.email, "$\u00a02.400.000,00"])
        expect(data).toContain(value);
      const decision = await page.getByRole("region", { name: "Decisión" }).innerText();
      expect(decision).toContain(STATUS_LABELS.rejected);
      expect(decision).toContain("Ingresos insuficientes para el monto pedido.");
      expect(decision).toContain(target.staff.username);
      expect(await page.getByText("Esta solicitud ya fue decidida: sus datos no se pueden modificar.").count()).toBe(1);
      for (const name of ["Aprobar", "Rechazar", "Editar", "Eliminar"])
        expect(await page.getByRole("button", { name, exact: true }).count()).toBe(0);
      await page.getByRole("region", { name: "Historial" }).waitFor();
      await page.waitForLoadState("networkidle");
      expect(await axeViolations(page)).toEqual([]);

      // Back to the list it came from.
      await page.getByRole("link", { name: "← Volver a las solicitudes" }).click();
      await row(page, pending.full_name).waitFor();
      expect(new URL(page.url()).searchParams.get("search")).toBe(tag);
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });

  it("at 375 px shows long values whole, without horizontal overflow", async () => {
    const { page, close } = await openList(375);
    try {
      await page.goto(`/staff/loans/${long.id}`);
      await page.getByRole("heading", { level: 1, name: `Solicitud N.º ${long.id}` }).waitFor();
      const data = await page.getByRole("region", { name: "Datos de la solicitud" }).innerText();
      expect(data.replace(/\n/g, "")).toContain(LONG_EMAIL);
      await noOverflow(page, "375 px detail");
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await close();
    }
  });

  it("renders a history in the contract's shape: entries oldest first, masked changes, actor and reason", async () => {
    const { page, close } = await openList(768);
    try {
      // The answer of contract 2, served in the browser: this checks the page, whatever the backend is.
      const results = [
        { id: 1, at: "2026-03-02T12:41:00Z", actor: null, action: "created", changes: {}, reason: null },
        {
          id: 2,
          at: "2026-03-02T13:05:00Z",
          actor: "analista",
          action: "edited",
          changes: {
            email: { from: "r***@example.com", to: "m***@example.com" },
            amount: { from: "2500000.00", to: "2400000.00" },
          },
          reason: null,
        },
        {
          id: 3,
          at: "2026-03-02T13:20:00Z",
          actor: "analista",
          action: "rejected",
          changes: { status: { from: "pending", to: "rejected" } },
          reason: "Ingresos insuficientes para el monto pedido.",
        },
      ];
      await page.route(`**/api/loans/${rejected.id}/history/`, (route) =>
        route.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify({ results }) }),
      );
      await page.goto(`/staff/loans/${rejected.id}#historial`);
      const heading = page.getByRole("heading", { level: 2, name: "Historial" });
      await eventually(async () => expect(await hasFocus(heading)).toBe(true));
      const entries = await page
        .getByRole("region", { name: "Historial" })
        .locator("li.history__entry")
        .allInnerTexts();
      expect(entries.map((entry) => entry.split("\n")[0])).toEqual(["Solicitud creada", "Datos editados", "Rechazada"]);
      expect(entries[0]).toContain("Sistema");
      expect(entries[1]).toContain("Correo electrónico: r***@example.com → m***@example.com");
      expect(entries[1]).toContain("Monto (ARS): $\u00a02.500.000,00 → $\u00a02.400.000,00");
      expect(entries[2]).toContain("Estado: En revisión → Rechazada");
      expect(entries[2]).toContain("Motivo: Ingresos insuficientes para el monto pedido.");
      await noOverflow(page, "768 px history");
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await close();
    }
  });

  // Needs the backend branch (contract 2: GET /api/loans/{id}/history/).
  it("shows the audit history from GET /api/loans/{id}/history/: who did what, when, and the reason", async () => {
    const { page, close } = await openList(1280);
    try {
      const history = page.waitForResponse((r) => new URL(r.url()).pathname === `/api/loans/${rejected.id}/history/`);
      await row(page, rejected.full_name)
        .getByRole("link", { name: `Historial de la solicitud de ${rejected.full_name}` })
        .click();
      expect((await history).status()).toBe(200);
      const heading = page.getByRole("heading", { level: 2, name: "Historial" });
      await eventually(async () => expect(await hasFocus(heading)).toBe(true));
      const region = page.getByRole("region", { name: "Historial" });
      const entries = await region.locator("li.history__entry").allInnerTexts();
      expect(entries.length).toBeGreaterThanOrEqual(2);
      expect(entries[0]).toContain("Solicitud creada");
      const rejection = entries.find((entry) => entry.startsWith("Rechazada"));
      expect(rejection).toContain(target.staff.username);
      expect(rejection).toContain("Ingresos insuficientes para el monto pedido.");
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe("the edit dialog", () => {
  it("prefills the amount the es-AR way, asks before discarding on Escape, and keeps long names to one line on a phone", async () => {
    const { page, pageErrors, close } = await openList(375);
    try {
      await page.goto(`/staff/loans/${long.id}`);
      await page.getByRole("button", { name: "Editar", exact: true }).click();
      const dialog = page.getByRole("dialog", { name: "Editar solicitud" });
      await dialog.waitFor();
      expect(await dialog.getByRole("textbox", { name: "Monto (ARS)" }).inputValue()).toBe("3.750.000,00");
      expect(await dialog.getByText(/^Entre \$\s10\.000,00 y \$\s5\.000\.000,00/).count()).toBe(1);

      // The title is one line; the long name under it too (cut, and whole in the field below).
      for (const locator of [
        dialog.getByRole("heading", { level: 2, name: "Editar solicitud" }),
        dialog.locator(".dialog__subtitle"),
      ]) {
        const lines = await locator.evaluate((el) =>
          Math.round(el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight)),
        );
        expect(lines).toBe(1);
      }
      expect(await dialog.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
      expect(await axeViolations(page)).toEqual([]);

      // Escape with a change asks first; "Seguir editando" keeps the change.
      const email = dialog.getByRole("textbox", { name: "Correo electrónico" });
      await email.fill("otro@example.com");
      await page.keyboard.press("Escape");
      const question = dialog.getByRole("group", { name: "¿Descartar los cambios?" });
      await question.waitFor();
      expect(await dialog.isVisible()).toBe(true);
      expect(await axeViolations(page)).toEqual([]);
      await question.getByRole("button", { name: "Seguir editando" }).click();
      expect(await email.inputValue()).toBe("otro@example.com");
      await page.keyboard.press("Escape");
      await question.getByRole("button", { name: "Descartar cambios" }).click();
      await dialog.waitFor({ state: "detached" });
      expect((await staff.findByDni(long.dni))?.email).toBe(LONG_EMAIL);

      // Escape without changes closes at once.
      await page.getByRole("button", { name: "Editar", exact: true }).click();
      await dialog.waitFor();
      await page.keyboard.press("Escape");
      await dialog.waitFor({ state: "detached" });
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });

  it("saves only what changed, with the amount typed the es-AR way", async () => {
    const editable = await createLoan(target.baseUrl, {
      full_name: `Edita Monto ${tag}`,
      dni: uniqueDni(),
      gender: "M",
      email: `edita.${tag.toLowerCase()}@example.com`,
      amount: "2600000.00",
    });
    const { page, close } = await openList(1280);
    try {
      await page.goto(`/staff/loans/${editable.id}`);
      await page.getByRole("button", { name: "Editar", exact: true }).click();
      const dialog = page.getByRole("dialog", { name: "Editar solicitud" });
      await dialog.getByRole("textbox", { name: "Monto (ARS)" }).fill("2.650.000,50");
      const patch = page.waitForRequest((r) => r.method() === "PATCH");
      await dialog.getByRole("button", { name: "Guardar cambios" }).click();
      expect((await patch).postDataJSON()).toEqual({ amount: "2650000.50" });
      await page
        .getByRole("status")
        .filter({ hasText: `Se guardaron los cambios de la solicitud de ${editable.full_name}.` })
        .waitFor();
      expect((await staff.findByDni(editable.dni))?.amount).toBe("2650000.50");
    } finally {
      await close();
    }
  });
});

describe("requests decided meanwhile (contract 3)", () => {
  it("approving a request another analyst has just rejected shows the server's 409 in the dialog", async () => {
    const loan = await createLoan(target.baseUrl, {
      full_name: `Carrera Aprobar ${tag}`,
      dni: uniqueDni(),
      gender: "F",
      email: `carrera.${tag.toLowerCase()}@example.com`,
      amount: "2700000.00",
    });
    const { page, close } = await openList(1280, `?search=${encodeURIComponent(loan.full_name)}`);
    try {
      await row(page, loan.full_name)
        .getByRole("button", { name: `Aprobar solicitud de ${loan.full_name}` })
        .click();
      const dialog = page.getByRole("dialog", { name: "Aprobar solicitud" });
      expect((await staff.request("POST", `/api/loans/${loan.id}/reject/`, {})).status).toBe(200);
      const answer = page.waitForResponse(
        (r) => r.request().method() === "POST" && new URL(r.url()).pathname === `/api/loans/${loan.id}/approve/`,
      );
      await dialog.getByRole("button", { name: "Aprobar", exact: true }).click();
      expect((await answer).status()).toBe(409);
      const alert = dialog.getByRole("alert");
      await alert.waitFor();
      expect((await alert.innerText()).trim().length).toBeGreaterThan(0);
      expect((await staff.findByDni(loan.dni))?.status).toBe("rejected");
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await close();
    }
  });

  // Needs the backend branch (contract 3: PATCH on a decided request answers 409).
  it("saving an edit of a request decided meanwhile shows the server's 409 and keeps what was typed", async () => {
    const loan = await createLoan(target.baseUrl, {
      full_name: `Carrera Editar ${tag}`,
      dni: uniqueDni(),
      gender: "M",
      email: `carrera.editar.${tag.toLowerCase()}@example.com`,
      amount: "2800000.00",
    });
    const { page, close } = await openList(1280);
    try {
      await page.goto(`/staff/loans/${loan.id}`);
      await page.getByRole("button", { name: "Editar", exact: true }).click();
      const dialog = page.getByRole("dialog", { name: "Editar solicitud" });
      await dialog.getByRole("textbox", { name: "Nombre completo" }).fill(`${loan.full_name} Jr.`);
      expect((await staff.request("POST", `/api/loans/${loan.id}/approve/`, {})).status).toBe(200);
      const answer = page.waitForResponse((r) => r.request().method() === "PATCH");
      await dialog.getByRole("button", { name: "Guardar cambios" }).click();
      expect((await answer).status()).toBe(409);
      await dialog.getByRole("alert").filter({ hasText: "No pudimos guardar los cambios" }).waitFor();
      expect(await dialog.getByRole("textbox", { name: "Nombre completo" }).inputValue()).toBe(`${loan.full_name} Jr.`);
      expect((await staff.findByDni(loan.dni))?.full_name).toBe(loan.full_name);
    } finally {
      await close();
    }
  });
});

describe("loading feedback and copy", () => {
  it("the first load says it is loading, without a page count yet", async () => {
    const { page, close } = await openList(1280);
    try {
      const release = await holdRequests(page, /\/api\/loans\/\?/);
      await page.reload();
      await page.getByText("Cargando solicitudes…").waitFor();
      expect(await page.getByRole("navigation", { name: "Paginación" }).count()).toBe(0);
      expect(await page.getByText(/Página \d+ de \d+/).count()).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      release();
      await page.getByText(/^Mostrando 1–10 de \d+ solicitudes\.$/).waitFor();
      expect(await page.getByText("Página 1 de 2").count()).toBe(1);
    } finally {
      await close();
    }
  });

  it("a page change says what is loading, then moves focus (and the view) to the new page's summary", async () => {
    const { page, close } = await openList(1280);
    try {
      const first = page.getByText(/^Mostrando 1–10 de \d+ solicitudes\.$/);
      await first.waitFor();
      const total = Number(/de (\d+)/.exec(await first.innerText())![1]);
      expect(total).toBeGreaterThan(10);
      expect(total).toBeLessThanOrEqual(20);
      const release = await holdRequests(page, /\/api\/loans\/\?.*page=2/);
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await page.getByRole("button", { name: "Siguiente" }).click();
      await page.getByText("Cargando la página 2…").waitFor();
      expect(await page.getByText(/^Mostrando/).count()).toBe(0);
      expect(await page.getByText("Página 2 de 2").count()).toBe(1);
      expect(await page.locator("table[aria-busy='true']").count()).toBe(1);
      release();
      const summary = page.getByText(`Mostrando 11–${total} de ${total} solicitudes.`);
      await summary.waitFor();
      await eventually(async () => expect(await hasFocus(summary)).toBe(true));
      const top = await summary.evaluate((el) => el.getBoundingClientRect().top);
      expect(top).toBeGreaterThanOrEqual(0);
      expect(top).toBeLessThan(800);
    } finally {
      await close();
    }
  });

  it("after a failed page load, Reintentar asks for that page again", async () => {
    const { page, close } = await openList(1280);
    try {
      await page.route(
        /\/api\/loans\/\?.*page=2/,
        (route) => route.fulfill({ status: 502, contentType: "text/html", body: "<h1>Bad Gateway</h1>" }),
        { times: 1 },
      );
      await page.getByRole("button", { name: "Siguiente" }).click();
      const alert = page.getByRole("alert").filter({ hasText: "Ocurrió un error en el servidor" });
      await alert.waitFor();
      expect(await page.getByRole("navigation", { name: "Paginación" }).count()).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      const retried = page.waitForResponse(
        (r) => new URL(r.url()).searchParams.get("page") === "2" && r.status() === 200,
      );
      await alert.getByRole("button", { name: "Reintentar" }).click();
      await retried;
      await page.getByText(/^Mostrando 11–\d+ de \d+ solicitudes\.$/).waitFor();
    } finally {
      await close();
    }
  });

  it("the detail page and its actions show progress at once on a slow network", async () => {
    const { page, close } = await openList(1280);
    try {
      const release = await holdRequests(page, `**/api/loans/${pending.id}/`);
      await row(page, pending.full_name)
        .getByRole("link", { name: `Ver solicitud de ${pending.full_name}` })
        .click();
      await page.getByRole("status").filter({ hasText: "Cargando la solicitud…" }).waitFor();
      release();
      await page.getByRole("heading", { level: 1, name: `Solicitud N.º ${pending.id}` }).waitFor();
      await page.getByRole("region", { name: "Historial" }).waitFor();
      expect(await axeViolations(page)).toEqual([]);

      await page.unrouteAll();
      const releaseReject = await holdRequests(page, `**/api/loans/${pending.id}/reject/`);
      await page.getByRole("button", { name: "Rechazar", exact: true }).click();
      const dialog = page.getByRole("dialog", { name: "Rechazar solicitud" });
      expect(await axeViolations(page)).toEqual([]);
      await dialog.getByRole("button", { name: "Rechazar", exact: true }).click();
      await dialog.getByRole("button", { name: "Rechazando…" }).waitFor();
      releaseReject();
      await page
        .getByRole("status")
        .filter({ hasText: `Se rechazó la solicitud de ${pending.full_name}.` })
        .waitFor();
      await page.getByText("Esta solicitud ya fue decidida: sus datos no se pueden modificar.").waitFor();
    } finally {
      await close();
    }
  });

  it("one result reads «1 solicitud.»; an empty search says so, offers «Limpiar búsqueda» and no pagination", async () => {
    const { page, close } = await openList(1280, `?search=${encodeURIComponent(approved.full_name)}`);
    try {
      await page.getByText("1 solicitud.", { exact: true }).waitFor();
      await page.getByRole("searchbox", { name: "Buscar" }).fill(`zzz${tag}`);
      await page.getByText(`No hay solicitudes que coincidan con «zzz${tag}».`).waitFor();
      expect(await page.getByRole("navigation", { name: "Paginación" }).count()).toBe(0);
      expect(await page.getByRole("table").count()).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      await page.getByRole("button", { name: "Limpiar búsqueda" }).click();
      await page.getByRole("table").getByRole("rowheader").first().waitFor();
      expect(await page.getByRole("searchbox", { name: "Buscar" }).inputValue()).toBe("");
    } finally {
      await close();
    }
  });
});
