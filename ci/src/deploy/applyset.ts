/**
 * ApplySet inventory (KEP-3659), so objects the deploy created can be pruned and kubectl
 * users see the same inventory (`kubectl get <kind> -l applyset.kubernetes.io/part-of=<id>`).
 *
 * The parent is a ConfigMap, not kubectl's default Secret: listing and reading Secrets
 * reveals their contents, and prod renders no Secret, so the prod deployer needs no Secret
 * permission at all. Pure: builds objects and ids, no I/O.
 */
import { createHash } from "node:crypto";

import type { K8sObject } from "../manifests/render";
import { groupKindOf } from "./resources";

export const APPLYSET_ID_LABEL = "applyset.kubernetes.io/id";
export const PART_OF_LABEL = "applyset.kubernetes.io/part-of";
export const TOOLING_ANNOTATION = "applyset.kubernetes.io/tooling";
export const CONTAINS_ANNOTATION = "applyset.kubernetes.io/contains-group-kinds";
/** Our tooling value; kubectl refuses to operate on parents of other tools, and so do we. */
export const TOOLING = "prestamos-deploy/v1";
export const PARENT_NAME = "prestamos-applyset";

/** applyset-<base64url(sha256(<name>.<namespace>.<kind>.<group>)) without padding>-v1 */
export function applySetId(name: string, namespace: string, kind = "ConfigMap", group = ""): string {
  const digest = createHash("sha256").update(`${name}.${namespace}.${kind}.${group}`).digest("base64url");
  return `applyset-${digest}-v1`;
}

/** Sorted, de-duplicated group-kinds, as the contains-group-kinds annotation lists them. */
export function groupKindsOf(objects: readonly K8sObject[]): string[] {
  return [...new Set(objects.map(groupKindOf))].sort();
}

export function parseGroupKinds(annotation: string | undefined): string[] {
  return (annotation ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .sort();
}

/** The parent ConfigMap listing `groupKinds`. */
export function parentObject(namespace: string, groupKinds: readonly string[]): K8sObject {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: PARENT_NAME,
      namespace,
      labels: {
        [APPLYSET_ID_LABEL]: applySetId(PARENT_NAME, namespace),
        "app.kubernetes.io/managed-by": "prestamos-deploy",
      },
      annotations: {
        [TOOLING_ANNOTATION]: TOOLING,
        [CONTAINS_ANNOTATION]: [...new Set(groupKinds)].sort().join(","),
      },
    },
  };
}

/** A copy of `object` labelled as a member of the namespace's ApplySet (top-level labels only). */
export function withPartOf(object: K8sObject, namespace: string): K8sObject {
  const labels = { ...(object.metadata.labels ?? {}), [PART_OF_LABEL]: applySetId(PARENT_NAME, namespace) };
  return { ...object, metadata: { ...object.metadata, labels } };
}
