/**
 * What the engine double answers for a whole `ci` run: git's commit facts, the rendered
 * overlays, the test reports, Trivy's reports and SBOMs, the deployer's output, the release
 * record under its tag. One scenario object per test says what differs (a dirty checkout,
 * a vulnerable image, a failing deploy, the record the registry holds).
 */
import { readFileSync } from "node:fs";
import path from "node:path";

import type { Directory } from "@dagger.io/dagger";

import type { Prestamos } from "../../src/index";
import { kustomizeBuild } from "../../src/manifests/render";
import { fixture } from "../fixtures";
import { REPO_ROOT } from "../manifests/testing";
import { moduleFunctions } from "../module-signature";
import { COMMIT, TREE } from "../release/fixtures";
import type { EngineDoubleOptions, Step } from "./engine-double";

export { COMMIT as SHA, TREE };
export const AUTHOR = "Ada Lovelace <ada@example.com>";

/** What git prints for the checkout; `changes` are `git status --porcelain` lines. */
export function gitFactsOutput(changes: readonly string[] = [], commit = COMMIT, tree = TREE): string {
  return [commit, tree, AUTHOR, "--- changes ---", ...changes, ""].join("\n");
}

export function deployLog(namespace: string, revision = 3): string {
  return [
    "▶ validate",
    `  26 objects for ${namespace}, commit 1a2b3c4; schema and policy checks passed`,
    "✔ validate (0.4s)",
    "▶ smoke test",
    "  frontend /: ok",
    "✔ smoke test (0.3s)",
    `deployed v${revision} (commit 1a2b3c4) to ${namespace} in 61.2s`,
    "",
  ].join("\n");
}

export interface Scenario {
  /** `git status --porcelain` of the source against the commit. */
  changes?: readonly string[];
  /** A different commit in git's output (to test --sha checks). */
  gitCommit?: string;
  /** Trivy report fixture per image (default clean.json). */
  trivy?: Partial<Record<"backend" | "frontend", string>>;
  /** The record the registry holds under releases:tree-<hash>; an Error is the pull's error; undefined: none. */
  record?: string | Error;
}

/** Rendered overlays by directory, rendered once for all tests (kubectl is slow). */
const rendered = new Map<string, string>();
export async function renderOverlays(): Promise<void> {
  for (const dir of ["k8s/overlays/dev", "k8s/overlays/prod"])
    if (!rendered.has(dir)) rendered.set(dir, await kustomizeBuild(`${REPO_ROOT}/${dir}`));
}

const execs = (chain: readonly Step[]): string[][] =>
  chain.filter((s) => s.field === "withExec").map((s) => s.args.args as string[]);
const fileOf = (chain: readonly Step[]): string | undefined => {
  const last = chain.at(-1);
  return last?.field === "file" ? String(last.args.path) : undefined;
};

export const isDeployerExec = (argv: readonly string[]): boolean =>
  argv[0] === "node" && argv[2] === "tsx" && argv[4] === "deploy";

/** Resolves the double's ids (for files built from other objects). */
export interface IdResolver {
  isId(value: unknown): value is string;
  chainOf(id: string): readonly Step[];
}

/** The chain that produced the file a `contents` query reads (following withFile sources). */
export function fileChain(ids: IdResolver, chain: readonly Step[]): readonly Step[] {
  const last = chain.at(-1);
  if (last?.field !== "file") return chain;
  const source = [...chain].reverse().find((s) => s.field === "withFile" && s.args.path === last.args.path)
    ?.args.source;
  return ids.isId(source) ? fileChain(ids, ids.chainOf(source)) : chain;
}

/** The manifests step's files: the real render of the overlay its kustomize exec names. */
export function renderedContents(ids: IdResolver, chain: readonly Step[]): string | undefined {
  const render = execs(fileChain(ids, chain)).find((argv) => argv[1] === "kustomize");
  return render ? rendered.get(render[2] ?? "") : undefined;
}

/** stdoutFor and contentsFor of the double for `scenario`; `contents` adds answers of the caller's own. */
export function ciAnswers(
  scenario: Scenario,
  ids: () => IdResolver,
  contents?: (chain: readonly Step[]) => string | undefined,
): Pick<EngineDoubleOptions, "stdoutFor" | "contentsFor"> {
  return {
    stdoutFor: (chain) => {
      const last = execs(chain).at(-1) ?? [];
      if (last[3] === "git-facts") return gitFactsOutput(scenario.changes, scenario.gitCommit);
      if (last[0] === "kubectl" && last[1] === "kustomize") return rendered.get(last[2] ?? "");
      if (isDeployerExec(last)) return deployLog(last.includes("prod") ? "challenge-prd" : "challenge-dev");
      return undefined;
    },
    contentsFor: (chain) => {
      const own = contents?.(chain) ?? renderedContents(ids(), chain);
      if (own !== undefined) return own;
      const file = fileOf(chain) ?? "";
      if (file.endsWith("-junit.xml"))
        return fixture(
          file.startsWith("backend") ? "junit/backend-postgres-passed-junit.xml" : "junit/frontend-junit.xml",
        );
      const trivy = /^\/scan\/(backend|frontend)-trivy\.json$/.exec(file);
      if (trivy) return fixture(`trivy/${scenario.trivy?.[trivy[1] as "backend" | "frontend"] ?? "clean.json"}`);
      if (/^\/scan\/(backend|frontend)\.cdx\.json$/.test(file)) return fixture("cyclonedx/small.cdx.json");
      if (file.endsWith("/kustomization.yaml")) return readFileSync(path.join(REPO_ROOT, file), "utf8");
      if (file === "/release.json") {
        if (scenario.record instanceof Error) throw scenario.record;
        if (scenario.record === undefined)
          throw new Error(
            `failed to resolve source metadata for ${JSON.stringify(chain.find((s) => s.field === "from")?.args.address)}: not found`,
          );
        return scenario.record;
      }
      return undefined;
    },
  };
}

/** `ci`'s parameters in the order `dagger call` passes them (read from ci/src/index.ts). */
const CI_PARAMETERS = [...(moduleFunctions().get("ci")?.keys() ?? [])];

/** Calls `ci` with named arguments (CLI spelling, e.g. `"aws-region"`); the rest undefined. */
export function callCi(module: Prestamos, named: Readonly<Record<string, unknown>>): Promise<Directory> {
  const unknown = Object.keys(named).filter((name) => !CI_PARAMETERS.includes(name));
  if (unknown.length > 0) throw new Error(`ci has no parameter ${unknown.join(", ")}`);
  const ci = module.ci.bind(module) as (...args: unknown[]) => Promise<Directory>;
  return ci(...CI_PARAMETERS.map((name) => named[name]));
}
