/**
 * `npm run lint`: the same static checks as the pipeline's `lint` function (ruff, ESLint,
 * tsc), from the same definitions in ci/src/commands.ts, run natively, then the Prettier check
 * of TypeScript, TSX, JSON, YAML and Markdown (`npm run format` fixes what it reports).
 */
import {
  formatCheckCommands,
  frontendLintCommands,
  pythonLintCommands,
  rootTypecheckCommands,
} from "../ci/src/commands";
import { runAll } from "../tests/support/run";

process.exitCode = await runAll([
  ...pythonLintCommands(),
  ...frontendLintCommands(),
  ...rootTypecheckCommands(),
  ...formatCheckCommands(),
]);
