import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkGitFacts, GIT_FACTS_SCRIPT, gitFactsArgv, parseGitFacts, REPO_DIR, WORK_DIR } from "../src/git/facts";

const COMMIT = "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d";
const TREE = "9e1c5b0f2d7a4e3b8c6d1f0a2b3c4d5e6f708192";

describe("parseGitFacts", () => {
  it("reads commit, tree, author and the changed paths", () => {
    expect(
      parseGitFacts(`${COMMIT}\n${TREE}\nAda Lovelace <ada@example.com>\n--- changes ---\n M README.md\n?? new.txt\n`),
    ).toEqual({
      commit: COMMIT,
      tree: TREE,
      author: "Ada Lovelace <ada@example.com>",
      changes: [" M README.md", "?? new.txt"],
    });
  });
  it.each([
    ["empty output", ""],
    ["a short commit", `1a2b3c4\n${TREE}\nAda <a@b>\n--- changes ---\n`],
    ["no author", `${COMMIT}\n${TREE}\n\n--- changes ---\n`],
    ["no separator", `${COMMIT}\n${TREE}\nAda <a@b>\n`],
  ])("refuses %s", (_case, output) => {
    expect(() => parseGitFacts(output)).toThrow(/could not read the commit, tree and author/);
  });
});

describe("gitFactsArgv", () => {
  it("passes the revision as an argument, never inside the script", () => {
    expect(gitFactsArgv("HEAD")).toEqual(["sh", "-c", GIT_FACTS_SCRIPT, "git-facts", "HEAD"]);
    expect(GIT_FACTS_SCRIPT).not.toContain("HEAD");
  });
  it.each(["main", "HEAD~1", "$(id)", "1a2b3c", ""])("refuses %j", (rev) => {
    expect(() => gitFactsArgv(rev)).toThrow(/is not a commit/);
  });
});

describe("checkGitFacts", () => {
  const facts = { commit: COMMIT, tree: TREE, author: "Ada <a@b>", changes: [] };
  it("accepts the checked-out commit, by full or short sha", () => {
    expect(() => checkGitFacts(facts, { sha: COMMIT, building: true })).not.toThrow();
    expect(() => checkGitFacts(facts, { sha: "1A2B3C4", building: true })).not.toThrow();
  });
  it("refuses a --sha that is not the checkout, and a source with changes when building", () => {
    expect(() => checkGitFacts(facts, { sha: "ffffffff", building: false })).toThrow(
      /--sha ffffffff is not the checked-out commit 1a2b3c4d/,
    );
    const dirty = { ...facts, changes: Array.from({ length: 7 }, (_, i) => ` M f${i}`) };
    expect(() => checkGitFacts(dirty, { building: true })).toThrow(
      /the source differs from commit 1a2b3c4 \( M f0; .* M f4 and 2 more\)/,
    );
    expect(() => checkGitFacts(dirty, { building: false })).not.toThrow();
  });
});

/** The script itself, run by sh and git on a throwaway repository laid out as in the container. */
describe("GIT_FACTS_SCRIPT with git", () => {
  const root = mkdtempSync(path.join(tmpdir(), "git-facts-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const git = (...args: string[]) =>
    execFileSync("git", ["-C", path.join(root, "repo"), ...args], { encoding: "utf8" }).trim();
  const run = (work: boolean) => {
    const script = GIT_FACTS_SCRIPT.replaceAll(REPO_DIR, path.join(root, "repo")).replaceAll(
      WORK_DIR,
      path.join(root, work ? "work" : "absent"),
    );
    return parseGitFacts(execFileSync("sh", ["-c", script, "git-facts", "HEAD"], { encoding: "utf8" }));
  };

  it("prints what git rev-parse says, and the source's differences from the commit", () => {
    execFileSync("git", ["init", "-q", path.join(root, "repo")]);
    writeFileSync(path.join(root, "repo", "a.txt"), "a\n");
    writeFileSync(path.join(root, "repo", ".gitignore"), "*.log\n");
    git("add", ".");
    execFileSync("git", [
      "-C",
      path.join(root, "repo"),
      "-c",
      "user.name=Ada Lovelace",
      "-c",
      "user.email=ada@example.com",
      "commit",
      "-qm",
      "one",
    ]);
    cpSync(path.join(root, "repo"), path.join(root, "work"), {
      recursive: true,
      filter: (src) => !/[\\/]\.git([\\/]|$)/.test(src),
    });
    writeFileSync(path.join(root, "work", "ignored.log"), "x\n");

    const clean = run(true);
    expect(clean).toEqual({
      commit: git("rev-parse", "HEAD"),
      tree: git("rev-parse", "HEAD^{tree}"),
      author: "Ada Lovelace <ada@example.com>",
      changes: [],
    });
    expect(run(false).changes).toEqual([]);

    writeFileSync(path.join(root, "work", "a.txt"), "changed\n");
    writeFileSync(path.join(root, "work", "b.txt"), "new\n");
    expect(run(true).changes).toEqual([" M a.txt", "?? b.txt"]);
  });
});
