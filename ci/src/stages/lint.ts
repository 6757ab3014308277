/**
 * The lint stage: ruff (lint + format) on the backend, ESLint and tsc on the frontend, tsc
 * on the root and on the module, Prettier on the whole tree, each command in its own
 * container, all concurrently.
 */
import type { Directory } from "@dagger.io/dagger";
import { formatCheckCommands, frontendLintCommands, pythonLintCommands, rootTypecheckCommands } from "../commands";
import { describeFailures, prepare, runChains } from "./exec";
import { node, python } from "./toolchains";

/** One line per check; throws naming every failed check. */
export async function lint(source: Directory): Promise<string> {
  const py = python(source);
  const js = node(source);
  const checks = [
    ...pythonLintCommands().map((spec) => ({ spec, container: prepare(py, spec).withExec([...spec.argv]) })),
    ...[...frontendLintCommands(), ...rootTypecheckCommands(), ...formatCheckCommands()].map((spec) => ({
      spec,
      container: prepare(js, spec).withExec([...spec.argv]),
    })),
  ];
  const failed = await runChains(checks.map(({ spec, container }) => ({ container, specs: [spec] })));
  if (failed.length > 0) throw new Error(`lint failed: ${describeFailures(failed)}`);
  return checks.map(({ spec }) => `${spec.name}: passed`).join("\n");
}
