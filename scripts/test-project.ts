/**
 * One root vitest project, natively, with the very command the pipeline runs
 * (rootTestCommand in ci/src/commands.ts; JUnit into reports/), after checking what the
 * project needs on this machine (tests/support/projects.ts): a missing prerequisite says
 * NOT RUN (exit 3), or fails under CI=true.
 *
 *   npx tsx scripts/test-project.ts <ci|k8s|platform|docs>
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { ROOT_TEST_PROJECTS, rootTestCommand, type RootTestProject } from "../ci/src/commands";
import { checkPrerequisites } from "../tests/support/projects";
import { REPO_ROOT, runCommand } from "../tests/support/run";

const project = process.argv[2];
if (!project || !(ROOT_TEST_PROJECTS as readonly string[]).includes(project)) {
  console.error(`usage: tsx scripts/test-project.ts <${ROOT_TEST_PROJECTS.join("|")}>`);
  process.exit(2);
}
checkPrerequisites(project as RootTestProject);

const reportsDir = path.join(REPO_ROOT, "reports");
mkdirSync(reportsDir, { recursive: true });
process.exitCode = await runCommand(rootTestCommand(project as RootTestProject, reportsDir));
