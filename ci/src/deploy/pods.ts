/**
 * The pods behind a workload's current revision: the new ReplicaSet's pods for a
 * Deployment (pod-template-hash of the ReplicaSet whose revision matches), the update
 * revision's pods for a StatefulSet, a Job's pods by its job-name label.
 */
import { isRecord, type K8sObject } from "../manifests/render";
import type { KubeClient } from "./kube-client";

interface List {
  items?: K8sObject[];
}

const REVISION = "deployment.kubernetes.io/revision";

export function selectorString(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
}

function matchLabels(workload: K8sObject): Record<string, string> {
  const selector = isRecord(workload.spec) && isRecord(workload.spec.selector) ? workload.spec.selector : {};
  const labels = isRecord(selector.matchLabels) ? selector.matchLabels : {};
  return Object.fromEntries(Object.entries(labels).filter((e): e is [string, string] => typeof e[1] === "string"));
}

export async function listPods(
  client: KubeClient,
  namespace: string,
  labels: Readonly<Record<string, string>>,
): Promise<K8sObject[]> {
  const list = await client.json<List>("GET", `/api/v1/namespaces/${namespace}/pods`, {
    query: { labelSelector: selectorString(labels) },
  });
  return list.items ?? [];
}

/** Pods of the revision the workload is rolling out (empty while the controller has not created them). */
export async function currentPods(client: KubeClient, workload: K8sObject): Promise<K8sObject[]> {
  const namespace = workload.metadata.namespace ?? "";
  const labels = matchLabels(workload);
  if (workload.kind === "Job")
    return listPods(client, namespace, { "batch.kubernetes.io/job-name": workload.metadata.name });
  if (workload.kind === "StatefulSet") {
    const revision = isRecord(workload.status) ? workload.status.updateRevision : undefined;
    return typeof revision === "string"
      ? listPods(client, namespace, { ...labels, "controller-revision-hash": revision })
      : [];
  }
  const revision = workload.metadata.annotations?.[REVISION];
  const sets = await client.json<List>("GET", `/apis/apps/v1/namespaces/${namespace}/replicasets`, {
    query: { labelSelector: selectorString(labels) },
  });
  const uid = workload.metadata.uid;
  const current = (sets.items ?? []).find(
    (rs) =>
      rs.metadata.annotations?.[REVISION] === revision &&
      Array.isArray(rs.metadata.ownerReferences) &&
      (rs.metadata.ownerReferences as Array<{ uid?: string }>).some((o) => o.uid === uid),
  );
  const hash = current?.metadata.labels?.["pod-template-hash"];
  return hash ? listPods(client, namespace, { ...labels, "pod-template-hash": hash }) : [];
}
