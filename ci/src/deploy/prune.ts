/**
 * Prune and the ApplySet parent, in kubectl's order: before applying, the parent lists the
 * union of the old and new group-kinds (an interrupted deploy leaks nothing); after the
 * rollout is healthy, objects labelled part-of our ApplySet that the release does not
 * contain are deleted, then the parent shrinks to the release's group-kinds.
 *
 * Only objects carrying our part-of label are ever listed, so nothing we did not create is
 * touched; PVCs created from volumeClaimTemplates do not inherit the label.
 */
import type { K8sObject } from "../manifests/render";
import type { Applier } from "./apply";
import {
  applySetId,
  CONTAINS_ANNOTATION,
  PARENT_NAME,
  parentObject,
  parseGroupKinds,
  PART_OF_LABEL,
  TOOLING,
  TOOLING_ANNOTATION,
} from "./applyset";
import { DeployError } from "./errors";
import type { KubeClient } from "./kube-client";
import { selectorString } from "./pods";
import { collectionPath, groupKindOf, objectPath, type Resources, type ResourceInfo } from "./resources";

export interface PruneCandidate {
  readonly info: ResourceInfo;
  readonly groupKind: string;
  readonly name: string;
}

/** Group-kinds the parent currently lists; refuses a parent that another tool owns. */
export async function currentGroupKinds(client: KubeClient, namespace: string): Promise<string[]> {
  const parent = await client.getOptional<K8sObject>(`/api/v1/namespaces/${namespace}/configmaps/${PARENT_NAME}`);
  if (!parent) return [];
  const tooling = parent.metadata.annotations?.[TOOLING_ANNOTATION];
  if (tooling !== TOOLING) {
    throw new DeployError(
      "validation",
      `ConfigMap ${PARENT_NAME} is an ApplySet parent of "${tooling ?? "unknown"}", not ${TOOLING}: refusing to share it`,
    );
  }
  return parseGroupKinds(parent.metadata.annotations?.[CONTAINS_ANNOTATION]);
}

export function writeParent(applier: Applier, namespace: string, groupKinds: readonly string[]): Promise<K8sObject> {
  return applier.apply(parentObject(namespace, groupKinds));
}

/** Members of our ApplySet (of the listed group-kinds) that `keep` does not contain. */
export async function findPrunable(
  client: KubeClient,
  resources: Resources,
  namespace: string,
  groupKinds: readonly string[],
  keep: readonly K8sObject[],
): Promise<PruneCandidate[]> {
  const id = applySetId(PARENT_NAME, namespace);
  const kept = new Set(keep.map((o) => `${groupKindOf(o)}/${o.metadata.name}`));
  const out: PruneCandidate[] = [];
  for (const groupKind of groupKinds) {
    const info = await resources.forGroupKind(groupKind);
    const list = await client.json<{ items?: K8sObject[] }>("GET", collectionPath(info, namespace), {
      query: { labelSelector: selectorString({ [PART_OF_LABEL]: id }) },
    });
    for (const item of list.items ?? []) {
      if (item.metadata.labels?.[PART_OF_LABEL] !== id) continue;
      if (!kept.has(`${groupKind}/${item.metadata.name}`)) out.push({ info, groupKind, name: item.metadata.name });
    }
  }
  return out;
}

export function describeCandidate(candidate: PruneCandidate): string {
  return `${candidate.groupKind}/${candidate.name}`;
}

/** Deletes the candidates (dependents in the background); an object already gone is fine. */
export async function deleteCandidates(
  client: KubeClient,
  namespace: string,
  candidates: readonly PruneCandidate[],
): Promise<void> {
  for (const c of candidates) await client.deleteInBackground(objectPath(c.info, namespace, c.name));
}
