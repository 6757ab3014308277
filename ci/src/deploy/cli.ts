/**
 * Command-line entry of the deploy engine, run natively (`npx tsx ci/src/deploy/cli.ts …`)
 * and inside the deployer container of the Dagger stage (same arguments, built by args.ts).
 * Exit codes: 0 deployed (or dry run done), 2 bad arguments, 1 refused or failed.
 *
 * Importing this file does nothing: the Dagger runtime loads every .ts under ci/src, so the
 * command runs only when this file is the process's entry point.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { parseArgs, USAGE, type AccessOptions } from "./args";
import { deploy, listReleases, type ClusterAccess } from "./engine";
import { DeployError, messageOf } from "./errors";
import { failureLine } from "./outcome";
import type { Log } from "./progress";
import { formatRevisions } from "./releases";
import { renderWithImages } from "./render-local";
import { parseDuration } from "./timing";

export interface CliIo {
  readonly out: Log;
  readonly err: Log;
  readonly env: NodeJS.ProcessEnv;
}

function readInput(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    throw new DeployError("arguments", `cannot read the ${what} ${file}${code ? ` (${code})` : ""}`);
  }
}

function access(options: AccessOptions, env: NodeJS.ProcessEnv): ClusterAccess {
  return {
    kubeconfig: readInput(options.kubeconfig, "kubeconfig"),
    kubeconfigDir: path.dirname(path.resolve(options.kubeconfig)),
    context: options.context,
    apiHost: options.apiHost,
    eksCluster: options.eksCluster,
    awsRegion: options.awsRegion,
    env,
  };
}

/** Runs one command; returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const command = parseArgs(argv);
    if (command.command === "help") {
      io.out(USAGE);
      return 0;
    }
    if (command.command === "render") {
      const o = command.options;
      const yaml = await renderWithImages(process.cwd(), o.environment, {
        backend: o.backendImage,
        frontend: o.frontendImage,
      });
      if (o.output) writeFileSync(o.output, yaml);
      else io.out(yaml.trimEnd());
      return 0;
    }
    if (command.command === "releases") {
      const records = await listReleases(command.options.environment, access(command.options, io.env), io.out);
      for (const line of formatRevisions(records)) io.out(line);
      return 0;
    }
    const o = command.options;
    const timeout = o.timeout ? parseDuration(o.timeout) : undefined;
    await deploy(
      {
        environment: o.environment,
        commit: o.commit,
        backendImage: o.backendImage,
        frontendImage: o.frontendImage,
        manifests: readInput(o.manifests, "rendered manifests"),
        access: access(o, io.env),
        dryRun: o.dryRun,
        timing: timeout ? { waitTimeoutMs: timeout } : {},
      },
      io.out,
    );
    return 0;
  } catch (error) {
    const kind = error instanceof DeployError ? error.kind : "error";
    io.err(failureLine(kind, messageOf(error)));
    return kind === "arguments" ? 2 : 1;
  }
}

const entry = process.argv[1];
if (entry && path.resolve(entry) === fileURLToPath(import.meta.url)) {
  process.exitCode = await runCli(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
  });
}
