/**
 * Backend suite, natively: ruff, Django's deploy and migration checks, then the Django tests
 * with branch coverage on SQLite and on PostgreSQL (DATABASE_URL when given, otherwise a
 * throwaway server from tests/support/postgres.ts). Runs exactly the commands the pipeline
 * runs (ci/src/commands.ts). Reports land in reports/ at the repo root.
 *
 *   npx tsx scripts/test-backend.ts      (or: npm run test:backend)
 */
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { backendTestCommands, djangoCheckCommands, pythonLintCommands } from "../ci/src/commands";
import { findPostgresBin, startThrowawayPostgres, type ThrowawayPostgres } from "../tests/support/postgres";
import { missingPrerequisite } from "../tests/support/prerequisites";
import { REPO_ROOT, VENV_BIN, runAll } from "../tests/support/run";

const SUITE = "backend tests";
const REPORTS_DIR = path.join(REPO_ROOT, "reports");

async function main(): Promise<number> {
  if (!existsSync(path.join(VENV_BIN, "python"))) {
    console.error(`${SUITE}: the Python venv (.venv) is missing. Run \`npm run setup\` first.`);
    return 1;
  }
  mkdirSync(REPORTS_DIR, { recursive: true });
  const ran: string[] = [];

  let code = await runAll([...pythonLintCommands(), ...djangoCheckCommands()], {
    env: { DATABASE_URL: undefined },
  });
  if (code !== 0) return code;

  code = await runAll(backendTestCommands(REPORTS_DIR, "sqlite"), { env: { DATABASE_URL: undefined } });
  if (code !== 0) return code;
  ran.push("sqlite");

  let server: ThrowawayPostgres | undefined;
  let databaseUrl = process.env.DATABASE_URL?.trim();
  let origin = "DATABASE_URL from the environment";
  if (!databaseUrl) {
    if (!findPostgresBin()) {
      missingPrerequisite(
        SUITE,
        "PostgreSQL (initdb, pg_ctl, psql)",
        "Install the PostgreSQL server package or set DATABASE_URL. SQLite tests passed.",
      );
    }
    server = await startThrowawayPostgres();
    databaseUrl = server.url;
    origin = "throwaway server";
  }
  try {
    console.log(`\nPostgreSQL: ${origin}`);
    code = await runAll(backendTestCommands(REPORTS_DIR, "postgres"), { env: { DATABASE_URL: databaseUrl } });
  } finally {
    await server?.stop();
  }
  if (code !== 0) return code;
  ran.push("postgresql");

  console.log(`\n✔ ${SUITE} passed. Databases: ${ran.join(", ")}. Reports: ${REPORTS_DIR}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
