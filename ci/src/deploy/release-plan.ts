/**
 * From rendered overlay YAML to the ordered list of objects a release applies, checked
 * before anything touches the cluster:
 * - schema and policy checks of ci/src/manifests (prod requires digests); any finding refuses;
 * - the given images are the ones rendered (no stale pin of the same repository);
 * - the Namespace object is dropped (cluster-scoped: the deployer's namespaced Role cannot
 *   apply it; the namespace must exist) and other cluster-scoped kinds are refused (kinds
 *   this list misses are refused at preflight, where discovery says they are not namespaced);
 * - each Job gets a per-release name (<name>-<short commit>, Jobs are immutable), a TTL
 *   when it has none, and a hash of its spec;
 * - every object is labelled as a member of the namespace's ApplySet.
 * Pure apart from the schema validators' lazy imports.
 */
import { createHash } from "node:crypto";

import { OVERLAYS } from "../manifests/overlays";
import { parseImageReference } from "../image-ref";
import { CLUSTER_SCOPED, formatFindings, runPolicies, workloadsOf } from "../manifests/policy";
import { objectId, parseManifests, RenderError, type K8sObject } from "../manifests/render";
import { formatSchemaErrors, validateSchemas } from "../manifests/schema";
import { PART_OF_LABEL, withPartOf } from "./applyset";
import { DeployError } from "./errors";

export type EnvironmentName = keyof typeof OVERLAYS;

export const ENVIRONMENTS = Object.keys(OVERLAYS) as EnvironmentName[];

export interface ReleaseInput {
  readonly environment: EnvironmentName;
  /** Commit being deployed (7–40 hex). */
  readonly commit: string;
  readonly backendImage: string;
  readonly frontendImage: string;
}

/** Apply order: what the migrations Job needs, the Job, then what serves traffic. */
export interface ReleaseGroups {
  /** ServiceAccounts, ConfigMaps, Secrets, PVCs, then External Secrets' stores and ExternalSecrets. */
  readonly prerequisites: K8sObject[];
  /** Services and StatefulSets (dev's PostgreSQL, which the Job waits for). */
  readonly backing: K8sObject[];
  readonly migrations: K8sObject[];
  /** Deployments, Ingress, HPA, PDB, NetworkPolicies, then anything else. */
  readonly workloads: K8sObject[];
}

export interface ReleasePlan {
  readonly environment: EnvironmentName;
  readonly namespace: string;
  readonly commit: string;
  readonly images: { readonly backend: string; readonly frontend: string };
  readonly groups: ReleaseGroups;
  /** Every object, in apply order. */
  readonly objects: K8sObject[];
}

export const SPEC_HASH_ANNOTATION = "prestamos.dev/spec-hash";
export const RELEASE_ANNOTATION = "prestamos.dev/release-commit";
/** TTL given to a Job that sets none, so finished migration Jobs do not pile up. */
export const DEFAULT_JOB_TTL_SECONDS = 3600;

/** A SecretStore before the ExternalSecrets that read through it; the engine waits for their Secrets. */
const PREREQUISITE_KINDS = [
  "ServiceAccount",
  "ConfigMap",
  "Secret",
  "PersistentVolumeClaim",
  "SecretStore",
  "ExternalSecret",
];
const BACKING_KINDS = ["Service", "StatefulSet"];
const WORKLOAD_KINDS = ["Deployment", "Ingress", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy"];
const SHA_PATTERN = /^[0-9a-f]{7,40}$/;

export function shortCommit(commit: string): string {
  return commit.slice(0, 7);
}

function refuse(message: string, details: readonly string[] = []): never {
  throw new DeployError("validation", message, details);
}

/** Checks an image argument: a digest for prod, a tag (not latest) or digest for dev. */
export function validateImageArgument(flag: string, ref: string, environment: EnvironmentName): string {
  const parsed = parseImageReference(ref);
  if (!parsed) refuse(`${flag} "${ref}" is not an image reference`);
  if (environment === "prod" && !parsed.digest) {
    refuse(
      `${flag} "${ref}" has no digest: prod deploys images by digest (<repository>@sha256:<digest>, what publish returns)`,
    );
  }
  if (!parsed.digest && (!parsed.tag || parsed.tag === "latest")) {
    refuse(`${flag} "${ref}" needs a digest or a tag other than latest`);
  }
  return ref;
}

/** True when a rendered image reference is the given one (kustomize drops the tag when pinning a digest). */
export function sameImage(rendered: string, given: string): boolean {
  const a = parseImageReference(rendered);
  const b = parseImageReference(given);
  if (!a || !b || a.name !== b.name) return false;
  return b.digest ? a.digest === b.digest : a.tag === b.tag && !a.digest;
}

function containerImages(objects: readonly K8sObject[]): Array<{ object: string; image: string }> {
  return workloadsOf(objects).flatMap((w) =>
    [...(w.spec.initContainers ?? []), ...(w.spec.containers ?? [])].map((c) => ({
      object: objectId(w.object),
      image: c.image ?? "",
    })),
  );
}

function checkImages(objects: readonly K8sObject[], input: ReleaseInput): void {
  const images = containerImages(objects);
  const problems: string[] = [];
  for (const [flag, ref] of [
    ["--backend-image", input.backendImage],
    ["--frontend-image", input.frontendImage],
  ] as const) {
    const repository = parseImageReference(ref)?.name;
    const sameRepository = images.filter((i) => parseImageReference(i.image)?.name === repository);
    if (sameRepository.length === 0) problems.push(`${flag} ${ref} is not used by any rendered container`);
    for (const i of sameRepository) {
      if (!sameImage(i.image, ref)) problems.push(`${i.object} runs ${i.image}, not ${flag} ${ref}`);
    }
  }
  if (problems.length) refuse("the rendered manifests do not run the images given to the deploy", problems);
}

function hashOf(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 16);
}

/** The per-release Job: <name>-<short commit> (≤ 63 characters), a TTL and its spec hash. */
export function releaseJob(job: K8sObject, commit: string): K8sObject {
  const suffix = `-${shortCommit(commit)}`;
  const name = `${job.metadata.name.slice(0, 63 - suffix.length)}${suffix}`;
  const spec = { ...(job.spec as Record<string, unknown>) };
  if (spec.ttlSecondsAfterFinished === undefined) spec.ttlSecondsAfterFinished = DEFAULT_JOB_TTL_SECONDS;
  const annotations = {
    ...(job.metadata.annotations ?? {}),
    [RELEASE_ANNOTATION]: commit,
    [SPEC_HASH_ANNOTATION]: hashOf(spec),
  };
  return { ...job, metadata: { ...job.metadata, name, annotations }, spec };
}

function rank(kind: string, kinds: readonly string[]): number {
  const index = kinds.indexOf(kind);
  return index < 0 ? kinds.length : index;
}

export function groupObjects(objects: readonly K8sObject[]): ReleaseGroups {
  const byKinds = (kinds: readonly string[]) =>
    objects.filter((o) => kinds.includes(o.kind)).sort((a, b) => rank(a.kind, kinds) - rank(b.kind, kinds));
  const known = [...PREREQUISITE_KINDS, ...BACKING_KINDS, "Job", ...WORKLOAD_KINDS];
  return {
    prerequisites: byKinds(PREREQUISITE_KINDS),
    backing: byKinds(BACKING_KINDS),
    migrations: objects.filter((o) => o.kind === "Job"),
    workloads: [...byKinds(WORKLOAD_KINDS), ...objects.filter((o) => !known.includes(o.kind))],
  };
}

export function orderedObjects(groups: ReleaseGroups): K8sObject[] {
  return [...groups.prerequisites, ...groups.backing, ...groups.migrations, ...groups.workloads];
}

/** Parses, validates and prepares the rendered overlay of one release. Throws DeployError("validation"). */
export async function planRelease(yaml: string, input: ReleaseInput): Promise<ReleasePlan> {
  const overlay = OVERLAYS[input.environment];
  if (!SHA_PATTERN.test(input.commit)) refuse(`--commit "${input.commit}" is not a commit SHA (7-40 lowercase hex)`);
  validateImageArgument("--backend-image", input.backendImage, input.environment);
  validateImageArgument("--frontend-image", input.frontendImage, input.environment);

  let rendered: K8sObject[];
  try {
    rendered = parseManifests(yaml);
  } catch (error) {
    refuse(`the rendered manifests cannot be parsed: ${error instanceof RenderError ? error.message : String(error)}`);
  }
  if (rendered.length === 0) refuse("the rendered manifests are empty");

  const schemaErrors = await validateSchemas(rendered);
  if (schemaErrors.length)
    refuse(`schema validation found ${schemaErrors.length} problem(s)`, formatSchemaErrors(schemaErrors).split("\n"));
  const policy = runPolicies(rendered, {
    namespace: overlay.namespace,
    environment: overlay.environment,
    requireDigests: input.environment === "prod",
    externalSecrets: "externalSecrets" in overlay ? overlay.externalSecrets : [],
  });
  if (policy.findings.length)
    refuse(`policy checks found ${policy.findings.length} problem(s)`, formatFindings(policy.findings).split("\n"));
  checkImages(rendered, input);

  const namespaces = rendered.filter((o) => o.kind === "Namespace");
  const foreign = namespaces.filter((o) => o.metadata.name !== overlay.namespace);
  if (foreign.length)
    refuse(
      `the manifests declare namespace ${foreign.map((o) => o.metadata.name).join(", ")}, not ${overlay.namespace}`,
    );
  const clusterScoped = rendered.filter((o) => o.kind !== "Namespace" && CLUSTER_SCOPED.has(o.kind));
  if (clusterScoped.length) {
    refuse("cluster-scoped objects cannot be deployed with the namespaced deployer role", clusterScoped.map(objectId));
  }
  const labelled = rendered.filter((o) => o.metadata.labels?.[PART_OF_LABEL] !== undefined);
  if (labelled.length) refuse(`objects must not set ${PART_OF_LABEL} themselves`, labelled.map(objectId));

  const members = rendered
    .filter((o) => o.kind !== "Namespace")
    .map((o) => (o.kind === "Job" ? releaseJob(o, input.commit) : o))
    .map((o) => withPartOf({ ...o, metadata: { ...o.metadata, namespace: overlay.namespace } }, overlay.namespace));
  const groups = groupObjects(members);
  return {
    environment: input.environment,
    namespace: overlay.namespace,
    commit: input.commit,
    images: { backend: input.backendImage, frontend: input.frontendImage },
    groups,
    objects: orderedObjects(groups),
  };
}
