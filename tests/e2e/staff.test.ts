/**
 * The staff area "/staff": anonymous people are sent to the login and the API refuses them;
 * staff log in, search, approve a pending request and see the list update; wrong passwords
 * are refused; logging out ends the session.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLoan, runTag, staffSession, uniqueDni, type Loan } from "./support/api";
import { launchBrowser, openPage } from "./support/browser";
import { startTarget, type Target } from "./support/target";
import { STATUS_LABELS, eventually, horizontalOverflow, textbox } from "./support/ui";

let target: Target;
let browser: Browser;
const tag = runTag();

beforeAll(async () => {
  target = await startTarget();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await target?.stop();
});

async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto("/staff/login");
  await page.getByRole("heading", { name: "Ingreso del personal" }).waitFor();
  await textbox(page, "Usuario").fill(username);
  await page.getByLabel("Contraseña", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Ingresar" }).click();
}

/** The table row whose row header is `fullName`. */
function row(page: Page, fullName: string) {
  return page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: fullName, exact: true }) });
}

describe("staff area", () => {
  it("sends an anonymous visitor of /staff to the login, and the API answers 401", async () => {
    const { page, pageErrors, close } = await openPage(browser, target.baseUrl);
    try {
      await page.goto("/staff");
      await page.getByRole("heading", { name: "Ingreso del personal" }).waitFor();
      expect(new URL(page.url()).pathname).toBe("/staff/login");
      expect(await page.getByRole("table").count()).toBe(0);

      // The browser's own calls, with its (anonymous) cookies.
      const fromBrowser = await page.evaluate(async () => {
        const list = await fetch("/api/loans/", { headers: { Accept: "application/json" } });
        const me = await fetch("/api/auth/me/", { headers: { Accept: "application/json" } });
        return { list: list.status, listType: list.headers.get("content-type"), listBody: await list.json(), me: me.status };
      });
      expect(fromBrowser.list).toBe(401);
      expect(fromBrowser.listType).toMatch(/^application\/json/);
      expect(fromBrowser.listBody).toHaveProperty("errors");
      expect(fromBrowser.me).toBe(401);
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }

    // Without any cookie, every staff endpoint refuses.
    for (const [method, path] of [
      ["GET", "/api/loans/"],
      ["GET", "/api/auth/me/"],
      ["GET", "/api/loans/1/"],
    ] as const) {
      const response = await fetch(`${target.baseUrl}${path}`, { method, headers: { Accept: "application/json" } });
      expect(response.status, `${method} ${path}`).toBe(401);
      const body = (await response.json()) as { errors?: Record<string, string[]> };
      expect(body.errors, `${method} ${path}`).toBeDefined();
    }
  });

  it("refuses a wrong password with a message and keeps the visitor on the login", async () => {
    const { page, close } = await openPage(browser, target.baseUrl);
    try {
      await logIn(page, target.staff.username, `${target.staff.password}-wrong`);
      const alert = page.getByRole("alert").filter({ hasText: /\S/ });
      await alert.waitFor();
      expect((await alert.innerText()).trim().length).toBeGreaterThan(0);
      expect(new URL(page.url()).pathname).toBe("/staff/login");
      expect(await page.getByLabel("Contraseña", { exact: true }).inputValue()).toBe("");
    } finally {
      await close();
    }
  });

  it("lets staff log in, find a request by search, approve it and see the list update", async () => {
    // Two pending requests (amount above the automatic-approval limit), similar names.
    const target1 = { full_name: `Rosa Aprobable ${tag}`, dni: uniqueDni(), gender: "F" as const, email: `rosa.${tag.toLowerCase()}@example.com`, amount: "1500000.00" };
    const other = { full_name: `Rosa Otra ${tag}`, dni: uniqueDni(), gender: "F" as const, email: `otra.${tag.toLowerCase()}@example.com`, amount: "2000000.00" };
    const created: Loan = await createLoan(target.baseUrl, target1);
    await createLoan(target.baseUrl, other);
    expect(created.status).toBe("pending");

    const { page, pageErrors, close } = await openPage(browser, target.baseUrl);
    try {
      await logIn(page, target.staff.username, target.staff.password);
      await page.getByRole("heading", { level: 1, name: "Solicitudes" }).waitFor();
      expect(new URL(page.url()).pathname).toBe("/staff");
      expect(await page.getByText(target.staff.username, { exact: true }).count()).toBeGreaterThan(0);

      // Search by DNI: only that request remains.
      const listed = page.waitForResponse((r) => new URL(r.url()).searchParams.get("search") === target1.dni && r.status() === 200);
      await page.getByRole("searchbox", { name: "Buscar" }).fill(target1.dni);
      await listed;
      await row(page, target1.full_name).waitFor();
      await eventually(async () => {
        expect(await page.getByRole("table").getByRole("rowheader").allInnerTexts()).toEqual([target1.full_name]);
      });
      await page.getByText("Mostrando 1–1 de 1 solicitudes.").waitFor();
      expect(await row(page, target1.full_name).getByText(STATUS_LABELS.pending, { exact: true }).count()).toBe(1);

      // Search by name: both "Rosa … <tag>" show, the other one is not approved by mistake.
      await page.getByRole("searchbox", { name: "Buscar" }).fill(`Rosa`);
      await page.getByRole("searchbox", { name: "Buscar" }).fill(tag);
      await eventually(async () => {
        expect((await page.getByRole("table").getByRole("rowheader").allInnerTexts()).sort()).toEqual([target1.full_name, other.full_name].sort());
      });

      // Approve, confirming in the dialog.
      await row(page, target1.full_name).getByRole("button", { name: `Aprobar solicitud de ${target1.full_name}` }).click();
      const dialog = page.getByRole("dialog", { name: "Aprobar solicitud" });
      await dialog.waitFor();
      expect(await dialog.innerText()).toContain(target1.full_name);
      const approved = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === `/api/loans/${created.id}/approve/`);
      await dialog.getByRole("button", { name: "Aprobar", exact: true }).click();
      expect((await approved).status()).toBe(200);

      // The list updates: the row shows "Aprobada", its approve button is gone, and it is announced.
      await page.getByRole("status").filter({ hasText: `Se aprobó la solicitud de ${target1.full_name}.` }).waitFor();
      await eventually(async () => {
        expect(await row(page, target1.full_name).getByText(STATUS_LABELS.approved, { exact: true }).count()).toBe(1);
      });
      expect(await row(page, target1.full_name).getByRole("button", { name: `Aprobar solicitud de ${target1.full_name}` }).count()).toBe(0);
      expect(await row(page, other.full_name).getByText(STATUS_LABELS.pending, { exact: true }).count()).toBe(1);
      expect(await dialog.count()).toBe(0);

      // Filtering by status "Aprobada" shows it; the server agrees.
      await page.getByRole("combobox", { name: "Estado" }).selectOption({ label: STATUS_LABELS.approved });
      await eventually(async () => {
        expect(await page.getByRole("table").getByRole("rowheader").allInnerTexts()).toEqual([target1.full_name]);
      });
      const staff = await staffSession(target.baseUrl, target.staff);
      const stored = await staff.findByDni(target1.dni);
      expect(stored).toMatchObject({ status: "approved", reviewed_by: target.staff.username });
      expect(stored!.reviewed_at).not.toBeNull();
      expect((await staff.findByDni(other.dni))?.status).toBe("pending");

      // After a reload the session is still there and so is the new status.
      await page.reload();
      await page.getByRole("heading", { level: 1, name: "Solicitudes" }).waitFor();
      await page.getByRole("searchbox", { name: "Buscar" }).fill(target1.dni);
      await eventually(async () => {
        expect(await row(page, target1.full_name).getByText(STATUS_LABELS.approved, { exact: true }).count()).toBe(1);
      });
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });

  it("ends the session on logout: back to the login, and the API refuses again", async () => {
    const { page, close } = await openPage(browser, target.baseUrl);
    try {
      await logIn(page, target.staff.username, target.staff.password);
      await page.getByRole("heading", { level: 1, name: "Solicitudes" }).waitFor();
      expect(await page.evaluate(async () => (await fetch("/api/auth/me/")).status)).toBe(200);
      await page.getByRole("button", { name: "Cerrar sesión" }).click();
      await page.getByRole("heading", { name: "Ingreso del personal" }).waitFor();
      expect(new URL(page.url()).pathname).toBe("/staff/login");
      expect(await page.evaluate(async () => (await fetch("/api/loans/")).status)).toBe(401);
      await page.goto("/staff");
      await page.getByRole("heading", { name: "Ingreso del personal" }).waitFor();
    } finally {
      await close();
    }
  });

  it("keeps the dashboard inside a 375 px viewport (the table scrolls in its own box)", async () => {
    const { page, close } = await openPage(browser, target.baseUrl, { width: 375, height: 812 });
    try {
      await logIn(page, target.staff.username, target.staff.password);
      await page.getByRole("heading", { level: 1, name: "Solicitudes" }).waitFor();
      await page.getByRole("table").waitFor();
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    } finally {
      await close();
    }
  });
});
