/** Debian's Chromium driven by playwright-core: no browser download (docs/adr/0003-native-test-stack.md). */
import { existsSync } from "node:fs";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { missingPrerequisite } from "../../support/prerequisites";

export const CHROMIUM_PATH = process.env.E2E_CHROMIUM_PATH ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function requireChromium(): void {
  if (!existsSync(CHROMIUM_PATH)) {
    missingPrerequisite(
      "e2e",
      `Chromium (${CHROMIUM_PATH})`,
      "Install it with `npm run setup` (Debian: apt-get install chromium).",
    );
  }
}

export async function launchBrowser(): Promise<Browser> {
  requireChromium();
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

export interface PageOptions {
  width?: number;
  height?: number;
  /** Cookies and storage of an earlier context, e.g. a staff session logged in once per file. */
  storageState?: StorageState;
}

/** What `BrowserContext.storageState()` returns and `newContext` accepts. */
export type StorageState = Awaited<ReturnType<BrowserContext["storageState"]>>;

export interface TrackedPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions in the page (each test expects none). */
  pageErrors: string[];
  close(): Promise<void>;
}

/**
 * A fresh context (own cookies) and page at `baseUrl`, in Argentine Spanish and Buenos Aires time,
 * so that formatted amounts and dates are the same on every machine.
 */
export async function openPage(browser: Browser, baseUrl: string, options: PageOptions = {}): Promise<TrackedPage> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    locale: "es-AR",
    timezoneId: "America/Argentina/Buenos_Aires",
    reducedMotion: "reduce",
    colorScheme: "light",
    ...(options.storageState ? { storageState: options.storageState } : {}),
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  return { context, page, pageErrors, close: () => context.close() };
}
