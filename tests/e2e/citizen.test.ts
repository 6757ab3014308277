/**
 * The public form "/": a person asks for a loan and sees the decision; invalid input is
 * reported on the fields (client-side rules and the server's); keyboard only; 375 px wide.
 *
 * Decision rules (backend/loans/rules.py): amount ≤ LOAN_AUTO_APPROVAL_MAX_AMOUNT (1.000.000)
 * → approved; above → pending; one pending request per DNI (409 on a second one).
 */
import type { Browser, Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLoan, runTag, staffSession, uniqueDni } from "./support/api";
import type { ApiClient } from "../support/api-client";
import { launchBrowser, openPage, type TrackedPage } from "./support/browser";
import { startTarget, type Target } from "./support/target";
import {
  DECISION_TITLES,
  FIELD,
  SUBMIT_LOAN,
  decisionRegion,
  elementsOutsideViewport,
  eventually,
  fieldState,
  fillLoanForm,
  horizontalOverflow,
  textbox,
} from "./support/ui";

let target: Target;
let browser: Browser;
let staff: ApiClient;
const tag = runTag();

beforeAll(async () => {
  target = await startTarget();
  browser = await launchBrowser();
  staff = await staffSession(target.baseUrl, target.staff);
});

afterAll(async () => {
  await browser?.close();
  await target?.stop();
});

/** Opens "/" and waits for the form. */
async function openForm(options: { width?: number; height?: number } = {}): Promise<TrackedPage> {
  const tracked = await openPage(browser, target.baseUrl, options);
  await tracked.page.goto("/");
  await tracked.page.getByRole("heading", { name: "Pedí tu préstamo por internet" }).waitFor();
  return tracked;
}

/** Counts POST /api/loans/ requests the page sends. */
function countLoanPosts(page: Page): { count: () => number } {
  let count = 0;
  page.on("request", (request: Request) => {
    if (request.method() === "POST" && new URL(request.url()).pathname === "/api/loans/") count += 1;
  });
  return { count: () => count };
}

describe("public loan request form", () => {
  it("a citizen submits a valid request and sees the decision", async () => {
    const { page, pageErrors, close } = await openForm();
    try {
      const dni = uniqueDni();
      const fullName = `Ana Valid ${tag}`;
      // Argentine notation, as people type it; ≤ 1.000.000 → approved by the rules engine.
      await fillLoanForm(page, { full_name: fullName, dni, gender: "F", email: "ana.valid@example.com", amount: "150.000,50" });
      const response = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/api/loans/");
      await page.getByRole("button", { name: SUBMIT_LOAN }).click();
      expect((await response).status()).toBe(201);

      const decision = decisionRegion(page);
      await decision.waitFor();
      expect(await decision.getAttribute("data-status")).toBe("approved");
      const heading = page.getByRole("heading", { level: 2, name: DECISION_TITLES.approved });
      await heading.waitFor();
      // The decision heading takes focus, so screen readers announce it.
      await eventually(async () => expect(await heading.evaluate((el) => el === document.activeElement)).toBe(true));
      const details = await decision.innerText();
      expect(details).toContain("Monto solicitado");
      expect(details.replace(/\s/g, " ")).toMatch(/\$\s150\.000,50/);

      // What the page shows is what was stored.
      const stored = await staff.findByDni(dni);
      expect(stored).toMatchObject({ full_name: fullName, dni, gender: "F", amount: "150000.50", status: "approved" });
      expect(details).toContain(String(stored!.id));

      // "Hacer una nueva solicitud" brings back an empty form with focus on the first field.
      await page.getByRole("button", { name: "Hacer una nueva solicitud" }).click();
      const name = textbox(page, FIELD.full_name);
      await name.waitFor();
      expect(await name.inputValue()).toBe("");
      await eventually(async () => expect(await name.evaluate((el) => el === document.activeElement)).toBe(true));
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });

  it("an amount above the automatic-approval limit is left pending for review", async () => {
    const { page, close } = await openForm();
    try {
      await fillLoanForm(page, { full_name: `Pablo Pending ${tag}`, dni: uniqueDni(), gender: "M", email: "pablo@example.com", amount: "2500000" });
      await page.getByRole("button", { name: SUBMIT_LOAN }).click();
      await page.getByRole("heading", { level: 2, name: DECISION_TITLES.pending }).waitFor();
      expect(await decisionRegion(page).getAttribute("data-status")).toBe("pending");
    } finally {
      await close();
    }
  });

  it("client-side validation marks every invalid field and sends nothing", async () => {
    const { page, pageErrors, close } = await openForm();
    const posts = countLoanPosts(page);
    try {
      // Empty form.
      await page.getByRole("button", { name: SUBMIT_LOAN }).click();
      const summary = page.getByRole("alert").filter({ hasText: "Revisá los datos marcados" });
      await summary.waitFor();
      expect(await fieldState(textbox(page, FIELD.full_name))).toEqual({ invalid: true, error: "Ingresá tu nombre completo." });
      expect(await fieldState(textbox(page, FIELD.dni))).toEqual({ invalid: true, error: "Ingresá tu DNI." });
      expect(await fieldState(page.getByRole("radio", { name: "Femenino" }))).toEqual({ invalid: true, error: "Elegí una opción de género." });
      expect(await fieldState(textbox(page, FIELD.email))).toEqual({ invalid: true, error: "Ingresá tu email." });
      expect(await fieldState(textbox(page, FIELD.amount))).toEqual({ invalid: true, error: "Ingresá el monto que necesitás." });
      // Focus goes to the first invalid field.
      await eventually(async () => expect(await textbox(page, FIELD.full_name).evaluate((el) => el === document.activeElement)).toBe(true));

      // Wrong values.
      await fillLoanForm(page, { full_name: "Al", dni: "12.34", gender: "X", email: "no-es-un-email", amount: "9999" });
      await page.getByRole("button", { name: SUBMIT_LOAN }).click();
      await eventually(async () => expect((await fieldState(textbox(page, FIELD.dni))).invalid).toBe(true));
      expect((await fieldState(textbox(page, FIELD.full_name))).error).toBe("El nombre debe tener al menos 3 caracteres.");
      expect((await fieldState(textbox(page, FIELD.dni))).error).toBe("El DNI debe tener 7 u 8 dígitos, sin puntos.");
      expect((await fieldState(textbox(page, FIELD.email))).error).toBe("Ingresá un email válido, por ejemplo nombre@dominio.com.");
      expect((await fieldState(textbox(page, FIELD.amount))).error).toMatch(/^El monto mínimo es \$\s10\.000,00\.$/);
      expect((await fieldState(page.getByRole("radio", { name: "No binario (X)" }))).invalid).toBe(false);
      // The summary links each problem to its field.
      await summary.getByRole("link", { name: /^DNI:/ }).click();
      await eventually(async () => expect(await textbox(page, FIELD.dni).evaluate((el) => el === document.activeElement)).toBe(true));

      // Editing a field clears its error.
      await textbox(page, FIELD.dni).fill("30123456");
      expect(await fieldState(textbox(page, FIELD.dni))).toEqual({ invalid: false, error: "" });

      expect(posts.count()).toBe(0);
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });

  it("server-side errors (duplicate open request, stricter email check) appear on the fields", async () => {
    // A DNI with a pending request: the server answers 409 and nothing is written.
    const dni = uniqueDni();
    await createLoan(target.baseUrl, { full_name: `Primera ${tag}`, dni, gender: "F", email: "primera@example.com", amount: "3000000.00" });

    const { page, pageErrors, close } = await openForm();
    const posts = countLoanPosts(page);
    try {
      const typed = { full_name: `Segunda ${tag}`, dni, gender: "F" as const, email: "segunda@example.com", amount: "50000" };
      await fillLoanForm(page, typed);
      const response = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/api/loans/");
      await page.getByRole("button", { name: SUBMIT_LOAN }).click();
      const answer = await response;
      expect(answer.status()).toBe(409);
      const body = (await answer.json()) as { errors: Record<string, string[]> };
      const dniField = textbox(page, FIELD.dni);
      if (body.errors.dni) {
        // Tied to the DNI field: shown there, and the field takes focus.
        await eventually(async () => expect((await fieldState(dniField)).invalid).toBe(true));
        expect((await fieldState(dniField)).error).toBe(body.errors.dni.join(" "));
        await eventually(async () => expect(await dniField.evaluate((el) => el === document.activeElement)).toBe(true));
      } else {
        // The backend answers it as a non-field error ("__all__"): shown in the summary above the form.
        const messages = Object.values(body.errors).flat();
        expect(messages.join(" ")).toMatch(/DNI/);
        const summary = page.getByRole("alert").filter({ hasText: "No pudimos enviar la solicitud" });
        await summary.waitFor();
        for (const message of messages) expect(await summary.innerText()).toContain(message);
      }
      // What the person typed is kept.
      expect(await textbox(page, FIELD.full_name).inputValue()).toBe(typed.full_name);
      expect(await textbox(page, FIELD.amount).inputValue()).toBe(typed.amount);
      expect(await decisionRegion(page).count()).toBe(0);

      // An address the client's pragmatic check lets through but Django's validator refuses
      // (one-letter top-level domain): the server's message is shown on the email field.
      await textbox(page, FIELD.dni).fill(uniqueDni());
      await textbox(page, FIELD.email).fill("segunda@dominio.c");
      const second = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/api/loans/");
      await page.getByRole("button", { name: SUBMIT_LOAN }).click();
      const secondAnswer = await second;
      expect(secondAnswer.status()).toBe(400);
      const secondBody = (await secondAnswer.json()) as { errors: Record<string, string[]> };
      expect(Object.keys(secondBody.errors)).toEqual(["email"]);
      const emailField = textbox(page, FIELD.email);
      await eventually(async () => expect((await fieldState(emailField)).invalid).toBe(true));
      expect((await fieldState(emailField)).error).toBe(secondBody.errors.email!.join(" "));
      expect((await fieldState(textbox(page, FIELD.dni))).invalid).toBe(false);

      expect(posts.count()).toBe(2);
      // Nothing was stored for the second person.
      const stored = await staff.findByDni(dni);
      expect(stored?.full_name).toBe(`Primera ${tag}`);
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });

  it("bypassing the client rules, the server still refuses invalid data field by field", async () => {
    const { page, close } = await openForm();
    try {
      // Rewrite the body the page sends (as a hand-made request would) to values the form never sends.
      await page.route("**/api/loans/", async (route) => {
        if (route.request().method() !== "POST") return route.continue();
        const body = JSON.parse(route.request().postData() ?? "{}") as Record<string, unknown>;
        await route.continue({ postData: JSON.stringify({ ...body, dni: "1234", amount: "99999999.999", gender: "Q" }) });
      });
      await fillLoanForm(page, { full_name: `Bypass ${tag}`, dni: uniqueDni(), gender: "F", email: "bypass@example.com", amount: "20000" });
      const response = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/api/loans/");
      await page.getByRole("button", { name: SUBMIT_LOAN }).click();
      expect((await response).status()).toBe(400);
      await eventually(async () => expect((await fieldState(textbox(page, FIELD.dni))).invalid).toBe(true));
      expect((await fieldState(textbox(page, FIELD.dni))).error).toMatch(/DNI/);
      expect((await fieldState(textbox(page, FIELD.amount))).error).toMatch(/monto/i);
      expect((await fieldState(page.getByRole("radio", { name: "Femenino" }))).error).toMatch(/género/i);
      expect((await fieldState(textbox(page, FIELD.full_name))).invalid).toBe(false);
    } finally {
      await close();
    }
  });

  it("works with the keyboard only (Tab, typing, arrows, Enter)", async () => {
    const { page, pageErrors, close } = await openForm();
    try {
      const focusedName = () =>
        page.evaluate(() => {
          const el = document.activeElement as HTMLInputElement | null;
          return el ? `${el.tagName.toLowerCase()}#${el.id}` : "";
        });
      // Tab from the top of the page until the first field has focus.
      let steps = 0;
      while ((await focusedName()) !== "input#loan-full_name") {
        await page.keyboard.press("Tab");
        steps += 1;
        if (steps > 15) throw new Error(`the name field was not reached with Tab (focus on ${await focusedName()})`);
      }
      const dni = uniqueDni();
      await page.keyboard.type(`Teclado ${tag}`);
      await page.keyboard.press("Tab");
      expect(await focusedName()).toBe("input#loan-dni");
      await page.keyboard.type(dni);
      await page.keyboard.press("Tab");
      expect(await focusedName()).toBe("input#loan-gender-F");
      await page.keyboard.press("Space"); // Femenino
      await page.keyboard.press("ArrowRight"); // → Masculino (arrows move and select)
      expect(await page.getByRole("radio", { name: "Masculino" }).isChecked()).toBe(true);
      await page.keyboard.press("Tab");
      expect(await focusedName()).toBe("input#loan-email");
      await page.keyboard.type("teclado@example.com");
      await page.keyboard.press("Tab");
      expect(await focusedName()).toBe("input#loan-amount");
      await page.keyboard.type("75000");
      await page.keyboard.press("Enter"); // implicit submission of the form

      await page.getByRole("heading", { level: 2, name: DECISION_TITLES.approved }).waitFor();
      const stored = await staff.findByDni(dni);
      expect(stored).toMatchObject({ full_name: `Teclado ${tag}`, gender: "M", email: "teclado@example.com", amount: "75000.00" });

      // The decision's button works with Enter too, and focus returns to the first field.
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Hacer una nueva solicitud");
      await page.keyboard.press("Enter");
      await eventually(async () => expect(await focusedName()).toBe("input#loan-full_name"));
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });

  it("does not overflow horizontally at 375 px (form, errors, decision)", async () => {
    const { page, close } = await openForm({ width: 375, height: 812 });
    try {
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      expect(await elementsOutsideViewport(page)).toEqual([]);

      // With every error message shown.
      await page.getByRole("button", { name: SUBMIT_LOAN }).click();
      await page.getByRole("alert").filter({ hasText: "Revisá los datos marcados" }).waitFor();
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      expect(await elementsOutsideViewport(page)).toEqual([]);

      // Inputs use the width available.
      const box = await textbox(page, FIELD.email).boundingBox();
      expect(box).not.toBeNull();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(375);

      // With a long name and the decision.
      await fillLoanForm(page, {
        full_name: `Maximiliana Bartolomea de los Santos Inocentes ${tag}`,
        dni: uniqueDni(),
        gender: "X",
        email: "maximiliana.bartolomea.delossantos@example.com",
        amount: "999.999,99",
      });
      await page.getByRole("button", { name: SUBMIT_LOAN }).click();
      await decisionRegion(page).waitFor();
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      expect(await elementsOutsideViewport(page)).toEqual([]);

      // The staff login page too.
      await page.goto("/staff/login");
      await page.getByRole("heading", { name: "Ingreso del personal" }).waitFor();
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      expect(await elementsOutsideViewport(page)).toEqual([]);
    } finally {
      await close();
    }
  });
});
