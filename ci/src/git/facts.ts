/**
 * What a run knows about its commit, read from the repository itself rather than from
 * arguments anyone could type: the commit, its git tree hash (the release record's key),
 * its author, and whether the source being built differs from it. Pure: the command that
 * prints the facts and the parser of its output; ci/src/stages/git.ts runs it.
 */
import { ArgumentError } from "../validate";

export interface GitFacts {
  /** Full commit hash. */
  readonly commit: string;
  /** `git rev-parse <commit>^{tree}`. */
  readonly tree: string;
  /** `Name <email>` of the commit's author. */
  readonly author: string;
  /** `git status --porcelain` lines of the built source against the commit (empty: identical). */
  readonly changes: readonly string[];
}

/** Where the script finds the repository (with .git) and, optionally, the source being built. */
export const REPO_DIR = "/repo";
export const WORK_DIR = "/work";

const FULL_HASH = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const REVISION = /^(?:HEAD|[0-9a-f]{7,64})$/;
const SEPARATOR = "--- changes ---";

/**
 * The shell script, run as `sh -c SCRIPT git-facts <revision>` (the revision is an argument,
 * never pasted into the script). The comparison uses the repository's own .gitignore rules;
 * the index is refreshed in the container's copy only.
 */
export const GIT_FACTS_SCRIPT = [
  "set -eu",
  `git -c safe.directory='*' -C ${REPO_DIR} log -1 --format='%H%n%T%n%an <%ae>' "$1" --`,
  `echo '${SEPARATOR}'`,
  `if [ -d ${WORK_DIR} ]; then git -c safe.directory='*' --git-dir=${REPO_DIR}/.git --work-tree=${WORK_DIR} status --porcelain --untracked-files=all; fi`,
].join("\n");

/** The argv of the facts command for `revision` (HEAD or a commit hash). Throws ArgumentError for anything else. */
export function gitFactsArgv(revision: string): string[] {
  const rev = revision.trim();
  if (!REVISION.test(rev))
    throw new ArgumentError(`"${revision}" is not a commit: expected HEAD or 7 to 64 hexadecimal characters`);
  return ["sh", "-c", GIT_FACTS_SCRIPT, "git-facts", rev];
}

/** Parses the script's output. Throws when it is not what the script prints. */
export function parseGitFacts(output: string): GitFacts {
  const lines = output.replace(/\r/g, "").split("\n");
  const separator = lines.indexOf(SEPARATOR);
  const [commit = "", tree = "", author = ""] = lines.slice(0, Math.max(0, separator));
  if (separator !== 3 || !FULL_HASH.test(commit) || !FULL_HASH.test(tree) || author.trim() === "") {
    throw new Error(`could not read the commit, tree and author from git: ${JSON.stringify(output.slice(0, 200))}`);
  }
  return {
    commit,
    tree,
    author: author.trim(),
    changes: lines.slice(separator + 1).filter((line) => line.trim() !== ""),
  };
}

/** Checks the facts against what the caller said (`--sha`) and, when building, that the source is the commit's. */
export function checkGitFacts(facts: GitFacts, options: { sha?: string; building: boolean }): void {
  if (options.sha && !facts.commit.startsWith(options.sha.toLowerCase())) {
    throw new ArgumentError(
      `--sha ${options.sha} is not the checked-out commit ${facts.commit}: the release record must describe what is built`,
    );
  }
  if (options.building && facts.changes.length > 0) {
    const shown = facts.changes.slice(0, 5).join("; ");
    const more = facts.changes.length > 5 ? ` and ${facts.changes.length - 5} more` : "";
    throw new ArgumentError(
      `the source differs from commit ${facts.commit.slice(0, 7)} (${shown}${more}): commit or stash the changes, a published release must be exactly a commit's tree`,
    );
  }
}
