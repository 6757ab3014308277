/**
 * nginx limits POST /api/loans/ per client IP (LOANS_RATE_LIMIT / LOANS_RATE_BURST) and answers
 * the excess with 429 and a JSON body in the API's error shape. This file starts its own stack
 * with low limits (5r/m, burst 2). Against E2E_BASE_URL (limits unknown) it sends invalid
 * bodies (answered 400 by the backend, nothing stored) until nginx answers 429, then waits
 * for the bucket to drain so later files are not limited.
 *
 * Staff logins are throttled by the backend per account (and per address) in its database:
 * the attempts here use a username nobody has, so no real account is locked.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../support/api-client";
import { postLoan, runTag, uniqueDni, type JsonResponse } from "./support/api";
import { launchBrowser, openPage } from "./support/browser";
import { startTarget, type Target } from "./support/target";
import { SUBMIT_LOAN, decisionRegion, eventually, fillLoanForm, textbox, FIELD } from "./support/ui";

const RATE = "5r/m";
const BURST = 2;

let target: Target;
let browser: Browser;
const tag = runTag();

beforeAll(async () => {
  target = await startTarget({ rateLimit: RATE, burst: BURST });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  if (target?.external) {
    // Let the per-IP bucket drain (default limits: 30r/m, burst 10 → about 20 s).
    const waitMs = Number(process.env.E2E_RATE_LIMIT_RECOVERY_MS ?? 25_000);
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
  await target?.stop();
});

/** Sends invalid (empty) loan requests in small concurrent waves until one is answered 429. */
async function exhaustLimit(max: number): Promise<{ answers: JsonResponse[]; limited: JsonResponse }> {
  const answers: JsonResponse[] = [];
  while (answers.length < max) {
    const wave = await Promise.all(Array.from({ length: 4 }, () => postLoan(target.baseUrl, {})));
    answers.push(...wave);
    const limited = wave.find((answer) => answer.status === 429);
    if (limited) return { answers, limited };
  }
  throw new Error(
    `no 429 after ${answers.length} POST /api/loans/: statuses ${answers.map((a) => a.status).join(",")}`,
  );
}

describe("rate limit of POST /api/loans/", () => {
  it("answers the excess with 429 and a JSON error body; other endpoints are not limited", async () => {
    const { answers, limited } = await exhaustLimit(target.external ? 200 : 12);
    // Everything that got through reached the backend and was refused there as invalid: nothing stored.
    for (const answer of answers) expect([400, 429]).toContain(answer.status);
    if (!target.external) {
      // 1 + burst go through (nodelay or not), the rest are refused.
      expect(answers.filter((answer) => answer.status === 400).length).toBeLessThanOrEqual(1 + BURST);
    }
    expect(limited.contentType).toMatch(/^application\/json/);
    const body = limited.body as { errors?: Record<string, unknown> };
    expect(body.errors).toBeDefined();
    const messages = Object.values(body.errors!).flat();
    expect(messages.length).toBeGreaterThan(0);
    for (const message of messages) expect(typeof message).toBe("string");

    // Still limited right after; reading endpoints and health checks are not.
    expect((await postLoan(target.baseUrl, {})).status).toBe(429);
    const health = await fetch(`${target.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    expect((await fetch(`${target.baseUrl}/api/auth/csrf/`)).status).toBe(200);
  });

  it("shows the rate-limit message on the form and keeps what was typed", async () => {
    const { page, pageErrors, close } = await openPage(browser, target.baseUrl);
    try {
      await page.goto("/");
      const typed = {
        full_name: `Limitada ${tag}`,
        dni: uniqueDni(),
        gender: "F" as const,
        email: "limitada@example.com",
        amount: "80000",
      };
      await fillLoanForm(page, typed);
      // Exhaust the bucket right before submitting (the browser is the same client IP, 127.0.0.1).
      await exhaustLimit(target.external ? 200 : 12);
      const response = page.waitForResponse(
        (r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/api/loans/",
      );
      await page.getByRole("button", { name: SUBMIT_LOAN }).click();
      expect((await response).status()).toBe(429);
      const alert = page.getByRole("alert").filter({ hasText: "No pudimos enviar la solicitud" });
      await alert.waitFor();
      const text = await alert.innerText();
      expect(text.length).toBeGreaterThan("No pudimos enviar la solicitud".length);
      // Focus moves to the summary so the message is read out.
      await eventually(async () => expect(await alert.evaluate((el) => el === document.activeElement)).toBe(true));
      expect(await decisionRegion(page).count()).toBe(0);
      expect(await textbox(page, FIELD.full_name).inputValue()).toBe(typed.full_name);
      expect(await textbox(page, FIELD.dni).inputValue()).toBe(typed.dni);
      expect(await textbox(page, FIELD.amount).inputValue()).toBe(typed.amount);
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe("login throttling", () => {
  it("refuses further attempts on an account with 429, Retry-After and a message in voseo", async () => {
    const client = new ApiClient(target.baseUrl);
    await client.request("GET", "/api/auth/csrf/");
    const attempt = () =>
      fetch(`${target.baseUrl}/api/auth/login/`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Cookie: client.cookieHeader,
          "X-CSRFToken": client.csrfToken ?? "",
          Origin: target.baseUrl,
          Referer: `${target.baseUrl}/`,
        },
        body: JSON.stringify({ username: `intruso-${tag.toLowerCase()}`, password: "no-es-esta" }),
      });
    const statuses: number[] = [];
    let limited: Response | undefined;
    while (!limited && statuses.length < 30) {
      const answer = await attempt();
      statuses.push(answer.status);
      if (answer.status === 429) limited = answer;
      else await answer.text();
    }
    expect(limited, `statuses: ${statuses.join(",")}`).toBeDefined();
    expect(limited!.headers.get("content-type")).toMatch(/^application\/json/);
    expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThan(0);
    const [message] = ((await limited!.json()) as { errors: { __all__: string[] } }).errors.__all__;
    expect(message).toMatch(/Esperá|intentá/);
    if (!target.external) {
      // LOGIN_FAILURES_PER_ACCOUNT (5 by default): five wrong passwords, then the account waits.
      expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);
      expect(message).toMatch(/^Demasiados intentos de inicio de sesión\. Esperá \d+ minutos? y probá de nuevo\.$/);
    }
  });
});
