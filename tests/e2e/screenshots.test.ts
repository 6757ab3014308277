/**
 * Screenshots for the README (docs/images/, 1280×800): the public form, a decision and the
 * staff dashboard, on a stack of their own seeded with fixed data. Written to docs/images/
 * only with UPDATE_SCREENSHOTS=1, otherwise to reports/screenshots/ (see support/screenshots.ts).
 *
 * The data is real (created through the API and the form); only the timestamps the pages
 * display are pinned — the JSON answers reaching the browser get fixed created_at/updated_at/
 * reviewed_at values per seeded person — so that the images do not change from run to run.
 */
import { existsSync, statSync } from "node:fs";
import type { Browser, Page, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLoan, staffSession, uniqueDni, type Loan, type LoanInput } from "./support/api";
import { launchBrowser, openPage } from "./support/browser";
import { saveScreenshot } from "./support/screenshots";
import { startTarget, type Target } from "./support/target";
import { DECISION_TITLES, SUBMIT_LOAN, fillLoanForm, textbox } from "./support/ui";

let target: Target;
let browser: Browser;

/** Seeded oldest first (the dashboard lists newest first); `shownAt` is the pinned timestamp. */
const SEED: Array<LoanInput & { shownAt: string; review?: "approve" | "reject" }> = [
  {
    full_name: "Lucía Fernández",
    dni: "27345678",
    gender: "F",
    email: "lucia.fernandez@example.com",
    amount: "850000.00",
    shownAt: "2026-03-02T12:05:00Z",
  },
  {
    full_name: "Martín Gómez",
    dni: "31456789",
    gender: "M",
    email: "martin.gomez@example.com",
    amount: "2400000.00",
    shownAt: "2026-03-02T12:41:00Z",
    review: "reject",
  },
  {
    full_name: "Sofía Rodríguez",
    dni: "35123987",
    gender: "F",
    email: "sofia.rodriguez@example.com",
    amount: "120000.00",
    shownAt: "2026-03-02T13:17:00Z",
  },
  {
    full_name: "Alex Benítez",
    dni: "40998877",
    gender: "X",
    email: "alex.benitez@example.com",
    amount: "3750000.00",
    shownAt: "2026-03-02T14:02:00Z",
  },
  {
    full_name: "Carlos Pereyra",
    dni: "22876543",
    gender: "M",
    email: "carlos.pereyra@example.com",
    amount: "1800000.00",
    shownAt: "2026-03-02T14:48:00Z",
    review: "approve",
  },
  {
    full_name: "Valentina Acosta",
    dni: "38765432",
    gender: "F",
    email: "valentina.acosta@example.com",
    amount: "450000.50",
    shownAt: "2026-03-02T15:26:00Z",
  },
  {
    full_name: "Julián Medina",
    dni: "29654321",
    gender: "M",
    email: "julian.medina@example.com",
    amount: "5000000.00",
    shownAt: "2026-03-02T16:10:00Z",
  },
];
const DECISION_PERSON = {
  full_name: "Camila Suárez",
  gender: "F" as const,
  email: "camila.suarez@example.com",
  amount: "350.000",
  shownAt: "2026-03-02T16:35:00Z",
};

const shownAtByName = new Map<string, string>([
  ...SEED.map((s) => [s.full_name, s.shownAt] as const),
  [DECISION_PERSON.full_name, DECISION_PERSON.shownAt],
]);

function pinTimestamps(loan: Loan): Loan {
  const at = shownAtByName.get(loan.full_name);
  if (!at) return loan;
  const reviewedAt = new Date(Date.parse(at) + 25 * 60_000).toISOString();
  return {
    ...loan,
    created_at: at,
    updated_at: loan.reviewed_at ? reviewedAt : at,
    reviewed_at: loan.reviewed_at ? reviewedAt : null,
  };
}

/** Passes loan JSON answers through, with the pinned timestamps. */
async function pinLoanAnswers(page: Page): Promise<void> {
  await page.route(/\/api\/loans\/(\?.*)?$/, async (route: Route) => {
    const response = await route.fetch();
    const type = response.headers()["content-type"] ?? "";
    if (!type.startsWith("application/json") || response.status() >= 300) return route.fulfill({ response });
    const body = (await response.json()) as Loan | { results: Loan[] };
    const pinned = "results" in body ? { ...body, results: body.results.map(pinTimestamps) } : pinTimestamps(body);
    await route.fulfill({ response, json: pinned });
  });
}

async function settle(page: Page): Promise<void> {
  // Focus moves (e.g. to the decision heading) may scroll: the images always show the top.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

beforeAll(async () => {
  target = await startTarget();
  browser = await launchBrowser();
  const staff = await staffSession(target.baseUrl, target.staff);
  for (const { shownAt: _shownAt, review, ...input } of SEED) {
    // A persistent E2E_BASE_URL stack may already hold these DNIs: use fresh ones there.
    const loan = await createLoan(target.baseUrl, target.external ? { ...input, dni: uniqueDni() } : input);
    if (review) {
      const answer = await staff.request(
        "POST",
        `/api/loans/${loan.id}/${review}/`,
        review === "reject" ? { reason: "Ingresos insuficientes para el monto pedido." } : {},
      );
      if (answer.status !== 200) throw new Error(`${review} → ${answer.status}: ${JSON.stringify(answer.body)}`);
    }
  }
});

afterAll(async () => {
  await browser?.close();
  await target?.stop();
});

describe("screenshots (1280×800)", () => {
  it("public-form.png and decision.png", async () => {
    const { page, pageErrors, close } = await openPage(browser, target.baseUrl, { width: 1280, height: 800 });
    try {
      await pinLoanAnswers(page);
      await page.goto("/");
      await page.getByRole("heading", { name: "Pedí tu préstamo por internet" }).waitFor();
      await fillLoanForm(page, { ...DECISION_PERSON, dni: target.external ? uniqueDni() : "33444555" });
      await textbox(page, "Nombre completo").focus();
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await settle(page);
      const form = await saveScreenshot(page, "public-form.png");

      await page.getByRole("button", { name: SUBMIT_LOAN }).click();
      await page.getByRole("heading", { level: 1, name: DECISION_TITLES.approved }).waitFor();
      await settle(page);
      const decision = await saveScreenshot(page, "decision.png");

      for (const file of [form, decision]) expect(existsSync(file) && statSync(file).size > 10_000, file).toBe(true);
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });

  it("staff-dashboard.png", async () => {
    const { page, pageErrors, close } = await openPage(browser, target.baseUrl, { width: 1280, height: 800 });
    try {
      await pinLoanAnswers(page);
      await page.goto("/staff/login");
      await textbox(page, "Usuario").fill(target.staff.username);
      await page.getByLabel("Contraseña", { exact: true }).fill(target.staff.password);
      await page.getByRole("button", { name: "Ingresar" }).click();
      await page.getByRole("heading", { level: 1, name: "Solicitudes" }).waitFor();
      await page.getByRole("rowheader", { name: SEED[0]!.full_name, exact: true }).waitFor();
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await settle(page);
      const file = await saveScreenshot(page, "staff-dashboard.png");
      expect(existsSync(file) && statSync(file).size > 10_000, file).toBe(true);
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });
});
