/**
 * Which branch deploys where. Pure: no Dagger, no I/O.
 *
 * Only two long-lived branches deploy: `dev` to the environment `development`
 * (namespace challenge-dev) and `main` to `production` (namespace challenge-prd). The
 * environment names are the GitHub/GitLab environments of the CI files and the subjects of
 * the cloud roles' OIDC trust (docs/pipeline.md). Every other branch never deploys.
 */

export interface Environment {
  /** The CI environment (GitHub/GitLab `environment:`), also shown in summaries. */
  readonly name: "development" | "production";
  /** Kubernetes namespace the manifests are applied to. */
  readonly namespace: "challenge-dev" | "challenge-prd";
  /** The kustomize overlay (k8s/overlays/<overlay>) and the deploy engine's --environment. */
  readonly overlay: "dev" | "prod";
}

const BY_BRANCH: Readonly<Record<string, Environment>> = {
  dev: { name: "development", namespace: "challenge-dev", overlay: "dev" },
  main: { name: "production", namespace: "challenge-prd", overlay: "prod" },
};

/** The branch whose deployed runs publish release records; production promotes them. */
export const RELEASE_BRANCH = "dev";
/** The branch that promotes dev's release to production instead of building. */
export const PROMOTION_BRANCH = "main";

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
