/**
 * `npm run lint`: the same static checks as the pipeline's `lint` function (ruff, ESLint,
 * tsc), from the same definitions in ci/src/commands.ts, run natively.
 */
import { frontendLintCommands, pythonLintCommands, rootTypecheckCommands } from "../ci/src/commands";
import { runAll } from "../tests/support/run";

process.exitCode = await runAll([...pythonLintCommands(), ...frontendLintCommands(), ...rootTypecheckCommands()]);
