/**
 * The project's own rules for rendered manifests: namespaces, image references and
 * digests, the wiring between objects (Services, Ingresses, probes, ConfigMaps/Secrets,
 * ServiceAccounts, PDBs, HPAs, NetworkPolicies), and our deployment conventions
 * (probes, zero-downtime rollouts, graceful shutdown, Job limits, prod-only rules).
 * Generic hardening (Pod Security restricted fields, privileges, capabilities, resources,
 * read-only root, latest tags…) is Trivy's job (`trivy config`, see docs/adr/0006).
 *
 * Exemptions: annotation `policy.prestamos.dev/exempt-<check>: "<reason>"` on the
 * object a finding is about. An empty reason or an unknown check name is itself a
 * finding. Pure: no I/O, no top-level side effects.
 */
import type { ILabelSelector } from "@kubernetes-models/apimachinery/apis/meta/v1/LabelSelector";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { IProbe } from "kubernetes-models/v1/Probe";
import type { ISecurityContext } from "kubernetes-models/v1/SecurityContext";
import type { IPodSecurityContext } from "kubernetes-models/v1/PodSecurityContext";
import type { IService } from "kubernetes-models/v1/Service";
import type { IIngress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type { IHorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { parseImageReference } from "../image-ref";
import { hasUrlPassword, isSecretName } from "../secret-patterns";
import { isRecord, objectId, type K8sObject } from "./render";
import { EKS_CHECKS, withHpaReplicas } from "./eks-rules";

export const EXEMPT_PREFIX = "policy.prestamos.dev/exempt-";

export interface Finding {
  check: string;
  /** "Kind/name" */
  object: string;
  message: string;
}

export interface Exemption {
  check: string;
  object: string;
  reason: string;
  message: string;
}

export interface PolicyOptions {
  /** The namespace every namespaced object must be in (and that must be declared). */
  namespace: string;
  /** prod adds network-policy coverage and forbids Secrets in the manifests. */
  environment: "dev" | "prod";
  /** Every image must be pinned `@sha256:` (set by the pipeline after withImages). */
  requireDigests?: boolean;
  /** Secrets the cluster provides (not rendered), e.g. synced by External Secrets. */
  externalSecrets?: readonly string[];
}

export interface PolicyResult {
  findings: Finding[];
  exemptions: Exemption[];
}

interface Context extends Required<PolicyOptions> {
  objects: readonly K8sObject[];
  workloads: Workload[];
}

interface RawFinding {
  object: K8sObject;
  message: string;
}

export interface Check {
  name: string;
  description: string;
  run(ctx: Context): RawFinding[];
}

// ---------------------------------------------------------------- helpers

export interface Workload {
  object: K8sObject;
  podLabels: Record<string, string>;
  podAnnotations: Record<string, string>;
  spec: IPodSpec;
  selector?: ILabelSelector;
  /** Declared replicas (Deployment/StatefulSet/ReplicaSet), default 1. */
  replicas?: number;
  longRunning: boolean;
}

interface ContainerRef {
  container: IContainer;
  kind: "container" | "initContainer" | "ephemeralContainer";
}

const asRecord = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});
const asStringMap = (v: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(asRecord(v)).filter((e): e is [string, string] => typeof e[1] === "string"));

/** Pod-bearing objects with their pod template. */
export function workloadsOf(objects: readonly K8sObject[]): Workload[] {
  const out: Workload[] = [];
  for (const object of objects) {
    const spec = asRecord(object.spec);
    let template: Record<string, unknown> | undefined;
    let longRunning = true;
    switch (object.kind) {
      case "Deployment":
      case "StatefulSet":
      case "DaemonSet":
      case "ReplicaSet":
        template = asRecord(spec.template);
        break;
      case "Job":
        template = asRecord(spec.template);
        longRunning = false;
        break;
      case "CronJob":
        template = asRecord(asRecord(asRecord(spec.jobTemplate).spec).template);
        longRunning = false;
        break;
      case "Pod":
        template = { metadata: object.metadata, spec };
        break;
      default:
        continue;
    }
    const meta = asRecord(template.metadata);
    out.push({
      object,
      podLabels: asStringMap(meta.labels),
      podAnnotations: asStringMap(meta.annotations),
      spec: asRecord(template.spec) as unknown as IPodSpec,
      selector: isRecord(spec.selector) ? (spec.selector as ILabelSelector) : undefined,
      replicas:
        object.kind === "Deployment" || object.kind === "StatefulSet" || object.kind === "ReplicaSet"
          ? typeof spec.replicas === "number"
            ? spec.replicas
            : 1
          : undefined,
      longRunning,
    });
  }
  return out;
}

function containersOf(spec: IPodSpec): ContainerRef[] {
  return [
    ...(spec.initContainers ?? []).map((container) => ({ container, kind: "initContainer" as const })),
    ...(spec.containers ?? []).map((container) => ({ container, kind: "container" as const })),
    ...(spec.ephemeralContainers ?? []).map((container) => ({
      container: container as unknown as IContainer,
      kind: "ephemeralContainer" as const,
    })),
  ];
}

/** Does a label selector (matchLabels + matchExpressions) select these labels? Empty selects all. */
export function selectorMatches(selector: ILabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const expr of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, expr.key);
    const value = labels[expr.key];
    const values = expr.values ?? [];
    switch (expr.operator) {
      case "In":
        if (!has || value === undefined || !values.includes(value)) return false;
        break;
      case "NotIn":
        if (has && value !== undefined && values.includes(value)) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** A Service's plain map selector. */
function mapSelectorMatches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

const isEmptySelector = (s: ILabelSelector | undefined): boolean =>
  !!s && Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0;

function effective<
  K extends
    | "runAsNonRoot"
    | "runAsUser"
    | "runAsGroup"
    | "seccompProfile"
    | "seLinuxOptions"
    | "appArmorProfile"
    | "windowsOptions",
>(
  pod: IPodSecurityContext | undefined,
  container: ISecurityContext | undefined,
  key: K,
): (ISecurityContext & IPodSecurityContext)[K] | undefined {
  const c = container?.[key];
  return (c !== undefined ? c : pod?.[key]) as (ISecurityContext & IPodSecurityContext)[K] | undefined;
}

const byKind = (objects: readonly K8sObject[], kind: string): K8sObject[] => objects.filter((o) => o.kind === kind);
const byName = (objects: readonly K8sObject[], kind: string, name: string): K8sObject | undefined =>
  objects.find((o) => o.kind === kind && o.metadata.name === name);

/** Per-container findings helper. */
function perContainer(
  ctx: Context,
  test: (c: ContainerRef, w: Workload) => string | undefined,
  filter: (c: ContainerRef, w: Workload) => boolean = () => true,
): RawFinding[] {
  const out: RawFinding[] = [];
  for (const w of ctx.workloads) {
    for (const c of containersOf(w.spec)) {
      if (!filter(c, w)) continue;
      const message = test(c, w);
      if (message) out.push({ object: w.object, message: `${c.kind} "${c.container.name}": ${message}` });
    }
  }
  return out;
}

const perWorkload = (ctx: Context, test: (w: Workload) => string | undefined): RawFinding[] =>
  ctx.workloads.flatMap((w) => {
    const message = test(w);
    return message ? [{ object: w.object, message }] : [];
  });

/** Ports a container exposes, by name and number. */
function portExists(containers: readonly IContainer[], port: string | number | undefined): boolean {
  if (port === undefined) return false;
  return containers.some((c) =>
    (c.ports ?? []).some((p) => (typeof port === "number" ? p.containerPort === port : p.name === port)),
  );
}

function probePort(probe: IProbe | undefined): string | number | undefined {
  return probe?.httpGet?.port ?? probe?.tcpSocket?.port ?? probe?.grpc?.port;
}

function probePortCheck(which: "livenessProbe" | "readinessProbe" | "startupProbe") {
  return (ctx: Context) =>
    perContainer(ctx, ({ container }) => {
      const probe = container[which];
      if (!probe || probe.exec) return undefined;
      const port = probePort(probe);
      return portExists([container], port) ? undefined : `${which} port ${String(port)} is not a port of the container`;
    });
}

function probeMissingCheck(which: "livenessProbe" | "readinessProbe" | "startupProbe") {
  return (ctx: Context) =>
    perContainer(
      ctx,
      ({ container }) => (container[which] ? undefined : `no ${which}`),
      (c, w) => w.longRunning && c.kind === "container",
    );
}

function resourceCheck(resource: "cpu" | "memory" | "ephemeral-storage") {
  return (ctx: Context) =>
    perContainer(
      ctx,
      ({ container }) => {
        const missing = (["requests", "limits"] as const).filter(
          (k) => container.resources?.[k]?.[resource] === undefined,
        );
        return missing.length ? `${resource} ${missing.join(" and ")} not set` : undefined;
      },
      (c) => c.kind !== "ephemeralContainer",
    );
}

const podSpecs = (ctx: Context, test: (spec: IPodSpec) => string | undefined) => perWorkload(ctx, (w) => test(w.spec));

const DEPRECATED_API_VERSIONS =
  /^(extensions\/v1beta1|apps\/v1beta[12]|policy\/v1beta1|autoscaling\/v2beta[12]|networking\.k8s\.io\/v1beta1|batch\/v1beta1|rbac\.authorization\.k8s\.io\/v1beta1)$/;

/** Kinds that live outside namespaces (so a namespaced Role can never manage them either). */
export const CLUSTER_SCOPED: ReadonlySet<string> = new Set([
  "Namespace",
  "ClusterRole",
  "ClusterRoleBinding",
  "CustomResourceDefinition",
  "PersistentVolume",
  "StorageClass",
  "IngressClass",
  "PriorityClass",
  "ValidatingWebhookConfiguration",
  "MutatingWebhookConfiguration",
]);

const REQUIRED_LABELS = ["app.kubernetes.io/name", "app.kubernetes.io/part-of"];
const WORKLOAD_LABELS = [...REQUIRED_LABELS, "app.kubernetes.io/component"];

/** Seconds of a preStop sleep: `exec: ["sleep", "N"]` or the `sleep` action. */
function preStopSeconds(container: IContainer): number | undefined {
  const preStop = container.lifecycle?.preStop;
  if (!preStop) return undefined;
  const sleepAction = (preStop as { sleep?: { seconds?: number } }).sleep;
  if (typeof sleepAction?.seconds === "number") return sleepAction.seconds;
  const cmd = preStop.exec?.command ?? [];
  if (cmd.length === 2 && /(^|\/)sleep$/.test(cmd[0] ?? "")) {
    const n = Number(cmd[1]);
    return Number.isFinite(n) ? n : undefined;
  }
  return 0;
}

/** A container's env value, from literal env or from envFrom ConfigMaps in the set. */
function envValue(ctx: Context, container: IContainer, name: string): string | undefined {
  const literal = (container.env ?? []).find((e) => e.name === name);
  if (literal?.value !== undefined) return literal.value;
  for (const from of container.envFrom ?? []) {
    const cmName = from.configMapRef?.name;
    if (!cmName) continue;
    const cm = byName(ctx.objects, "ConfigMap", cmName);
    const value = asStringMap(cm?.data)[`${from.prefix ?? ""}${name}`] ?? asStringMap(cm?.data)[name];
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Names of ConfigMaps / Secrets a pod spec references (not optional ones). */
function configReferences(spec: IPodSpec): { kind: "ConfigMap" | "Secret"; name: string }[] {
  const refs: { kind: "ConfigMap" | "Secret"; name: string }[] = [];
  for (const { container } of containersOf(spec)) {
    for (const e of container.env ?? []) {
      const cm = e.valueFrom?.configMapKeyRef;
      const s = e.valueFrom?.secretKeyRef;
      if (cm?.name && !cm.optional) refs.push({ kind: "ConfigMap", name: cm.name });
      if (s?.name && !s.optional) refs.push({ kind: "Secret", name: s.name });
    }
    for (const f of container.envFrom ?? []) {
      if (f.configMapRef?.name && !f.configMapRef.optional) refs.push({ kind: "ConfigMap", name: f.configMapRef.name });
      if (f.secretRef?.name && !f.secretRef.optional) refs.push({ kind: "Secret", name: f.secretRef.name });
    }
  }
  for (const v of spec.volumes ?? []) {
    if (v.configMap?.name && !v.configMap.optional) refs.push({ kind: "ConfigMap", name: v.configMap.name });
    if (v.secret?.secretName && !v.secret.optional) refs.push({ kind: "Secret", name: v.secret.secretName });
  }
  for (const s of spec.imagePullSecrets ?? []) if (s.name) refs.push({ kind: "Secret", name: s.name });
  return refs;
}

const selectsWorkloads = (ctx: Context, selector: ILabelSelector | undefined) =>
  ctx.workloads.filter((w) => selectorMatches(selector, w.podLabels));

const isDefaultDeny = (np: K8sObject): boolean => {
  const spec = (np as unknown as INetworkPolicy).spec;
  const types = spec?.policyTypes ?? [];
  return (
    isEmptySelector(spec?.podSelector) &&
    types.includes("Ingress") &&
    types.includes("Egress") &&
    (spec?.ingress ?? []).length === 0 &&
    (spec?.egress ?? []).length === 0
  );
};

// ---------------------------------------------------------------- checks

export const CHECKS: readonly Check[] = [
  // Namespaces.
  {
    name: "namespace-pss-labels",
    description: "every Namespace enforces, audits and warns Pod Security restricted (with version labels)",
    run: (ctx) =>
      byKind(ctx.objects, "Namespace").flatMap((ns) => {
        const labels = ns.metadata.labels ?? {};
        const missing = ["enforce", "audit", "warn"].flatMap((mode) => [
          ...(labels[`pod-security.kubernetes.io/${mode}`] === "restricted" ? [] : [`${mode}=restricted`]),
          ...(labels[`pod-security.kubernetes.io/${mode}-version`] ? [] : [`${mode}-version`]),
        ]);
        return missing.length ? [{ object: ns, message: `missing pod-security labels: ${missing.join(", ")}` }] : [];
      }),
  },

  // Images.
  {
    name: "image-reference",
    description: "images are valid references, pinned `@sha256:` when the pipeline requires digests",
    run: (ctx) =>
      perContainer(ctx, ({ container }) => {
        const image = container.image ?? "";
        const ref = parseImageReference(image);
        if (!ref) return `image "${image}" is not a valid reference`;
        if (ctx.requireDigests && !ref.digest) return `image "${image}" is not pinned by digest`;
        return undefined;
      }),
  },
  {
    name: "image-pull-policy",
    description: "imagePullPolicy set explicitly to IfNotPresent or Always",
    run: (ctx) =>
      perContainer(ctx, ({ container }) =>
        container.imagePullPolicy === "IfNotPresent" || container.imagePullPolicy === "Always"
          ? undefined
          : `imagePullPolicy ${container.imagePullPolicy ?? "not set"}`,
      ),
  },

  // Probes.
  {
    name: "no-liveness-probe",
    description: "long-running containers have a livenessProbe",
    run: probeMissingCheck("livenessProbe"),
  },
  {
    name: "no-readiness-probe",
    description: "long-running containers have a readinessProbe",
    run: probeMissingCheck("readinessProbe"),
  },
  {
    name: "no-startup-probe",
    description: "long-running containers have a startupProbe",
    run: probeMissingCheck("startupProbe"),
  },
  {
    name: "liveness-port",
    description: "livenessProbe port is a container port",
    run: probePortCheck("livenessProbe"),
  },
  {
    name: "readiness-port",
    description: "readinessProbe port is a container port",
    run: probePortCheck("readinessProbe"),
  },
  { name: "startup-port", description: "startupProbe port is a container port", run: probePortCheck("startupProbe") },
  {
    name: "probes-identical",
    description: "readiness and liveness probes differ",
    run: (ctx) =>
      perContainer(ctx, ({ container }) =>
        container.livenessProbe && JSON.stringify(container.livenessProbe) === JSON.stringify(container.readinessProbe)
          ? "livenessProbe is identical to readinessProbe"
          : undefined,
      ),
  },

  // Resources, identities, API versions, literal secrets.
  {
    name: "unset-ephemeral-storage-requirements",
    description: "ephemeral-storage requests and limits set",
    run: resourceCheck("ephemeral-storage"),
  },
  {
    name: "run-as-high-uid",
    description: "runAsUser and runAsGroup >= 10000, exemptable per object (Trivy's KSV020/KSV021 cannot be)",
    run: (ctx) =>
      perContainer(ctx, ({ container }, w) => {
        const uid = effective(w.spec.securityContext, container.securityContext, "runAsUser");
        const gid = effective(w.spec.securityContext, container.securityContext, "runAsGroup");
        return typeof uid === "number" && uid >= 10000 && typeof gid === "number" && gid >= 10000
          ? undefined
          : `runAsUser ${uid ?? "unset"} / runAsGroup ${gid ?? "unset"} below 10000`;
      }),
  },
  {
    name: "non-existent-service-account",
    description: "serviceAccountName refers to a ServiceAccount in the manifests",
    run: (ctx) =>
      podSpecs(ctx, (s) => {
        const name = s.serviceAccountName ?? "default";
        return byName(ctx.objects, "ServiceAccount", name) ? undefined : `ServiceAccount "${name}" not found`;
      }),
  },
  {
    name: "deprecated-api-version",
    description: "no API versions removed from Kubernetes (the schemas still accept them)",
    run: (ctx) =>
      ctx.objects
        .filter((o) => DEPRECATED_API_VERSIONS.test(o.apiVersion))
        .map((o) => ({ object: o, message: `apiVersion ${o.apiVersion}` })),
  },
  {
    name: "env-var-secret",
    description: "no secret-looking literal env values (use secretKeyRef)",
    run: (ctx) =>
      perContainer(ctx, ({ container }) => {
        const bad = (container.env ?? []).filter(
          (e) => typeof e.value === "string" && e.value !== "" && (isSecretName(e.name) || hasUrlPassword(e.value)),
        );
        return bad.length ? `literal secret-looking env: ${bad.map((e) => e.name).join(", ")}` : undefined;
      }),
  },

  // Jobs.
  {
    name: "job-ttl-seconds-after-finished",
    description: "Jobs set ttlSecondsAfterFinished",
    run: (ctx) =>
      byKind(ctx.objects, "Job")
        .filter((j) => typeof asRecord(j.spec).ttlSecondsAfterFinished !== "number")
        .map((j) => ({ object: j, message: "ttlSecondsAfterFinished not set" })),
  },
  {
    name: "job-deadline",
    description: "Jobs set activeDeadlineSeconds and backoffLimit",
    run: (ctx) =>
      byKind(ctx.objects, "Job").flatMap((j) => {
        const spec = asRecord(j.spec);
        const missing = ["activeDeadlineSeconds", "backoffLimit"].filter((k) => typeof spec[k] !== "number");
        return missing.length ? [{ object: j, message: `${missing.join(", ")} not set` }] : [];
      }),
  },

  // Workload controllers.
  {
    name: "mismatching-selector",
    description: "the selector matches the pod template labels",
    run: (ctx) =>
      perWorkload(ctx, (w) => {
        if (w.object.kind === "Pod" || w.object.kind === "CronJob" || (w.object.kind === "Job" && !w.selector))
          return undefined;
        if (!w.selector || isEmptySelector(w.selector)) return "selector missing or empty";
        return selectorMatches(w.selector, w.podLabels) ? undefined : "selector does not match the pod template labels";
      }),
  },
  {
    name: "no-rolling-update-strategy",
    description: "Deployments use an explicit RollingUpdate strategy",
    run: (ctx) =>
      byKind(ctx.objects, "Deployment")
        .filter((d) => asRecord(asRecord(d.spec).strategy).type !== "RollingUpdate")
        .map((d) => ({ object: d, message: "strategy.type is not RollingUpdate" })),
  },
  {
    name: "zero-downtime-rollout",
    description: "Deployments: maxUnavailable 0, maxSurge >= 1, minReadySeconds > 0",
    run: (ctx) =>
      byKind(ctx.objects, "Deployment").flatMap((d) => {
        const spec = asRecord(d.spec);
        const ru = asRecord(asRecord(spec.strategy).rollingUpdate);
        const problems: string[] = [];
        if (ru.maxUnavailable !== 0 && ru.maxUnavailable !== "0%") problems.push("maxUnavailable is not 0");
        if (ru.maxSurge === undefined || ru.maxSurge === 0 || ru.maxSurge === "0%")
          problems.push("maxSurge is not >= 1");
        if (typeof spec.minReadySeconds !== "number" || spec.minReadySeconds <= 0)
          problems.push("minReadySeconds not set");
        return problems.length ? [{ object: d, message: problems.join("; ") }] : [];
      }),
  },
  {
    name: "no-anti-affinity",
    description: "Deployments (and replicated StatefulSets) spread pods across nodes",
    run: (ctx) =>
      perWorkload(ctx, (w) => {
        if (!(w.object.kind === "Deployment" || (w.object.kind === "StatefulSet" && (w.replicas ?? 1) > 1)))
          return undefined;
        const spread = (w.spec.topologySpreadConstraints ?? []).some(
          (t) => t.topologyKey === "kubernetes.io/hostname" && selectorMatches(t.labelSelector, w.podLabels),
        );
        const anti = [
          ...(w.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
          ...(w.spec.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map(
            (p) => p.podAffinityTerm,
          ),
        ].some((t) => t.topologyKey === "kubernetes.io/hostname" && selectorMatches(t.labelSelector, w.podLabels));
        return spread || anti ? undefined : "no pod anti-affinity or hostname topology spread matching its pods";
      }),
  },
  {
    name: "graceful-shutdown",
    description: "Deployments: preStop sleep, terminationGracePeriodSeconds > preStop + app graceful timeout",
    run: (ctx) =>
      ctx.workloads
        .filter((w) => w.object.kind === "Deployment")
        .flatMap((w) =>
          (w.spec.containers ?? []).flatMap((c) => {
            const sleep = preStopSeconds(c);
            if (!sleep) return [{ object: w.object, message: `container "${c.name}": no preStop sleep` }];
            const graceful = Number(envValue(ctx, c, "GUNICORN_GRACEFUL_TIMEOUT") ?? 0);
            const grace = w.spec.terminationGracePeriodSeconds ?? 30;
            return grace > sleep + graceful
              ? []
              : [
                  {
                    object: w.object,
                    message: `container "${c.name}": terminationGracePeriodSeconds ${grace} <= preStop ${sleep} + graceful ${graceful}`,
                  },
                ];
          }),
        ),
  },
  {
    name: "statefulset-service-name",
    description: "StatefulSet serviceName names a headless Service selecting its pods",
    run: (ctx) =>
      perWorkload(ctx, (w) => {
        if (w.object.kind !== "StatefulSet") return undefined;
        const name = asRecord(w.object.spec).serviceName;
        const svc =
          typeof name === "string"
            ? (byName(ctx.objects, "Service", name) as unknown as IService | undefined)
            : undefined;
        if (!svc) return `serviceName "${String(name)}" has no Service`;
        if (svc.spec?.clusterIP !== "None") return `Service "${String(name)}" is not headless`;
        return mapSelectorMatches(svc.spec.selector ?? {}, w.podLabels)
          ? undefined
          : `Service "${String(name)}" does not select its pods`;
      }),
  },

  // Services and Ingresses.
  {
    name: "dangling-service",
    description: "every Service selects the pods of some workload",
    run: (ctx) =>
      byKind(ctx.objects, "Service").flatMap((o) => {
        const selector = (o as unknown as IService).spec?.selector ?? {};
        if (Object.keys(selector).length === 0) return [{ object: o, message: "Service has no selector" }];
        return ctx.workloads.some((w) => mapSelectorMatches(selector, w.podLabels))
          ? []
          : [{ object: o, message: `selector ${JSON.stringify(selector)} matches no pod template` }];
      }),
  },
  {
    name: "service-target-port",
    description: "every Service targetPort exists in the selected pods",
    run: (ctx) =>
      byKind(ctx.objects, "Service").flatMap((o) => {
        const spec = (o as unknown as IService).spec;
        const selector = spec?.selector ?? {};
        const pods = ctx.workloads.filter((w) => mapSelectorMatches(selector, w.podLabels));
        if (pods.length === 0) return [];
        return (spec?.ports ?? []).flatMap((p) => {
          const target = p.targetPort ?? p.port;
          if (typeof target === "string" && !/^(?=.*[a-z])[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/.test(target)) {
            return [{ object: o, message: `targetPort "${target}" is not a valid port name` }];
          }
          const missing = pods.filter((w) => !portExists(w.spec.containers ?? [], target));
          return missing.length
            ? [
                {
                  object: o,
                  message: `targetPort ${String(target)} not a container port of ${missing.map((w) => objectId(w.object)).join(", ")}`,
                },
              ]
            : [];
        });
      }),
  },
  {
    name: "ingress-targets-service",
    description: "every Ingress backend is an existing Service and port",
    run: (ctx) =>
      byKind(ctx.objects, "Ingress").flatMap((o) => {
        const spec = (o as unknown as IIngress).spec;
        const backends = [
          ...(spec?.defaultBackend ? [spec.defaultBackend] : []),
          ...(spec?.rules ?? []).flatMap((r) => (r.http?.paths ?? []).map((p) => p.backend)),
        ];
        return backends.flatMap((b) => {
          if (!b.service) return [{ object: o, message: "backend is not a Service" }];
          const svc = byName(ctx.objects, "Service", b.service.name) as unknown as IService | undefined;
          if (!svc) return [{ object: o, message: `Service "${b.service.name}" not found` }];
          const port = b.service.port;
          const ok = (svc.spec?.ports ?? []).some((p) =>
            port?.name !== undefined ? p.name === port.name : p.port === port?.number,
          );
          return ok
            ? []
            : [{ object: o, message: `Service "${b.service.name}" has no port ${port?.name ?? port?.number}` }];
        });
      }),
  },
  {
    name: "ingress-class",
    description: "every Ingress sets ingressClassName",
    run: (ctx) =>
      byKind(ctx.objects, "Ingress")
        .filter((o) => !(o as unknown as IIngress).spec?.ingressClassName)
        .map((o) => ({ object: o, message: "ingressClassName not set" })),
  },

  // Disruption budgets and autoscaling.
  {
    name: "pdb-max-unavailable",
    description: "a PDB maxUnavailable is not 0",
    run: (ctx) =>
      byKind(ctx.objects, "PodDisruptionBudget")
        .filter((o) => {
          const v = (o as unknown as IPodDisruptionBudget).spec?.maxUnavailable;
          return v === 0 || v === "0%" || v === "0";
        })
        .map((o) => ({ object: o, message: "maxUnavailable 0 blocks every voluntary eviction" })),
  },
  {
    name: "pdb-min-available",
    description: "a PDB minAvailable is below the replicas of what it selects",
    run: (ctx) =>
      byKind(ctx.objects, "PodDisruptionBudget").flatMap((o) => {
        const spec = (o as unknown as IPodDisruptionBudget).spec;
        const min = spec?.minAvailable;
        if (min === undefined) return [];
        if (min === "100%") return [{ object: o, message: "minAvailable 100% blocks every voluntary eviction" }];
        if (typeof min !== "number") return [];
        const low = selectsWorkloads(ctx, spec?.selector).filter((w) => (w.replicas ?? 1) <= min);
        return low.length
          ? [
              {
                object: o,
                message: `minAvailable ${min} >= replicas of ${low.map((w) => objectId(w.object)).join(", ")}`,
              },
            ]
          : [];
      }),
  },
  {
    name: "pdb-unhealthy-pod-eviction-policy",
    description: "a PDB sets unhealthyPodEvictionPolicy (AlwaysAllow)",
    run: (ctx) =>
      byKind(ctx.objects, "PodDisruptionBudget")
        .filter((o) => (o as unknown as IPodDisruptionBudget).spec?.unhealthyPodEvictionPolicy !== "AlwaysAllow")
        .map((o) => ({ object: o, message: "unhealthyPodEvictionPolicy is not AlwaysAllow" })),
  },
  {
    name: "pdb-targets-pod",
    description: "a PDB selects the pods of some replicated workload",
    run: (ctx) =>
      byKind(ctx.objects, "PodDisruptionBudget").flatMap((o) => {
        const selected = selectsWorkloads(ctx, (o as unknown as IPodDisruptionBudget).spec?.selector);
        if (selected.length === 0) return [{ object: o, message: "selects no pods" }];
        const single = selected.filter((w) => (w.replicas ?? 1) < 2);
        return single.length
          ? [{ object: o, message: `protects single-replica ${single.map((w) => objectId(w.object)).join(", ")}` }]
          : [];
      }),
  },
  {
    name: "hpa-target-exists",
    description: "every HPA targets an existing object",
    run: (ctx) =>
      byKind(ctx.objects, "HorizontalPodAutoscaler").flatMap((o) => {
        const ref = (o as unknown as IHorizontalPodAutoscaler).spec?.scaleTargetRef;
        return ref && byName(ctx.objects, ref.kind, ref.name)
          ? []
          : [{ object: o, message: `target ${ref?.kind}/${ref?.name} not found` }];
      }),
  },
  {
    name: "hpa-replicas",
    description: "HPA minReplicas >= 2 and <= maxReplicas; target replicas >= minReplicas",
    run: (ctx) =>
      byKind(ctx.objects, "HorizontalPodAutoscaler").flatMap((o) => {
        const spec = (o as unknown as IHorizontalPodAutoscaler).spec;
        const min = spec?.minReplicas ?? 1;
        const problems: string[] = [];
        if (min < 2) problems.push(`minReplicas ${min} < 2`);
        if (spec && min > spec.maxReplicas) problems.push(`minReplicas ${min} > maxReplicas ${spec.maxReplicas}`);
        const target = spec ? byName(ctx.objects, spec.scaleTargetRef.kind, spec.scaleTargetRef.name) : undefined;
        const replicas = asRecord(target?.spec).replicas;
        if (typeof replicas === "number" && replicas < min)
          problems.push(
            `${spec?.scaleTargetRef.kind}/${spec?.scaleTargetRef.name} replicas ${replicas} < minReplicas ${min}`,
          );
        return problems.length ? [{ object: o, message: problems.join("; ") }] : [];
      }),
  },

  // Namespaces, labels, references.
  {
    name: "object-namespace",
    description: "every namespaced object is in the overlay's namespace",
    run: (ctx) =>
      ctx.objects
        .filter((o) => !CLUSTER_SCOPED.has(o.kind) && o.metadata.namespace !== ctx.namespace)
        .map((o) => ({ object: o, message: `namespace ${o.metadata.namespace ?? "(none)"} != ${ctx.namespace}` })),
  },
  {
    name: "namespace-exists",
    description: "the overlay declares its Namespace (and only it)",
    run: (ctx) => {
      const namespaces = byKind(ctx.objects, "Namespace");
      const others = namespaces.filter((n) => n.metadata.name !== ctx.namespace);
      const out = others.map((n) => ({
        object: n,
        message: `unexpected Namespace (overlay namespace is ${ctx.namespace})`,
      }));
      if (namespaces.length === others.length) {
        const placeholder: K8sObject = { apiVersion: "v1", kind: "Namespace", metadata: { name: ctx.namespace } };
        out.push({ object: placeholder, message: "Namespace not declared in the manifests" });
      }
      return out;
    },
  },
  {
    name: "required-labels",
    description: "app.kubernetes.io/name and part-of on every object; plus component on workloads and pod templates",
    run: (ctx) => [
      ...ctx.objects.flatMap((o) => {
        const workload = ctx.workloads.some((w) => w.object === o);
        const missing = (workload ? WORKLOAD_LABELS : REQUIRED_LABELS).filter((l) => !o.metadata.labels?.[l]);
        return missing.length ? [{ object: o, message: `missing labels: ${missing.join(", ")}` }] : [];
      }),
      ...perWorkload(ctx, (w) => {
        const missing = WORKLOAD_LABELS.filter((l) => !w.podLabels[l]);
        return missing.length ? `pod template missing labels: ${missing.join(", ")}` : undefined;
      }),
    ],
  },
  {
    name: "config-reference-exists",
    description: "ConfigMaps and Secrets that pods reference exist (or are declared cluster-provided)",
    run: (ctx) =>
      perWorkload(ctx, (w) => {
        const missing = configReferences(w.spec).filter(
          (r) => !byName(ctx.objects, r.kind, r.name) && !(r.kind === "Secret" && ctx.externalSecrets.includes(r.name)),
        );
        return missing.length ? `missing ${missing.map((r) => `${r.kind}/${r.name}`).join(", ")}` : undefined;
      }),
  },
  {
    name: "secret-provenance",
    description: "prod renders no Secret (the cluster provides them); dev Secrets are marked prestamos.dev/local-only",
    run: (ctx) =>
      byKind(ctx.objects, "Secret").flatMap((s) => {
        if (ctx.environment === "prod") return [{ object: s, message: "Secret rendered into prod manifests" }];
        return s.metadata.annotations?.["prestamos.dev/local-only"] === "true"
          ? []
          : [{ object: s, message: 'dev Secret lacks annotation prestamos.dev/local-only: "true"' }];
      }),
  },

  // Network policies.
  {
    name: "networkpolicy-targets-pod",
    description: "every NetworkPolicy with a selector matches some pod template",
    run: (ctx) =>
      byKind(ctx.objects, "NetworkPolicy").flatMap((o) => {
        const sel = (o as unknown as INetworkPolicy).spec?.podSelector;
        if (isEmptySelector(sel)) return [];
        return selectsWorkloads(ctx, sel).length ? [] : [{ object: o, message: "podSelector matches no pod template" }];
      }),
  },
  {
    name: "network-policy-coverage",
    description: "prod: a default-deny policy exists and every workload's pods have their own NetworkPolicy",
    run: (ctx) => {
      if (ctx.environment !== "prod") return [];
      const policies = byKind(ctx.objects, "NetworkPolicy");
      const out: RawFinding[] = [];
      if (!policies.some(isDefaultDeny)) {
        const placeholder: K8sObject = {
          apiVersion: "networking.k8s.io/v1",
          kind: "NetworkPolicy",
          metadata: { name: "default-deny" },
        };
        out.push({
          object: placeholder,
          message: "no default-deny NetworkPolicy (empty podSelector, Ingress+Egress, no rules)",
        });
      }
      for (const w of ctx.workloads) {
        const covered = policies.some((p) => {
          const sel = (p as unknown as INetworkPolicy).spec?.podSelector;
          return !isEmptySelector(sel) && selectorMatches(sel, w.podLabels);
        });
        if (!covered) out.push({ object: w.object, message: "pods not selected by any specific NetworkPolicy" });
      }
      return out;
    },
  },
  ...EKS_CHECKS,
];

/** Framework checks: they cannot themselves be exempted. */
export const META_CHECKS = ["exemption-reason", "unknown-exemption"] as const;

export const CHECK_NAMES: readonly string[] = [...CHECKS.map((c) => c.name), ...META_CHECKS];

/** Run every check, apply exemptions, and validate the exemption annotations themselves. */
export function runPolicies(objects: readonly K8sObject[], options: PolicyOptions): PolicyResult {
  const ctx: Context = {
    namespace: options.namespace,
    environment: options.environment,
    requireDigests: options.requireDigests ?? false,
    externalSecrets: options.externalSecrets ?? [],
    objects,
    workloads: withHpaReplicas(objects, workloadsOf(objects)),
  };
  const known = new Set(CHECKS.map((c) => c.name));
  const findings: Finding[] = [];
  const exemptions: Exemption[] = [];

  for (const object of objects) {
    for (const [key, value] of Object.entries(object.metadata.annotations ?? {})) {
      if (!key.startsWith(EXEMPT_PREFIX)) continue;
      const check = key.slice(EXEMPT_PREFIX.length);
      if (!known.has(check)) {
        findings.push({
          check: "unknown-exemption",
          object: objectId(object),
          message: `annotation ${key} names no check`,
        });
      } else if (value.trim() === "") {
        findings.push({
          check: "exemption-reason",
          object: objectId(object),
          message: `annotation ${key} has an empty reason`,
        });
      }
    }
  }

  for (const check of CHECKS) {
    for (const raw of check.run(ctx)) {
      const id = objectId(raw.object);
      const reason = raw.object.metadata.annotations?.[`${EXEMPT_PREFIX}${check.name}`]?.trim();
      if (reason) exemptions.push({ check: check.name, object: id, reason, message: raw.message });
      else findings.push({ check: check.name, object: id, message: raw.message });
    }
  }
  return { findings, exemptions };
}

export function formatFindings(findings: readonly Finding[]): string {
  return findings.map((f) => `[${f.check}] ${f.object}: ${f.message}`).join("\n");
}

export function formatExemptions(exemptions: readonly Exemption[]): string {
  return exemptions.map((e) => `[${e.check}] ${e.object}: ${e.message} -- exempt: ${e.reason}`).join("\n");
}
