/**
 * API discovery: which REST resource serves a kind, whether it is namespaced, and the
 * paths to reach it. Answers are cached per group/version, like client-go's discovery.
 */
import type { K8sObject } from "../manifests/render";
import { DeployError } from "./errors";
import { isNotFound, type KubeClient } from "./kube-client";

export interface ResourceInfo {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** Plural resource name, e.g. deployments. */
  readonly resource: string;
  readonly namespaced: boolean;
}

interface APIResourceList {
  resources?: Array<{ name: string; kind: string; namespaced: boolean }>;
}
interface APIGroupList {
  groups?: Array<{ name: string; preferredVersion?: { version?: string } }>;
}

/** "Deployment.apps" / "ConfigMap": the group-kind notation of kubectl and ApplySets. */
export function groupKind(apiVersion: string, kind: string): string {
  const group = apiVersion.includes("/") ? (apiVersion.split("/")[0] ?? "") : "";
  return group ? `${kind}.${group}` : kind;
}

export function groupKindOf(object: K8sObject): string {
  return groupKind(object.apiVersion, object.kind);
}

/** Splits "Deployment.apps" into kind and group ("ConfigMap" → group ""). */
export function splitGroupKind(value: string): { kind: string; group: string } {
  const dot = value.indexOf(".");
  return dot < 0 ? { kind: value, group: "" } : { kind: value.slice(0, dot), group: value.slice(dot + 1) };
}

export function collectionPath(info: ResourceInfo, namespace: string): string {
  const prefix = info.group ? `/apis/${info.group}/${info.version}` : `/api/${info.version}`;
  return info.namespaced ? `${prefix}/namespaces/${namespace}/${info.resource}` : `${prefix}/${info.resource}`;
}

export function objectPath(info: ResourceInfo, namespace: string, name: string, subresource?: string): string {
  return `${collectionPath(info, namespace)}/${encodeURIComponent(name)}${subresource ? `/${subresource}` : ""}`;
}

export class Resources {
  private readonly lists = new Map<string, Promise<APIResourceList>>();
  private groups?: Promise<APIGroupList>;

  constructor(private readonly client: KubeClient) {}

  private list(apiVersion: string, refresh = false): Promise<APIResourceList> {
    let pending = this.lists.get(apiVersion);
    if (!pending || refresh) {
      const path = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      pending = this.client.json<APIResourceList>("GET", path).catch((error: unknown) => {
        this.lists.delete(apiVersion);
        throw error;
      });
      this.lists.set(apiVersion, pending);
    }
    return pending;
  }

  /** The resource serving apiVersion/kind; throws a clear DeployError when the cluster does not serve it. */
  async forKind(apiVersion: string, kind: string): Promise<ResourceInfo> {
    const find = (list: APIResourceList) => list.resources?.find((r) => r.kind === kind && !r.name.includes("/"));
    let found;
    try {
      found = find(await this.list(apiVersion)) ?? find(await this.list(apiVersion, true));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    if (!found) throw new DeployError("api", `the cluster does not serve ${apiVersion} ${kind}`);
    const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
    return {
      group: group ?? "",
      version: version ?? apiVersion,
      kind,
      resource: found.name,
      namespaced: found.namespaced,
    };
  }

  forObject(object: K8sObject): Promise<ResourceInfo> {
    return this.forKind(object.apiVersion, object.kind);
  }

  /** The REST path of an object (in its own namespace). */
  async pathOf(object: K8sObject): Promise<string> {
    return objectPath(await this.forObject(object), object.metadata.namespace ?? "", object.metadata.name);
  }

  /** The live object; undefined when it does not exist. */
  async read(object: K8sObject): Promise<K8sObject | undefined> {
    return this.client.getOptional<K8sObject>(await this.pathOf(object));
  }

  /** Resolves "Deployment.apps" with the group's preferred version (core: v1). */
  async forGroupKind(value: string): Promise<ResourceInfo> {
    const { kind, group } = splitGroupKind(value);
    if (!group) return this.forKind("v1", kind);
    this.groups ??= this.client.json<APIGroupList>("GET", "/apis");
    const entry = (await this.groups).groups?.find((g) => g.name === group);
    const version = entry?.preferredVersion?.version;
    if (!version) throw new DeployError("api", `the cluster does not serve the API group ${group}`);
    return this.forKind(`${group}/${version}`, kind);
  }
}
