// (3) Images and local links in README.md files and docs/ point at files that exist.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { brokenLinks } from "../../docs/tools/diagrams";
import { markdownFiles, repoPathExists } from "../../docs/tools/files";
import { REPO_ROOT } from "../support/run";

describe("Markdown links", () => {
  const files = markdownFiles();

  it("finds the docs to check", () => {
    expect(files).toEqual(expect.arrayContaining(["docs/architecture.md", "docs/pipeline.md", "docs/operations.md"]));
  });

  it.each(files)("%s: local images and links exist", (file) => {
    const md = readFileSync(path.join(REPO_ROOT, file), "utf8");
    expect(brokenLinks(file, md, repoPathExists)).toEqual([]);
  });
});
