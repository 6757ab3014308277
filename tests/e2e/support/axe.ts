/**
 * axe-core (npm `axe-core`) run inside the page: every state the suites reach is checked
 * against WCAG 2.x A/AA and axe's best practices, and must have no violation at all.
 *
 * The source is evaluated through the DevTools protocol (page.evaluate), which the page's
 * Content-Security-Policy (script-src 'self') does not apply to, so the CSP stays enforced.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}

/** The violations on the page as readable lines ("rule (impact): help — selector: summary"); [] when clean. */
export async function axeViolations(page: Page): Promise<string[]> {
  const injected = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === "object");
  if (!injected) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: unknown[] }> } }
    ).axe;
    const results = await axe.run(document, { resultTypes: ["violations"] });
    return results.violations as AxeViolation[];
  });
  return violations.flatMap((violation) =>
    violation.nodes.map(
      (node) =>
        `${violation.id} (${violation.impact}): ${violation.help} — ${JSON.stringify(node.target)}: ${node.failureSummary ?? ""}`,
    ),
  );
}
