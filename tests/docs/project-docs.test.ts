// (5) The project's own documents: the decision records and their index, the commands the
// guides name, the license and the changelog.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/run";

const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), "utf8");
const ADR_DIR = "docs/adr";
const RECORDS = readdirSync(path.join(REPO_ROOT, ADR_DIR))
  .filter((name) => /^\d{4}-[a-z0-9-]+\.md$/.test(name))
  .sort();

describe("architecture decision records", () => {
  it("exist, with unique numbers", () => {
    expect(RECORDS.length).toBeGreaterThanOrEqual(5);
    const numbers = RECORDS.map((name) => name.slice(0, 4));
    expect(new Set(numbers).size).toBe(numbers.length);
  });

  it.each(RECORDS)("%s: numbered title, status, then context, decision and consequences", (name) => {
    const text = read(`${ADR_DIR}/${name}`);
    expect(text.startsWith(`# ${name.slice(0, 4)}. `)).toBe(true);
    expect(text).toMatch(/^Status: \S/m);
    const sections = [...text.matchAll(/^## (.+)$/gm)].map((match) => match[1]);
    expect(sections).toEqual(["Context", "Decision", "Consequences"]);
  });

  it("are all listed in the index, docs/adr/README.md", () => {
    const index = read(`${ADR_DIR}/README.md`);
    const listed = [...index.matchAll(/\]\((\d{4}-[a-z0-9-]+\.md)\)/g)].map((match) => match[1]);
    expect(listed.sort()).toEqual(RECORDS);
  });
});

describe("commands named in the README and CONTRIBUTING.md", () => {
  const scripts = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts;

  it.each(["README.md", "CONTRIBUTING.md"])("%s names only npm scripts that exist", (file) => {
    const text = read(file);
    const runs = [...text.matchAll(/\bnpm run ([\w:-]+)/g)].map((match) => match[1]!);
    const suites = [...text.matchAll(/\bnpm test -- ([a-z0-9]+(?: [a-z0-9]+)*)/g)].flatMap((match) =>
      match[1]!.trim().split(/\s+/),
    );
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.filter((name) => !(name in scripts))).toEqual([]);
    expect(suites.filter((suite) => !(`test:${suite}` in scripts))).toEqual([]);
  });
});

describe("LICENSE", () => {
  it("is the MIT license that package.json declares, held by the project's contributors", () => {
    const license = read("LICENSE");
    expect((JSON.parse(read("package.json")) as { license: string }).license).toBe("MIT");
    expect(license.split("\n")[0]).toBe("MIT License");
    expect(license).toMatch(/^Copyright \(c\) \d{4} Préstamos contributors$/m);
    expect(license).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND');
  });
});

describe("CHANGELOG.md", () => {
  const text = read("CHANGELOG.md");

  it("keeps an Unreleased section first (Keep a Changelog)", () => {
    const versions = [...text.matchAll(/^## (.+)$/gm)].map((match) => match[1]);
    expect(versions[0]).toBe("[Unreleased]");
    for (const version of versions.slice(1)) expect(version).toMatch(/^\[\d+\.\d+\.\d+\] - \d{4}-\d{2}-\d{2}$/);
  });

  it("uses only Keep a Changelog's kinds of change", () => {
    const kinds = [...text.matchAll(/^### (.+)$/gm)].map((match) => match[1]);
    expect(kinds.length).toBeGreaterThan(0);
    for (const kind of kinds)
      expect(["Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"]).toContain(kind);
  });
});
