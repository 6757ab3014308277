/**
 * The namespace's deploy history: one revision (a ConfigMap) per deploy attempt (like Helm's release
 * Secrets): revision, environment, commit, image references, outcome, times, and the
 * applied objects (gzip + base64 in binaryData) so a rollback re-applies exactly the last
 * successful release, ConfigMaps and hashed names included.
 *
 * ConfigMap, not Secret: reading records must not need Secret access. Therefore Secret
 * objects are stored without their values (only a sha256 of them); their hash-suffixed
 * generator names mean the previous release's Secrets still exist at rollback time (prune
 * runs only after a healthy rollout). The last HISTORY_LIMIT records are kept, and never
 * fewer than the latest successful one.
 */
import { createHash } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";

import { isRecord, type K8sObject } from "../manifests/render";
import type { Applier } from "./apply";
import { DeployError } from "./errors";
import type { KubeClient } from "./kube-client";
import { selectorString } from "./pods";

export type Outcome = "succeeded" | "failed" | "rolled-back";

export interface DeployRevision {
  readonly revision: number;
  readonly environment: string;
  readonly commit: string;
  readonly backendImage: string;
  readonly frontendImage: string;
  readonly outcome: Outcome;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** Why it failed, or which revision it was rolled back to. */
  readonly message: string;
}

export const HISTORY_LIMIT = 10;
/** ConfigMaps are limited to 1 MiB; stay well below. */
export const MAX_MANIFEST_BYTES = 900 * 1024;
const RECORD_LABEL = "prestamos.dev/release-record";
const REVISION_LABEL = "prestamos.dev/revision";
const OUTCOME_LABEL = "prestamos.dev/outcome";
const MANIFEST_KEY = "manifest.json.gz";
export const DATA_HASH_ANNOTATION = "prestamos.dev/data-sha256";

export function recordName(revision: number): string {
  return `prestamos-release-v${revision}`;
}

/**
 * sha256 of a Secret's decoded key/value pairs (what the record keeps instead of the
 * values). Decoded, so a rendered Secret (base64 wrapped by kustomize, or stringData) and
 * the same Secret read back from the API hash alike.
 */
export function secretDataHash(secret: K8sObject): string {
  const pairs: Record<string, string> = {};
  const data = isRecord(secret.data) ? secret.data : {};
  for (const [key, value] of Object.entries(data)) {
    pairs[key] = Buffer.from(String(value).replace(/\s/g, ""), "base64").toString("hex");
  }
  const stringData = isRecord(secret.stringData) ? secret.stringData : {};
  for (const [key, value] of Object.entries(stringData))
    pairs[key] = Buffer.from(String(value), "utf8").toString("hex");
  const sorted = Object.keys(pairs)
    .sort()
    .map((key) => [key, pairs[key]]);
  return createHash("sha256").update(JSON.stringify(sorted)).digest("hex");
}

/** Objects with every Secret's values removed and their hash kept in an annotation. */
export function redactSecrets(objects: readonly K8sObject[]): K8sObject[] {
  return objects.map((o) => {
    if (o.kind !== "Secret") return o;
    const { data: _data, stringData: _stringData, ...rest } = o;
    const annotations = { ...(o.metadata.annotations ?? {}), [DATA_HASH_ANNOTATION]: secretDataHash(o) };
    return { ...rest, metadata: { ...o.metadata, annotations } } as K8sObject;
  });
}

/** Compressed manifest of a release; throws DeployError("validation") when too big for a ConfigMap. */
export function encodeManifest(objects: readonly K8sObject[]): string {
  const gz = gzipSync(Buffer.from(JSON.stringify(redactSecrets(objects)), "utf8"));
  if (gz.length > MAX_MANIFEST_BYTES) {
    throw new DeployError(
      "validation",
      `the release record would be ${gz.length} bytes compressed, over the ${MAX_MANIFEST_BYTES} limit`,
    );
  }
  return gz.toString("base64");
}

export function decodeManifest(base64: string): K8sObject[] {
  return JSON.parse(gunzipSync(Buffer.from(base64, "base64")).toString("utf8")) as K8sObject[];
}

export function recordObject(namespace: string, record: DeployRevision, manifest: string): K8sObject {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: recordName(record.revision),
      namespace,
      labels: {
        "app.kubernetes.io/managed-by": "prestamos-deploy",
        [RECORD_LABEL]: "true",
        [REVISION_LABEL]: String(record.revision),
        [OUTCOME_LABEL]: record.outcome,
      },
    },
    data: {
      revision: String(record.revision),
      environment: record.environment,
      commit: record.commit,
      backendImage: record.backendImage,
      frontendImage: record.frontendImage,
      outcome: record.outcome,
      startedAt: record.startedAt,
      finishedAt: record.finishedAt,
      message: record.message,
    },
    binaryData: { [MANIFEST_KEY]: manifest },
  };
}

function str(data: Record<string, unknown>, key: string): string {
  return typeof data[key] === "string" ? data[key] : "";
}

export function parseRecord(configMap: K8sObject): DeployRevision | undefined {
  const data = isRecord(configMap.data) ? configMap.data : {};
  const revision = Number(str(data, "revision"));
  const outcome = str(data, "outcome");
  if (!Number.isInteger(revision) || revision < 1 || !["succeeded", "failed", "rolled-back"].includes(outcome))
    return undefined;
  return {
    revision,
    environment: str(data, "environment"),
    commit: str(data, "commit"),
    backendImage: str(data, "backendImage"),
    frontendImage: str(data, "frontendImage"),
    outcome: outcome as Outcome,
    startedAt: str(data, "startedAt"),
    finishedAt: str(data, "finishedAt"),
    message: str(data, "message"),
  };
}

export function formatRevisions(records: readonly DeployRevision[]): string[] {
  if (records.length === 0) return ["no releases recorded"];
  return records.map(
    (r) =>
      `v${r.revision}  ${r.outcome.padEnd(11)}  ${r.commit.slice(0, 12).padEnd(12)}  ${r.finishedAt}  ` +
      `backend=${r.backendImage}  frontend=${r.frontendImage}${r.message ? `  (${r.message})` : ""}`,
  );
}

export class DeployHistory {
  constructor(
    private readonly client: KubeClient,
    private readonly namespace: string,
  ) {}

  private async listConfigMaps(): Promise<K8sObject[]> {
    const list = await this.client.json<{ items?: K8sObject[] }>(
      "GET",
      `/api/v1/namespaces/${this.namespace}/configmaps`,
      {
        query: { labelSelector: selectorString({ [RECORD_LABEL]: "true" }) },
      },
    );
    return (list.items ?? []).filter((cm) => parseRecord(cm) !== undefined);
  }

  /** Records, newest first. */
  async list(): Promise<DeployRevision[]> {
    return (await this.listConfigMaps())
      .map((cm) => parseRecord(cm) as DeployRevision)
      .sort((a, b) => b.revision - a.revision);
  }

  /** The latest successful release with its objects, if any. */
  async lastSucceeded(): Promise<{ record: DeployRevision; objects: K8sObject[] } | undefined> {
    const maps = (await this.listConfigMaps()).sort(
      (a, b) => (parseRecord(b)?.revision ?? 0) - (parseRecord(a)?.revision ?? 0),
    );
    const map = maps.find((cm) => parseRecord(cm)?.outcome === "succeeded");
    if (!map) return undefined;
    const manifest = isRecord(map.binaryData) ? map.binaryData[MANIFEST_KEY] : undefined;
    if (typeof manifest !== "string") return undefined;
    return { record: parseRecord(map) as DeployRevision, objects: decodeManifest(manifest) };
  }

  /** Writes a record and trims the history. */
  async save(applier: Applier, record: DeployRevision, manifest: string): Promise<void> {
    await applier.apply(recordObject(this.namespace, record, manifest));
    const records = await this.list();
    const keepSucceeded = records.find((r) => r.outcome === "succeeded")?.revision;
    for (const old of records.slice(HISTORY_LIMIT)) {
      if (old.revision === keepSucceeded) continue;
      await this.client.request(
        "DELETE",
        `/api/v1/namespaces/${this.namespace}/configmaps/${recordName(old.revision)}`,
      );
    }
  }
}
