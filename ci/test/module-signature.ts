/**
 * The module's CLI surface as `dagger call` sees it, read from ci/src/index.ts with the
 * TypeScript compiler API: each @func method (kebab-case) with its parameters, and the
 * constructor's `source` ignore list. Test-only.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export interface Parameter {
  readonly type: string;
  readonly optional: boolean;
  readonly secret: boolean;
}

function moduleClass(): { source: ts.SourceFile; node: ts.ClassDeclaration } {
  const source = ts.createSourceFile(
    "index.ts",
    readFileSync(path.join(ROOT, "ci/src/index.ts"), "utf8"),
    ts.ScriptTarget.ES2022,
    true,
  );
  let found: ts.ClassDeclaration | undefined;
  source.forEachChild((node) => {
    if (ts.isClassDeclaration(node) && node.name?.text === "Prestamos") found = node;
  });
  if (!found) throw new Error("class Prestamos not found in ci/src/index.ts");
  return { source, node: found };
}

/** @func methods by CLI name, each with its parameters by CLI flag name (in order). */
export function moduleFunctions(): Map<string, Map<string, Parameter>> {
  const { source, node } = moduleClass();
  const out = new Map<string, Map<string, Parameter>>();
  for (const member of node.members) {
    if (!ts.isMethodDeclaration(member)) continue;
    const isFunc = ts.getDecorators(member)?.some((d) => d.expression.getText(source).startsWith("func("));
    if (!isFunc) continue;
    const params = new Map<string, Parameter>();
    for (const p of member.parameters) {
      const initializer = p.initializer?.kind;
      const literalType =
        initializer === ts.SyntaxKind.TrueKeyword || initializer === ts.SyntaxKind.FalseKeyword ? "boolean" : "unknown";
      const type = p.type?.getText(source) ?? literalType;
      params.set(kebab(p.name.getText(source)), {
        type,
        optional: Boolean(p.questionToken || p.initializer),
        secret: type === "Secret",
      });
    }
    out.set(kebab(member.name.getText(source)), params);
  }
  return out;
}

/** The `ignore` patterns of the constructor's `source` argument. */
export function sourceIgnoreList(): string[] {
  const { source, node } = moduleClass();
  const ctor = node.members.find(ts.isConstructorDeclaration);
  const decorator = ctor?.parameters[0] && ts.getDecorators(ctor.parameters[0])?.[0];
  if (!decorator || !ts.isCallExpression(decorator.expression)) throw new Error("constructor @argument not found");
  const options = decorator.expression.arguments[0];
  if (!options || !ts.isObjectLiteralExpression(options)) throw new Error("@argument has no options");
  const ignore = options.properties.find((p) => p.name?.getText(source) === "ignore");
  if (!ignore || !ts.isPropertyAssignment(ignore) || !ts.isArrayLiteralExpression(ignore.initializer))
    throw new Error("no ignore list");
  return ignore.initializer.elements.map((e) => (ts.isStringLiteral(e) ? e.text : e.getText(source)));
}
