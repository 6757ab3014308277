/**
 * Runs before `vitest run --project e2e` (see the root script "test:e2e"): checks what the
 * suite needs before any test starts, so that a missing prerequisite is a loud NOT RUN
 * (exit code 3) or, under CI=true, a clear failure — never a wall of failed tests.
 */
import { requireStackPrerequisites } from "../support/stack";
import { requireChromium } from "./support/browser";
import { externalBaseUrl } from "./support/target";

requireChromium();
const external = externalBaseUrl();
if (external) {
  console.log(`e2e: running against E2E_BASE_URL=${external} (no local stack).`);
} else {
  requireStackPrerequisites("e2e");
  console.log("e2e: each test file starts its own stack (PostgreSQL → gunicorn → nginx) on 127.0.0.1.");
}
