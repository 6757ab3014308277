// (1) Committed SVGs are current: stamped with the sha256 of today's .mmd and config.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { inlineDiagramProblems, staleDiagrams } from "../../docs/tools/diagrams";
import { MERMAID_CONFIG, markdownFiles, mermaidCliVersion, readDiagrams } from "../../docs/tools/files";
import { REPO_ROOT } from "../support/run";

describe("docs/diagrams", () => {
  const diagrams = readDiagrams();

  it("has the diagrams the docs are built on", () => {
    expect(diagrams.map((d) => d.name)).toEqual(
      expect.arrayContaining(["architecture", "network", "loan-request", "pipeline", "deploy"]),
    );
  });

  it("every .mmd has a current .svg (run `npm run docs:render` otherwise)", () => {
    const config = readFileSync(MERMAID_CONFIG, "utf8");
    expect(staleDiagrams(diagrams, config, mermaidCliVersion())).toEqual([]);
  });

  it("every SVG is embedded by some Markdown under docs/", () => {
    const docs = markdownFiles()
      .filter((file) => file.startsWith("docs/"))
      .map((file) => readFileSync(path.join(REPO_ROOT, file), "utf8"))
      .join("\n");
    const unused = diagrams.filter((d) => !docs.includes(`diagrams/${d.name}.svg`)).map((d) => d.name);
    expect(unused).toEqual([]);
  });

  it("inline ```mermaid copies in the docs equal their .mmd source", () => {
    const problems = markdownFiles().flatMap((file) => {
      const md = readFileSync(path.join(REPO_ROOT, file), "utf8");
      return inlineDiagramProblems(file, md, (relative) => {
        try {
          return readFileSync(path.resolve(REPO_ROOT, path.dirname(file), relative), "utf8");
        } catch {
          return undefined;
        }
      });
    });
    expect(problems).toEqual([]);
  });
});
