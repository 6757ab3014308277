/**
 * What a suite does when the machine lacks something it needs (PostgreSQL, Chromium,
 * nginx, Docker): under CI=true it fails with a clear message; elsewhere it is reported
 * loudly as NOT RUN, never skipped silently.
 */

/** Exit code a suite script uses to say "not run: a prerequisite is missing". */
export const NOT_RUN_EXIT_CODE = 3;

export const isCI = (): boolean => /^(1|true|yes)$/i.test(process.env.CI ?? "");

/**
 * Call when `what` is missing. Under CI it throws; otherwise it prints a banner and exits
 * the process with NOT_RUN_EXIT_CODE.
 */
export function missingPrerequisite(suite: string, what: string, hint: string): never {
  const message = `${suite}: ${what} is not available here. ${hint}`;
  if (isCI()) {
    throw new Error(`${message} (CI=true: a missing prerequisite fails the run)`);
  }
  const bar = "!".repeat(72);
  console.error(`\n${bar}\nNOT RUN — ${message}\n${bar}\n`);
  process.exit(NOT_RUN_EXIT_CODE);
}
