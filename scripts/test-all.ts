/**
 * Runs every test suite in order and prints one summary. A suite is an npm script
 * `test:<name>`; exit code 0 = passed, NOT_RUN_EXIT_CODE = not run (a prerequisite is
 * missing and CI is not set), anything else = failed.
 *
 *   npm test                 # all suites
 *   npm test -- backend k8s  # only these
 */
import { spawn } from "node:child_process";
import { NOT_RUN_EXIT_CODE } from "../tests/support/prerequisites";
import { REPO_ROOT } from "../tests/support/run";

/** In dependency order: fast static suites first, the stack-starting ones last. */
export const SUITES = ["backend", "frontend", "platform", "k8s", "ci", "docs", "e2e", "containers"] as const;

type Outcome = "passed" | "failed" | "not run";

function runSuite(name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", `test:${name}`], { cwd: REPO_ROOT, stdio: "inherit" });
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

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
    const outcome = outcomeOf(await runSuite(name));
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
