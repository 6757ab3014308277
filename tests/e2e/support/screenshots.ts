/**
 * Screenshots: docs/images/ is the committed copy, rewritten only with UPDATE_SCREENSHOTS=1;
 * otherwise they go to reports/screenshots/ (git-ignored), so a CI run never dirties the tree.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { REPO_ROOT } from "../../support/run";

export const updateScreenshots = (): boolean => /^(1|true|yes)$/i.test(process.env.UPDATE_SCREENSHOTS ?? "");

export function screenshotDir(): string {
  return updateScreenshots() ? path.join(REPO_ROOT, "docs", "images") : path.join(REPO_ROOT, "reports", "screenshots");
}

/** Saves a viewport screenshot (no animations, no caret) and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  const dir = screenshotDir();
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  await page.screenshot({ path: file, animations: "disabled", caret: "hide", fullPage: false });
  return file;
}
