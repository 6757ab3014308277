/**
 * The frontend suite, natively: the very commands the pipeline runs (ci/src/commands.ts:
 * frontendLintCommands, frontendTestCommands) and then the production build.
 * JUnit XML and coverage land in reports/.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { frontendLintCommands, frontendTestCommands } from "../ci/src/commands";
import { REPO_ROOT, runAll } from "../tests/support/run";

const reportsDir = path.join(REPO_ROOT, "reports");
mkdirSync(reportsDir, { recursive: true });

const code = await runAll([
  ...frontendLintCommands(),
  ...frontendTestCommands(reportsDir),
  { name: "vite build (frontend)", cwd: "frontend", argv: ["npm", "run", "build"] },
]);
process.exit(code);
