/**
 * File access for the documentation checks: where the diagrams, the Mermaid config and
 * the Markdown live, read from disk. The checks themselves are in ./docs-diagrams.ts.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "../../tests/support/run";
import type { DiagramFiles } from "./diagrams";

export const DIAGRAMS_DIR = path.join(REPO_ROOT, "docs", "diagrams");
/** Theme and layout settings shared by every diagram (part of each SVG's stamp). */
export const MERMAID_CONFIG = path.join(DIAGRAMS_DIR, "mermaid.config.json");

function readIfExists(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, "utf8") : undefined;
}

/** Every diagram in docs/diagrams: each .mmd, and each .svg even without a source. */
export function readDiagrams(dir: string = DIAGRAMS_DIR): DiagramFiles[] {
  const names = new Set(
    readdirSync(dir)
      .filter((file) => file.endsWith(".mmd") || file.endsWith(".svg"))
      .map((file) => file.replace(/\.(mmd|svg)$/, "")),
  );
  return [...names].sort().map((name) => ({
    name,
    mmd: readIfExists(path.join(dir, `${name}.mmd`)),
    svg: readIfExists(path.join(dir, `${name}.svg`)),
  }));
}

/** The @mermaid-js/mermaid-cli version pinned in docs/package.json (no install, no browser). */
export function mermaidCliVersion(): string {
  const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, "docs", "package.json"), "utf8")) as {
    devDependencies?: Record<string, string>;
  };
  const version = manifest.devDependencies?.["@mermaid-js/mermaid-cli"];
  if (!version) throw new Error("docs/package.json does not pin @mermaid-js/mermaid-cli");
  return version;
}

/** Repo-relative Markdown to check: the root's, every README.md up to two folders deep, and all of docs/. */
export function markdownFiles(root: string = REPO_ROOT): string[] {
  const skip = new Set(["node_modules", ".git", ".venv", "dist", "build", "coverage", "ci/sdk"]);
  const found: string[] = [];
  const walk = (relative: string, depth: number, everything: boolean) => {
    for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (skip.has(entry.name) || skip.has(child) || entry.name.startsWith(".")) continue;
        const inDocs = everything || child === "docs";
        if (inDocs || depth < 2) walk(child, depth + 1, inDocs);
      } else if (entry.name.endsWith(".md") && (everything || relative === "" || entry.name === "README.md")) {
        found.push(child);
      }
    }
  };
  walk("", 0, false);
  return found.sort();
}

/** True when the repo-relative path is an existing file or folder. */
export function repoPathExists(repoPath: string): boolean {
  const full = path.join(REPO_ROOT, repoPath);
  return existsSync(full) && (statSync(full).isFile() || statSync(full).isDirectory());
}
