/**
 * Reads a commit's facts (commit, tree hash, author) and, when building, the differences of
 * the built source from it, with git in a container: the module's runtime has no git. The
 * repository comes from the module's contextual GitRepository argument (the checkout the
 * CLI runs in), so neither the tree hash nor the author is taken from a typed argument.
 */
import type { Directory, GitRepository } from "@dagger.io/dagger";

import { gitFactsArgv, parseGitFacts, REPO_DIR, WORK_DIR, type GitFacts } from "../git/facts";
import { gitTools } from "./toolchains";

/** The facts of `revision` (HEAD, or a commit hash for a terminal promotion). */
export async function readGitFacts(repository: GitRepository, revision: string, source?: Directory): Promise<GitFacts> {
  let container = gitTools().withDirectory(REPO_DIR, repository.head().tree({ discardGitDir: false }));
  if (source) container = container.withDirectory(WORK_DIR, source);
  return parseGitFacts(await container.withExec(gitFactsArgv(revision)).stdout());
}
