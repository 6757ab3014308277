/**
 * ci/package.json and its lock are what the Dagger 0.21 TypeScript runtime installs: it adds
 * typescript 5.9.3 to `dependencies` and runs `npm install --omit=dev` against the lock, so a
 * lock without it would be rewritten on every cold load. Production dependencies are exactly
 * the packages the module's code loads at run time, at the versions the root tests use, plus
 * the loader the deployer container starts the deploy CLI with (CLI_COMMAND's `--import`,
 * i.e. tsx): that container installs the same lock (`npm ci --omit=dev`), so the loader is
 * pinned with its integrity hashes like everything else instead of a second, unlocked install.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { CLI_COMMAND } from "../src/deploy/args";
import { ROOT } from "./module-signature";

type Manifest = {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  [key: string]: unknown;
};
const readJson = <T>(file: string): T => JSON.parse(readFileSync(path.join(ROOT, file), "utf8")) as T;
const pkg = readJson<Manifest>("ci/package.json");
const lock = readJson<{ packages: Record<string, Manifest & { version?: string }> }>("ci/package-lock.json");
const root = readJson<Manifest>("package.json");

const packageName = (specifier: string) =>
  specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : (specifier.split("/")[0] ?? specifier);

/** Packages that ci/src loads at run time: value imports and dynamic imports (not `import type`). */
function runtimePackages(): Set<string> {
  const out = new Set<string>();
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : [],
    );
  for (const file of walk(path.join(ROOT, "ci/src"))) {
    const text = readFileSync(file, "utf8");
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node): void => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        const clause = node.importClause;
        const named =
          clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
        const typeOnly =
          clause?.isTypeOnly ||
          (!clause?.name && named !== undefined && named.length > 0 && named.every((e) => e.isTypeOnly));
        if (!typeOnly) out.add(node.moduleSpecifier.text);
      }
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const [arg] = node.arguments;
        if (arg && ts.isStringLiteral(arg)) out.add(arg.text);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    // schema.ts imports each kind's model by computed path: `kubernetes-models/<group>/<kind>`.
    for (const m of text.matchAll(/`(kubernetes-models)\/\$\{/g)) out.add(m[1] as string);
  }
  return new Set([...out].filter((s) => !s.startsWith(".") && !s.startsWith("node:")).map(packageName));
}

/** Packages node preloads in the deployer container's command (`node --import <package> …`). */
function deployerLoaders(): string[] {
  return CLI_COMMAND.flatMap((arg, i) => (CLI_COMMAND[i - 1] === "--import" ? [packageName(arg)] : []));
}

describe("ci/package.json", () => {
  it("declares exactly the module's run-time packages, the deployer's loader and the runtime's typescript 5.9.3", () => {
    expect(deployerLoaders()).toEqual(["tsx"]);
    const expected = [...runtimePackages()].filter((name) => name !== "@dagger.io/dagger");
    expect(Object.keys(pkg.dependencies ?? {}).sort()).toEqual(
      [...new Set([...expected, ...deployerLoaders(), "typescript"])].sort(),
    );
    expect(pkg.dependencies?.typescript).toBe("5.9.3");
    expect(pkg.devDependencies).toBeUndefined();
    expect(pkg.type).toBe("module");
    expect(pkg.packageManager).toMatch(/^npm@\d+\.\d+\.\d+$/);
  });

  it("pins the versions the root tests run with", () => {
    for (const [name, version] of Object.entries(pkg.dependencies ?? {})) {
      if (name === "typescript") continue;
      expect(root.devDependencies?.[name], name).toBe(version);
    }
  });

  it("has a lock that npm install --omit=dev leaves as it is", () => {
    expect(lock.packages[""]?.dependencies).toEqual(pkg.dependencies);
    for (const [name, version] of Object.entries(pkg.dependencies ?? {}))
      expect(lock.packages[`node_modules/${name}`]?.version, name).toBe(version);
    expect(Object.values(lock.packages).every((entry) => !(entry as { dev?: boolean }).dev)).toBe(true);
  });
});
