/**
 * Promotion to production: the release record of a git tree, read from the registry, and
 * the decision of ci/src/release/promotion.ts. Used by `ci` on main and by `promote`.
 */
import type { Directory, Service } from "@dagger.io/dagger";

import { environmentForBranch, PROMOTION_BRANCH } from "../environments";
import { decidePromotion, type Promotion } from "../release/promotion";
import type { ValidClusterArgs } from "../validate";
import { deployContainer, deployTarget, manifestsFile, renderOverlay, type Credentials } from "./deploy";
import { readRecord, type RegistryAuth } from "./release";

/** Looks up `<registry>/releases:tree-<tree>` and decides. A missing record is a refusal; a registry error throws. */
export async function promotionFor(auth: RegistryAuth, tree: string): Promise<Promotion> {
  return decidePromotion({ tree, registry: auth.registry, lookup: await readRecord(auth, tree) });
}

/** The error of a refused promotion: its code and reason, one line. */
export function refusalMessage(promotion: Extract<Promotion, { promote: false }>): string {
  return `promotion refused [${promotion.code}]: ${promotion.reason}`;
}

export interface PromoteTarget {
  readonly auth: RegistryAuth;
  readonly tree: string;
  readonly credentials: Credentials;
  readonly cluster: ValidClusterArgs;
  readonly kubeApi?: Service;
  readonly dryRun?: boolean;
}

/** Deploys the record's digests to production (or dry-runs it); returns the decision line and the deploy log. */
export async function promoteToProduction(source: Directory, target: PromoteTarget): Promise<string> {
  const promotion = await promotionFor(target.auth, target.tree);
  if (!promotion.promote) throw new Error(refusalMessage(promotion));
  const production = environmentForBranch(PROMOTION_BRANCH);
  if (!production) throw new Error(`internal: ${PROMOTION_BRANCH} deploys nowhere`);
  const images = { backend: promotion.backend, frontend: promotion.frontend };
  const yaml = await renderOverlay(source, production.overlay, images);
  const deploy = deployTarget(production.overlay, promotion.record.git.commit, images, target.cluster, target.dryRun);
  const log = await deployContainer(source, manifestsFile(yaml), target.credentials, deploy, target.kubeApi).stdout();
  return `${promotion.reason}\n${log}`;
}
