/**
 * Which branch deploys where. Pure: no Dagger, no I/O.
 *
 * Only two long-lived branches deploy: `dev` to the challenge-dev namespace and `main`
 * to challenge-prd. Every other branch (features, PRs, tags) never deploys.
 */

export interface Environment {
  /** Short name used in summaries and GitHub/GitLab environments. */
  readonly name: "dev" | "prd";
  /** Kubernetes namespace the manifests are applied to. */
  readonly namespace: "challenge-dev" | "challenge-prd";
}

const BY_BRANCH: Readonly<Record<string, Environment>> = {
  dev: { name: "dev", namespace: "challenge-dev" },
  main: { name: "prd", namespace: "challenge-prd" },
};

/** Branch names that deploy, in a stable order (for messages and docs). */
export const DEPLOY_BRANCHES: readonly string[] = Object.keys(BY_BRANCH);

/** Strips a leading `refs/heads/` so both `main` and `refs/heads/main` are accepted. */
export function normalizeBranch(branch: string): string {
  return branch.trim().replace(/^refs\/heads\//, "");
}

/** The environment a branch deploys to, or undefined when it never deploys. */
export function environmentForBranch(branch: string | undefined): Environment | undefined {
  if (!branch) return undefined;
  const name = normalizeBranch(branch);
  return Object.prototype.hasOwnProperty.call(BY_BRANCH, name) ? BY_BRANCH[name] : undefined;
}
