/**
 * Runs every test suite in order and prints one summary. A suite is an npm script
 * `test:<name>`; exit code 0 = passed, NOT_RUN_EXIT_CODE = not run (a prerequisite is
 * missing and CI is not set), anything else = failed.
 *
 *   npm test                 # all suites
 *   npm test -- backend k8s  # only these
 */
import { NOT_RUN_EXIT_CODE } from "../tests/support/prerequisites";
import { runInherited } from "../tests/support/run";

/** In dependency order: fast static suites first, the stack-starting ones last. */
export const SUITES = ["backend", "frontend", "platform", "k8s", "ci", "docs", "e2e", "containers"] as const;

type Outcome = "passed" | "failed" | "not run";

function outcomeOf(code: number): Outcome {
  if (code === 0) return "passed";
  return code === NOT_RUN_EXIT_CODE ? "not run" : "failed";
}

async function main(): Promise<number> {
  const requested = process.argv.slice(2);
  const unknown = requested.filter((name) => !(SUITES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    console.error(`unknown suite(s): ${unknown.join(", ")}; known: ${SUITES.join(", ")}`);
    return 2;
  }
  const selected = requested.length > 0 ? requested : [...SUITES];
  const results: { name: string; outcome: Outcome; seconds: number }[] = [];
  for (const name of selected) {
    console.log(`\n═══ suite ${name} ═══`);
    const started = Date.now();
    const outcome = outcomeOf(await runInherited(["npm", "run", `test:${name}`]));
    results.push({ name, outcome, seconds: (Date.now() - started) / 1000 });
  }

  console.log("\n═══ summary ═══");
  for (const { name, outcome, seconds } of results) {
    const mark = outcome === "passed" ? "✔" : outcome === "failed" ? "✖" : "!! NOT RUN";
    console.log(`${mark.padEnd(10)} ${name.padEnd(12)} ${seconds.toFixed(1).padStart(7)} s`);
  }
  const count = (outcome: Outcome) => results.filter((r) => r.outcome === outcome).length;
  const notRun = count("not run");
  if (notRun > 0) console.log(`\n!! ${notRun} suite(s) NOT RUN: see the messages above for what to install.`);
  console.log(`suites: ${count("passed")} passed, ${count("failed")} failed, ${notRun} skipped`);
  return count("failed") > 0 ? 1 : 0;
}

process.exitCode = await main();
