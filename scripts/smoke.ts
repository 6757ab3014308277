/**
 * The image smoke test against a running stack (ci/src/smoke.ts): waits for /healthz
 * through nginx, runs every check once, prints one line each; exit 1 when one fails.
 * The pipeline's `smoke` step runs it inside a container bound to the frontend service.
 *
 *   npx tsx scripts/smoke.ts http://localhost:8080
 */
import { formatSmokeResults, runSmokeChecks, waitUntilHealthy } from "../ci/src/smoke";

const baseUrl = process.argv[2]?.replace(/\/+$/, "");
if (!baseUrl || !/^https?:\/\/[^/\s]+$/.test(baseUrl)) {
  console.error("usage: tsx scripts/smoke.ts <base URL, e.g. http://localhost:8080>");
  process.exit(2);
}

await waitUntilHealthy(baseUrl);
const results = await runSmokeChecks(baseUrl);
console.log(`smoke checks against ${baseUrl}:\n${formatSmokeResults(results)}`);
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
