/**
 * `npm run lint`: the same static checks as the pipeline's `lint` function (ruff, ESLint,
 * tsc), from the same definitions in ci/src/commands.ts, run natively, then the Prettier check
 * of TypeScript, TSX, JSON, YAML and Markdown (`npm run format` fixes what it reports).
 */
import { frontendLintCommands, pythonLintCommands, rootTypecheckCommands, type CommandSpec } from "../ci/src/commands";
import { runAll } from "../tests/support/run";

const formatCheck: CommandSpec = { name: "prettier --check", cwd: ".", argv: ["npm", "run", "format:check"] };

process.exitCode = await runAll([...pythonLintCommands(), ...frontendLintCommands(), ...rootTypecheckCommands(), formatCheck]);
