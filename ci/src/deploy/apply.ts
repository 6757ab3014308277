/**
 * Server-side apply with a fixed field manager, always forcing conflicts (the deploy owns
 * what it renders, as Flux and Argo CD do), strict field validation, optional dryRun=All.
 *
 * Replicas under an HPA: when a HorizontalPodAutoscaler targets a Deployment that already
 * exists, the live `spec.replicas` is applied instead of the rendered one, so a deploy
 * never scales a scaled-out Deployment back down (and never drops ownership of the field,
 * which would reset it to 1).
 */
import type { K8sObject } from "../manifests/render";
import { isRecord } from "../manifests/render";
import type { KubeClient } from "./kube-client";
import { objectPath, type Resources } from "./resources";

export const FIELD_MANAGER = "prestamos-deploy";
export const APPLY_CONTENT_TYPE = "application/apply-patch+yaml";

export interface ApplyOptions {
  readonly dryRun?: boolean;
}

/** Names of the Deployments (and other scale targets) an HPA in `objects` controls. */
export function hpaTargets(objects: readonly K8sObject[]): Set<string> {
  const out = new Set<string>();
  for (const o of objects) {
    if (o.kind !== "HorizontalPodAutoscaler" || !isRecord(o.spec) || !isRecord(o.spec.scaleTargetRef)) continue;
    const ref = o.spec.scaleTargetRef;
    if (typeof ref.kind === "string" && typeof ref.name === "string") out.add(`${ref.kind}/${ref.name}`);
  }
  return out;
}

/** `object` with spec.replicas set to `replicas`. */
export function withReplicas(object: K8sObject, replicas: number): K8sObject {
  return { ...object, spec: { ...(object.spec as Record<string, unknown>), replicas } };
}

export class Applier {
  constructor(
    private readonly client: KubeClient,
    private readonly resources: Resources,
    /** "Kind/name" of the objects whose live replicas win (see hpaTargets). */
    private readonly keepLiveReplicas: ReadonlySet<string> = new Set(),
  ) {}

  /** Applies one object; returns the object as the server stored it (or would store it, in a dry run). */
  async apply(object: K8sObject, options: ApplyOptions = {}): Promise<K8sObject> {
    const info = await this.resources.forObject(object);
    const namespace = object.metadata.namespace ?? "";
    const path = objectPath(info, namespace, object.metadata.name);
    let body = object;
    if (this.keepLiveReplicas.has(`${object.kind}/${object.metadata.name}`)) {
      const live = await this.client.getOptional<K8sObject>(path);
      const replicas = isRecord(live?.spec) ? live.spec.replicas : undefined;
      if (typeof replicas === "number") body = withReplicas(object, replicas);
    }
    return this.client.json<K8sObject>("PATCH", path, {
      query: {
        fieldManager: FIELD_MANAGER,
        force: true,
        fieldValidation: "Strict",
        dryRun: options.dryRun ? "All" : undefined,
      },
      body,
      contentType: APPLY_CONTENT_TYPE,
    });
  }

  /** Applies objects one after another, in the given order. */
  async applyAll(objects: readonly K8sObject[], options: ApplyOptions = {}): Promise<K8sObject[]> {
    const out: K8sObject[] = [];
    for (const object of objects) out.push(await this.apply(object, options));
    return out;
  }
}
