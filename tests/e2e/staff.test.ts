/**
 * The staff area's session and navigation: anonymous people are sent to the login and the
 * API refuses them; login errors (bad password, 429) read as one message; staff search,
 * approve and see the list update; the list state lives in the URL (reload, back/forward,
 * shared links); an expired session says so and brings staff back to the same place with
 * what they typed; logging out ends the session; on staff pages the staff chunk and the
 * session check load alongside the main bundle.
 */
import type { Browser, Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLoan, runTag, staffSession, uniqueDni, type CreatedLoan } from "./support/api";
import { axeViolations } from "./support/axe";
import { launchBrowser, openPage } from "./support/browser";
import { startTarget, type Target } from "./support/target";
import { STATUS_LABELS, eventually, hasFocus, logIn, row, textbox } from "./support/ui";

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

const pathAndQuery = (page: Page) => {
  const url = new URL(page.url());
  return url.pathname + url.search;
};

/** Names in the list's row headers, in order. */
const listedNames = (page: Page) => page.getByRole("table").getByRole("rowheader").allInnerTexts();

async function loggedIn(page: Page): Promise<void> {
  await logIn(page, target.staff.username, target.staff.password);
  await page.getByRole("heading", { level: 1, name: "Solicitudes" }).waitFor();
}

describe("staff area: login and session", () => {
  it("sends an anonymous visitor of /staff to the login, and the API answers 401", async () => {
    const { page, pageErrors, close } = await openPage(browser, target.baseUrl);
    try {
      await page.goto("/staff");
      await page.getByRole("heading", { name: "Ingreso del personal" }).waitFor();
      expect(new URL(page.url()).pathname).toBe("/staff/login");
      expect(await page.getByRole("table").count()).toBe(0);
      // A first visit is not an expired session.
      expect(await page.getByText(/Tu sesión venció/).count()).toBe(0);
      expect(await page.title()).toBe("Ingreso del personal — Préstamos por internet");
      expect(await axeViolations(page)).toEqual([]);

      // The browser's own calls, with its (anonymous) cookies.
      const fromBrowser = await page.evaluate(async () => {
        const list = await fetch("/api/loans/", { headers: { Accept: "application/json" } });
        const me = await fetch("/api/auth/me/", { headers: { Accept: "application/json" } });
        return {
          list: list.status,
          listType: list.headers.get("content-type"),
          listBody: await list.json(),
          me: me.status,
        };
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

  it("refuses a wrong password with one message (a sentence, not a list) and keeps the visitor on the login", async () => {
    const { page, close } = await openPage(browser, target.baseUrl);
    try {
      await logIn(page, target.staff.username, `${target.staff.password}-wrong`);
      const alert = page.getByRole("alert").filter({ hasText: /\S/ });
      await alert.waitFor();
      expect((await alert.innerText()).trim().length).toBeGreaterThan(0);
      expect(await alert.locator("ul, li").count()).toBe(0);
      expect(await alert.locator("p").count()).toBe(1);
      expect(new URL(page.url()).pathname).toBe("/staff/login");
      expect(await page.getByLabel("Contraseña", { exact: true }).inputValue()).toBe("");
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await close();
    }
  });

  it("shows the message of a throttled login (429, contract 5)", async () => {
    const { page, close } = await openPage(browser, target.baseUrl);
    try {
      const message = "Demasiados intentos de ingreso. Probá de nuevo en unos minutos.";
      // The answer the backend (or nginx) gives once the limit is reached, in the contract's shape.
      await page.route("**/api/auth/login/", (route) =>
        route.fulfill({
          status: 429,
          headers: { "Retry-After": "60" },
          contentType: "application/json",
          body: JSON.stringify({ errors: { __all__: [message] } }),
        }),
      );
      await logIn(page, target.staff.username, target.staff.password);
      const alert = page.getByRole("alert").filter({ hasText: message });
      await alert.waitFor();
      await eventually(async () => expect(await hasFocus(alert)).toBe(true));
      expect(new URL(page.url()).pathname).toBe("/staff/login");
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await close();
    }
  });

  it("lets staff log in, find a request by search, approve it and see the list update", async () => {
    // Two pending requests (amount above the automatic-approval limit), similar names.
    const target1 = {
      full_name: `Rosa Aprobable ${tag}`,
      dni: uniqueDni(),
      gender: "F" as const,
      email: `rosa.${tag.toLowerCase()}@example.com`,
      amount: "1500000.00",
    };
    const other = {
      full_name: `Rosa Otra ${tag}`,
      dni: uniqueDni(),
      gender: "F" as const,
      email: `otra.${tag.toLowerCase()}@example.com`,
      amount: "2000000.00",
    };
    const created: CreatedLoan = await createLoan(target.baseUrl, target1);
    await createLoan(target.baseUrl, other);
    expect(created.status).toBe("pending");

    const { page, pageErrors, close } = await openPage(browser, target.baseUrl);
    try {
      await loggedIn(page);
      expect(new URL(page.url()).pathname).toBe("/staff");
      expect(await page.getByText(target.staff.username, { exact: true }).count()).toBeGreaterThan(0);

      // Search by DNI: only that request remains.
      const listed = page.waitForResponse(
        (r) => new URL(r.url()).searchParams.get("search") === target1.dni && r.status() === 200,
      );
      await page.getByRole("searchbox", { name: "Buscar" }).fill(target1.dni);
      await listed;
      await eventually(async () => expect(await listedNames(page)).toEqual([target1.full_name]));
      await page.getByText("1 solicitud.", { exact: true }).waitFor();
      expect(await row(page, target1.full_name).getByText(STATUS_LABELS.pending, { exact: true }).count()).toBe(1);

      // Search by name: both "Rosa … <tag>" show, the other one is not approved by mistake.
      await page.getByRole("searchbox", { name: "Buscar" }).fill(tag);
      await eventually(async () =>
        expect((await listedNames(page)).sort()).toEqual([target1.full_name, other.full_name].sort()),
      );

      // Approve, confirming in the dialog.
      await row(page, target1.full_name)
        .getByRole("button", { name: `Aprobar solicitud de ${target1.full_name}` })
        .click();
      const dialog = page.getByRole("dialog", { name: "Aprobar solicitud" });
      await dialog.waitFor();
      expect(await dialog.innerText()).toContain(target1.full_name);
      expect(await axeViolations(page)).toEqual([]);
      const approved = page.waitForResponse(
        (r) => r.request().method() === "POST" && new URL(r.url()).pathname === `/api/loans/${created.id}/approve/`,
      );
      await dialog.getByRole("button", { name: "Aprobar", exact: true }).click();
      expect((await approved).status()).toBe(200);

      // The list updates: the row shows "Aprobada", its decision buttons are gone, and it is announced.
      await page
        .getByRole("status")
        .filter({ hasText: `Se aprobó la solicitud de ${target1.full_name}.` })
        .waitFor();
      await eventually(async () =>
        expect(await row(page, target1.full_name).getByText(STATUS_LABELS.approved, { exact: true }).count()).toBe(1),
      );
      for (const action of ["Aprobar", "Rechazar"]) {
        expect(
          await row(page, target1.full_name)
            .getByRole("button", { name: `${action} solicitud de ${target1.full_name}` })
            .count(),
        ).toBe(0);
      }
      expect(await row(page, other.full_name).getByText(STATUS_LABELS.pending, { exact: true }).count()).toBe(1);
      expect(await dialog.count()).toBe(0);

      // Filtering by status "Aprobada" shows it; the server agrees.
      await page.getByRole("combobox", { name: "Estado" }).selectOption({ label: STATUS_LABELS.approved });
      await eventually(async () => expect(await listedNames(page)).toEqual([target1.full_name]));
      const staff = await staffSession(target.baseUrl, target.staff);
      const stored = await staff.findByDni(target1.dni);
      expect(stored).toMatchObject({ status: "approved", reviewed_by: target.staff.username });
      expect(stored!.reviewed_at).not.toBeNull();
      expect((await staff.findByDni(other.dni))?.status).toBe("pending");
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });

  it("ends the session on logout: back to the login, and the API refuses again", async () => {
    const { page, close } = await openPage(browser, target.baseUrl);
    try {
      await loggedIn(page);
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
});

describe("staff area: the list's state lives in the URL", () => {
  // A search term of this block only: the other tests' requests carry `tag` too.
  const term = `${tag}URL`;
  // Letters only: the API refuses digits in a name.
  const names = Array.from({ length: 12 }, (_, i) => `Url ${String.fromCharCode(65 + i)} ${term}`);

  beforeAll(async () => {
    for (const [i, full_name] of names.entries()) {
      await createLoan(target.baseUrl, {
        full_name,
        dni: uniqueDni(),
        gender: "M",
        email: `url${i}.${tag.toLowerCase()}@example.com`,
        amount: `${(i + 1) * 10000}.00`,
      });
    }
  });

  it("page, size, sort, filter and search survive reload, back/forward and a shared link", async () => {
    const { page, context, pageErrors, close } = await openPage(browser, target.baseUrl);
    try {
      await loggedIn(page);
      await page.getByRole("searchbox", { name: "Buscar" }).fill(term);
      await eventually(async () => expect(new URL(page.url()).searchParams.get("search")).toBe(term));
      await page.getByRole("combobox", { name: "Por página" }).selectOption("10");
      await page.getByRole("combobox", { name: "Estado" }).selectOption({ label: STATUS_LABELS.approved });
      await page.getByRole("button", { name: "Monto" }).click(); // ascending
      await eventually(async () => expect(await listedNames(page)).toEqual(names.slice(0, 10)));
      await page.getByRole("button", { name: "Siguiente" }).click();
      await eventually(async () => expect(await listedNames(page)).toEqual(names.slice(10)));
      const href = pathAndQuery(page);
      expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({
        page: "2",
        page_size: "10",
        ordering: "amount",
        status: "approved",
        search: term,
      });

      await page.reload();
      await eventually(async () => expect(await listedNames(page)).toEqual(names.slice(10)));
      expect(await page.getByRole("searchbox", { name: "Buscar" }).inputValue()).toBe(term);
      expect(await page.getByRole("combobox", { name: "Estado" }).inputValue()).toBe("approved");
      expect(await page.getByRole("combobox", { name: "Por página" }).inputValue()).toBe("10");
      expect(await page.getByRole("columnheader", { name: /Monto/ }).getAttribute("aria-sort")).toBe("ascending");
      expect(await page.getByText("Página 2 de 2").count()).toBe(1);

      await page.goBack();
      await eventually(async () => expect(await listedNames(page)).toEqual(names.slice(0, 10)));
      expect(new URL(page.url()).searchParams.get("page")).toBeNull();
      await page.goForward();
      await eventually(async () => expect(await listedNames(page)).toEqual(names.slice(10)));

      // The same link in another tab, and for a colleague who still has to log in.
      const tab = await context.newPage();
      await tab.goto(href);
      await eventually(async () => expect(await listedNames(tab)).toEqual(names.slice(10)));
      const colleague = await openPage(browser, target.baseUrl);
      try {
        await colleague.page.goto(href);
        await colleague.page.getByRole("heading", { name: "Ingreso del personal" }).waitFor();
        await logIn(colleague.page, target.staff.username, target.staff.password, { goto: false });
        await eventually(async () => expect(pathAndQuery(colleague.page)).toBe(href));
        await eventually(async () => expect(await listedNames(colleague.page)).toEqual(names.slice(10)));
      } finally {
        await colleague.close();
      }
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe("staff area: an expired session", () => {
  it("says so, and after logging in again returns to the same list with the rejection reason that was being typed", async () => {
    const pending = await createLoan(target.baseUrl, {
      full_name: `Sesión Vencida ${tag}`,
      dni: uniqueDni(),
      gender: "X",
      email: "vencida@example.com",
      amount: "2200000.00",
    });
    const { page, context, pageErrors, close } = await openPage(browser, target.baseUrl);
    try {
      await loggedIn(page);
      await page.goto(`/staff?status=pending&search=${encodeURIComponent(pending.full_name)}`);
      const where = pathAndQuery(page);
      await row(page, pending.full_name)
        .getByRole("button", { name: `Rechazar solicitud de ${pending.full_name}` })
        .click();
      const dialog = page.getByRole("dialog", { name: "Rechazar solicitud" });
      const reason = "Falta el recibo de sueldo del último mes";
      await dialog.getByLabel("Motivo (opcional)").fill(reason);

      // The session ends behind the page's back (expired, or logged out elsewhere).
      await context.clearCookies();
      await dialog.getByRole("button", { name: "Rechazar", exact: true }).click();

      const notice = page.getByText("Tu sesión venció. Ingresá de nuevo para seguir donde estabas.");
      await notice.waitFor();
      expect(new URL(page.url()).pathname).toBe("/staff/login");
      expect(new URL(page.url()).searchParams.get("next")).toBe(where);
      expect(await axeViolations(page)).toEqual([]);

      await logIn(page, target.staff.username, target.staff.password, { goto: false });
      await eventually(async () => expect(pathAndQuery(page)).toBe(where));
      const restored = page.getByRole("dialog", { name: "Rechazar solicitud" });
      await restored.waitFor();
      expect(await restored.getByLabel("Motivo (opcional)").inputValue()).toBe(reason);
      await restored.getByRole("button", { name: "Rechazar", exact: true }).click();
      await page
        .getByRole("status")
        .filter({ hasText: `Se rechazó la solicitud de ${pending.full_name}.` })
        .waitFor();

      const staff = await staffSession(target.baseUrl, target.staff);
      expect(await staff.findByDni(pending.dni)).toMatchObject({ status: "rejected", decision_reason: reason });
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe("staff login paints early", () => {
  it("on a staff page, the staff chunk and GET /api/auth/me/ start while the main bundle is still downloading", async () => {
    const { page, context, close } = await openPage(browser, target.baseUrl);
    try {
      // A slow network makes the order visible: with 300 ms per request, sequential loading
      // could not start the session check before the main bundle has arrived.
      const cdp = await context.newCDPSession(page);
      await cdp.send("Network.enable");
      await cdp.send("Network.emulateNetworkConditions", {
        offline: false,
        latency: 300,
        downloadThroughput: 200 * 1024,
        uploadThroughput: 100 * 1024,
      });
      const started = new Map<string, number>();
      const finished = new Map<string, number>();
      let clock = 0;
      const name = (request: Request) => new URL(request.url()).pathname;
      page.on("request", (request) => started.set(name(request), ++clock));
      page.on("requestfinished", (request) => finished.set(name(request), ++clock));

      await page.goto("/staff/login");
      await page.getByRole("heading", { name: "Ingreso del personal" }).waitFor();

      const html = await (await fetch(`${target.baseUrl}/staff/login`)).text();
      const main = /<script type="module" crossorigin src="([^"]+)"/.exec(html)?.[1];
      expect(main, "main entry script in index.html").toBeTruthy();
      const staffChunk = [...started.keys()].find((path) => /\/assets\/StaffArea-[\w-]+\.js$/.test(path));
      expect(staffChunk, "staff chunk requested").toBeTruthy();
      const mainDone = finished.get(main!)!;
      expect(started.get("/api/auth/me/")!).toBeLessThan(mainDone);
      expect(started.get(staffChunk!)!).toBeLessThan(mainDone);
    } finally {
      await close();
    }
  });

  it("the public page asks for neither", async () => {
    const { page, close } = await openPage(browser, target.baseUrl);
    try {
      const paths: string[] = [];
      page.on("request", (request) => paths.push(new URL(request.url()).pathname));
      await page.goto("/");
      await page.getByRole("heading", { level: 1, name: "Pedí tu préstamo por internet" }).waitFor();
      await page.waitForLoadState("networkidle");
      expect(paths.filter((path) => path === "/api/auth/me/" || /StaffArea/.test(path))).toEqual([]);
    } finally {
      await close();
    }
  });
});
