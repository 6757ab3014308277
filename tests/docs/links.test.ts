// (3) Images and local links in README.md files and docs/ point at files that exist.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { brokenLinks } from "../../scripts/lib/docs-diagrams";
import { markdownFiles, repoPathExists } from "../../scripts/lib/docs-files";
import { REPO_ROOT } from "../../scripts/lib/run";

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
