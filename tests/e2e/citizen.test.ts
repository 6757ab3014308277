/**
 * The public form "/": a person asks for a loan and sees the decision; invalid input is
 * reported on the fields (client-side rules and the server's); keyboard only; the decision
 * screen (heading, icon, tint, tab title, applicant wording) is kept in that tab across reload
 * and back/forward; one voice; the layout at 375, 768 and 1440 px; axe-core on every state.
 *
 * Decision rules (backend/loans/rules.py): a DNI rejected within the cooldown → rejected;
 * amount ≤ LOAN_AUTO_APPROVAL_MAX_AMOUNT (1.000.000) → approved; above → pending; one pending
 * request per DNI (409 on a second one).
 */
import type { Browser, Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLoan, runTag, staffSession, uniqueDni } from "./support/api";
import type { ApiClient, LoanDecision } from "../support/api-client";
import { axeViolations } from "./support/axe";
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
  hasFocus,
  horizontalOverflow,
  textbox,
  WIDTHS,
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
      await fillLoanForm(page, {
        full_name: fullName,
        dni,
        gender: "F",
        email: "ana.valid@example.com",
        amount: "150.000,50",
      });
      const response = page.waitForResponse(
        (r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/api/loans/",
      );
      await page.getByRole("button", { name: SUBMIT_LOAN }).click();
      expect((await response).status()).toBe(201);

      const decision = decisionRegion(page);
      await decision.waitFor();
      expect(await decision.getAttribute("data-status")).toBe("approved");
      const heading = page.getByRole("heading", { level: 1, name: DECISION_TITLES.approved });
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
      const dni = uniqueDni();
      await fillLoanForm(page, {
        full_name: `Pablo Pending ${tag}`,
        dni,
        gender: "M",
        email: "pablo@example.com",
        amount: "2500000",
      });
      await page.getByRole("button", { name: SUBMIT_LOAN }).click();
      await page.getByRole("heading", { level: 1, name: DECISION_TITLES.pending }).waitFor();
      expect(await decisionRegion(page).getAttribute("data-status")).toBe("pending");
      // The applicant reads an explanation for them, never the staff's internal reason.
      const stored = await staff.findByDni(dni);
      expect(stored?.decision_reason).toBeTruthy();
      expect(await decisionRegion(page).innerText()).not.toContain(stored!.decision_reason);
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
      expect(await fieldState(textbox(page, FIELD.full_name))).toEqual({
        invalid: true,
        error: "Ingresá tu nombre completo.",
      });
      expect(await fieldState(textbox(page, FIELD.dni))).toEqual({ invalid: true, error: "Ingresá tu DNI." });
      expect(await fieldState(page.getByRole("radio", { name: "Femenino" }))).toEqual({
        invalid: true,
        error: "Elegí una opción de género.",
      });
      expect(await fieldState(textbox(page, FIELD.email))).toEqual({
        invalid: true,
        error: "Ingresá tu correo electrónico.",
      });
      expect(await fieldState(textbox(page, FIELD.amount))).toEqual({
        invalid: true,
        error: "Ingresá el monto que necesitás.",
      });
      // Focus goes to the first invalid field.
      await eventually(async () =>
        expect(await textbox(page, FIELD.full_name).evaluate((el) => el === document.activeElement)).toBe(true),
      );

      // Wrong values.
      await fillLoanForm(page, { full_name: "Al", dni: "12.34", gender: "X", email: "no-es-un-email", amount: "9999" });
      await page.getByRole("button", { name: SUBMIT_LOAN }).click();
      await eventually(async () => expect((await fieldState(textbox(page, FIELD.dni))).invalid).toBe(true));
      expect((await fieldState(textbox(page, FIELD.full_name))).error).toBe(
        "El nombre debe tener al menos 3 caracteres.",
      );
      // "12.34": the dots are fine, the length is not — the message says so.
      expect((await fieldState(textbox(page, FIELD.dni))).error).toBe(
        "El DNI debe tener 7 u 8 dígitos (ingresaste 4).",
      );
      expect((await fieldState(textbox(page, FIELD.email))).error).toBe(
        "Ingresá un correo electrónico válido, por ejemplo nombre@dominio.com.",
      );
      expect((await fieldState(textbox(page, FIELD.amount))).error).toMatch(/^El monto mínimo es \$\s10\.000,00\.$/);
      expect((await fieldState(page.getByRole("radio", { name: "No binario (X)" }))).invalid).toBe(false);
      // The summary links each problem to its field.
      await summary.getByRole("link", { name: /^DNI:/ }).click();
      await eventually(async () =>
        expect(await textbox(page, FIELD.dni).evaluate((el) => el === document.activeElement)).toBe(true),
      );

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
    await createLoan(target.baseUrl, {
      full_name: `Primera ${tag}`,
      dni,
      gender: "F",
      email: "primera@example.com",
      amount: "3000000.00",
    });

    const { page, pageErrors, close } = await openForm();
    const posts = countLoanPosts(page);
    try {
      const typed = {
        full_name: `Segunda ${tag}`,
        dni,
        gender: "F" as const,
        email: "segunda@example.com",
        amount: "50000",
      };
      await fillLoanForm(page, typed);
      const response = page.waitForResponse(
        (r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/api/loans/",
      );
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
      const second = page.waitForResponse(
        (r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/api/loans/",
      );
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
        await route.continue({
          postData: JSON.stringify({ ...body, dni: "1234", amount: "99999999.999", gender: "Q" }),
        });
      });
      await fillLoanForm(page, {
        full_name: `Bypass ${tag}`,
        dni: uniqueDni(),
        gender: "F",
        email: "bypass@example.com",
        amount: "20000",
      });
      const response = page.waitForResponse(
        (r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/api/loans/",
      );
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

      await page.getByRole("heading", { level: 1, name: DECISION_TITLES.approved }).waitFor();
      const stored = await staff.findByDni(dni);
      expect(stored).toMatchObject({
        full_name: `Teclado ${tag}`,
        gender: "M",
        email: "teclado@example.com",
        amount: "75000.00",
      });

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
});

/** Fills and submits the form; resolves to the 201 body once the decision is shown. */
async function decide(page: Page, values: Parameters<typeof fillLoanForm>[1]): Promise<LoanDecision> {
  await fillLoanForm(page, values);
  const response = page.waitForResponse(
    (r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/api/loans/",
  );
  await page.getByRole("button", { name: SUBMIT_LOAN }).click();
  const answer = await response;
  expect(answer.status()).toBe(201);
  await decisionRegion(page).waitFor();
  return (await answer.json()) as LoanDecision;
}

/** A DNI whose last request was rejected by staff: the rules engine rejects the next one. */
async function recentlyRejectedDni(): Promise<string> {
  const dni = uniqueDni();
  const first = await createLoan(target.baseUrl, {
    full_name: `Rechazo previo ${tag}`,
    dni,
    gender: "F",
    email: "previo@example.com",
    amount: "3000000.00",
  });
  const rejected = await staff.request("POST", `/api/loans/${first.id}/reject/`, { reason: "Ingresos insuficientes." });
  expect(rejected.status).toBe(200);
  return dni;
}

const FALLBACK_WORDING = {
  approved: "Te vamos a escribir por correo electrónico",
  pending: "Un analista va a revisar tu solicitud",
  rejected: "Por ahora no podemos otorgarte este préstamo",
} as const;

const TAB_TITLES = {
  approved: "Solicitud aprobada — Préstamos por internet",
  pending: "Solicitud en revisión — Préstamos por internet",
  rejected: "Solicitud rechazada — Préstamos por internet",
} as const;

describe("the decision screen", () => {
  it("makes each outcome unmistakable (heading, icon, tint, tab title), in the applicant's words, and offers no new request after a rejection", async () => {
    const tints = new Map<string, string>();
    const cases = [
      { status: "approved" as const, amount: "150000", dni: uniqueDni() },
      { status: "pending" as const, amount: "2500000", dni: uniqueDni() },
      { status: "rejected" as const, amount: "150000", dni: await recentlyRejectedDni() },
    ];
    for (const { status, amount, dni } of cases) {
      const { page, pageErrors, close } = await openForm();
      try {
        const body = await decide(page, {
          full_name: `Decisión ${status} ${tag}`,
          dni,
          gender: "F",
          email: "decision@example.com",
          amount,
        });
        expect(body.status).toBe(status);
        const region = decisionRegion(page);
        expect(await region.getAttribute("data-status")).toBe(status);

        // The outcome is the page: its h1, focused, in the tab title; the form's heading and intro are gone.
        const heading = page.getByRole("heading", { level: 1, name: DECISION_TITLES[status] });
        await eventually(async () => expect(await hasFocus(heading)).toBe(true));
        expect(await page.getByRole("heading", { name: "Pedí tu préstamo por internet" }).count()).toBe(0);
        expect(await page.title()).toBe(TAB_TITLES[status]);
        expect(await region.locator("svg.decision__icon").isVisible()).toBe(true);
        tints.set(
          status,
          await region.locator(".decision__banner").evaluate((el) => getComputedStyle(el).backgroundColor),
        );

        // Applicant wording: the server's `message` (contract 4) or, from an older backend, the page's own;
        // never the internal reason staff see.
        const text = await region.innerText();
        // The message goes on from the heading instead of repeating it.
        expect(await region.locator(".decision__message").innerText()).not.toContain(DECISION_TITLES[status]);
        if (typeof body.message === "string" && body.message.trim()) expect(text).toContain(body.message.trim());
        else expect(text).toContain(FALLBACK_WORDING[status]);
        const stored = await staff.findByDni(dni);
        if (stored?.decision_reason) expect(text).not.toContain(stored.decision_reason);
        expect(text).toContain(String(body.id));

        const newRequest = region.getByRole("button", { name: "Hacer una nueva solicitud" });
        expect(await newRequest.count()).toBe(status === "rejected" ? 0 : 1);
        expect(await axeViolations(page)).toEqual([]);
        expect(pageErrors).toEqual([]);
      } finally {
        await close();
      }
    }
    expect(new Set(tints.values()).size).toBe(3);
  });

  // Needs the backend branch (contract 4: the public answer carries `message`, not `decision_reason`).
  it("shows the server's applicant-facing message, and the public answer holds no internal reason", async () => {
    const { page, close } = await openForm();
    try {
      const body = await decide(page, {
        full_name: `Mensaje ${tag}`,
        dni: uniqueDni(),
        gender: "F",
        email: "mensaje@example.com",
        amount: "2500000",
      });
      expect(body).not.toHaveProperty("decision_reason");
      expect(typeof body.message).toBe("string");
      expect(await decisionRegion(page).innerText()).toContain(body.message!.trim());
    } finally {
      await close();
    }
  });

  it("keeps the decision (with its number) across reload and back/forward in that tab only", async () => {
    const { page, context, pageErrors, close } = await openForm();
    try {
      const body = await decide(page, {
        full_name: `Recarga ${tag}`,
        dni: uniqueDni(),
        gender: "M",
        email: "recarga@example.com",
        amount: "80000",
      });
      const shown = async () => {
        await page.getByRole("heading", { level: 1, name: DECISION_TITLES.approved }).waitFor();
        expect(await decisionRegion(page).innerText()).toContain(String(body.id));
      };

      await page.reload();
      await shown();
      // Away (client-side link) and back, then a full navigation and the browser's back button.
      await page.getByRole("link", { name: "Acceso para personal" }).click();
      await page.getByRole("heading", { name: "Ingreso del personal" }).waitFor();
      await page.goBack();
      await shown();
      await page.goto("/staff/login");
      await page.getByRole("heading", { name: "Ingreso del personal" }).waitFor();
      await page.goBack();
      await shown();
      await page.goForward();
      await page.goBack();
      await shown();

      // Another tab of the same browser, and another person's browser, get an empty form.
      for (const other of [
        await context.newPage(),
        await (await browser.newContext({ baseURL: target.baseUrl })).newPage(),
      ]) {
        await other.goto("/");
        await other.getByRole("heading", { level: 1, name: "Pedí tu préstamo por internet" }).waitFor();
        expect(await other.locator("section[data-status]").count()).toBe(0);
        expect(await other.evaluate(() => JSON.stringify(window.sessionStorage))).not.toContain(String(body.id));
      }
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe("one voice", () => {
  it("labels say «Correo electrónico» and the page's own messages use voseo", async () => {
    const { page, close } = await openForm();
    try {
      expect(await textbox(page, "Correo electrónico").count()).toBe(1);
      expect(await page.getByLabel("Email", { exact: true }).count()).toBe(0);
      await page.getByRole("button", { name: SUBMIT_LOAN }).click();
      const summary = page.getByRole("alert").filter({ hasText: "Revisá los datos marcados" });
      await summary.waitFor();
      const text = await page.locator("main").innerText();
      expect(text).not.toMatch(/\b(Ingrese|Intente|Verifique|Introduzca|Revise|Elija|Complete)\b/);
      expect(text).not.toMatch(/\bemail\b/i);
    } finally {
      await close();
    }
  });

  // Needs the backend branch (contract 1): the server's own messages in voseo.
  it("server messages shown on the form use voseo too (backend contract 1)", async () => {
    const dni = uniqueDni();
    await createLoan(target.baseUrl, {
      full_name: `Voseo ${tag}`,
      dni,
      gender: "F",
      email: "voseo@example.com",
      amount: "3000000.00",
    });
    const { page, close } = await openForm();
    try {
      await fillLoanForm(page, {
        full_name: `Voseo dos ${tag}`,
        dni,
        gender: "F",
        email: "voseo@dominio.c",
        amount: "50000",
      });
      const first = page.waitForResponse(
        (r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/api/loans/",
      );
      await page.getByRole("button", { name: SUBMIT_LOAN }).click();
      const body = (await (await first).json()) as { errors: Record<string, string[]> };
      const messages = Object.values(body.errors).flat();
      expect(messages.length).toBeGreaterThan(0);
      await eventually(async () =>
        expect(
          (await fieldState(textbox(page, FIELD.email))).invalid ||
            (await fieldState(textbox(page, FIELD.dni))).invalid,
        ).toBe(true),
      );
      const text = await page.locator("main").innerText();
      for (const message of messages) expect(text).toContain(message);
      expect(messages.join(" ")).not.toMatch(/\b(Ingrese|Intente|Verifique|Introduzca|Revise|Elija|Complete|usted)\b/i);
    } finally {
      await close();
    }
  });
});

describe("layout and accessibility at 375, 768 and 1440 px", () => {
  for (const width of WIDTHS) {
    it(`${width} px: no horizontal overflow, one-line header links, and no axe violation on the form, its errors and a decision`, async () => {
      const { page, pageErrors, close } = await openForm({ width, height: 900 });
      try {
        const check = async (state: string) => {
          expect(await horizontalOverflow(page), state).toBeLessThanOrEqual(0);
          expect(await elementsOutsideViewport(page), state).toEqual([]);
          expect(await axeViolations(page), state).toEqual([]);
        };
        // The header's links never wrap inside themselves (one line each).
        const lineHeights = await page.locator(".nav a").evaluateAll((links) =>
          links.map((link) => ({
            lines: Math.round(link.getBoundingClientRect().height / parseFloat(getComputedStyle(link).lineHeight)),
            text: link.textContent,
          })),
        );
        for (const link of lineHeights) expect(link.lines, link.text ?? "").toBe(1);
        await check("empty form");

        await page.getByRole("button", { name: SUBMIT_LOAN }).click();
        await page.getByRole("alert").filter({ hasText: "Revisá los datos marcados" }).waitFor();
        await check("form with errors");

        await decide(page, {
          full_name: `MaximilianaBartolomeaDeLosSantosInocentesDeLaTrinidad ${tag}`,
          dni: uniqueDni(),
          gender: "X",
          email: "maximiliana.bartolomea.delossantos.inocentes@example.com",
          amount: "999.999,99",
        });
        await check("decision");
        expect(pageErrors).toEqual([]);
      } finally {
        await close();
      }
    });
  }
});
