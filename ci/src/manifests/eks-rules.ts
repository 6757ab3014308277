/**
 * Project rules for running on EKS behind the AWS Load Balancer Controller, with RDS and
 * External Secrets. Each encodes a documented behaviour no generic linter knows:
 *
 * - ALB target-type ip: pod readiness gates need a namespace label, and a target drains
 *   for deregistration_delay (default 300 s) while the pod must keep serving.
 * - The EKS pod identity webhook mounts an AWS token into every pod whose ServiceAccount
 *   has an IAM role, whatever automountServiceAccountToken says.
 * - The secrets the cluster provides must each come from an ExternalSecret.
 * - The proxy nginx trusts for X-Forwarded-For is exactly what its NetworkPolicy admits.
 * - Zone spreading that survives rollouts; HPA-owned replica counts; TLS to the database
 *   verified against a CA bundle that is really mounted.
 *
 * Registered in policy.ts (CHECKS); exemptions work as for every other check. Only types
 * come from policy.ts, so the two modules can load in any order. Pure: no I/O.
 */
import type { IContainer } from "kubernetes-models/v1/Container";
import type { Check, Workload } from "./policy";
import { isRecord, type K8sObject } from "./render";

type Context = Parameters<Check["run"]>[0];
interface RawFinding {
  object: K8sObject;
  message: string;
}

export const ALB_TARGET_TYPE = "alb.ingress.kubernetes.io/target-type";
export const ALB_TARGET_GROUP_ATTRIBUTES = "alb.ingress.kubernetes.io/target-group-attributes";
export const READINESS_GATE_LABEL = "elbv2.k8s.aws/pod-readiness-gate-inject";
export const IRSA_ROLE_ANNOTATION = "eks.amazonaws.com/role-arn";
/**
 * Component label of the NetworkPolicies that admit the EKS control plane (the API server's
 * service proxy) to a pod. The proxy appends X-Forwarded-For like a load balancer, but nginx
 * must not trust it: those policies are left out of trusted-proxy-cidr's comparison.
 */
export const API_SERVER_PROXY_COMPONENT = "api-server-proxy";
const DEREGISTRATION_DELAY = "deregistration_delay.timeout_seconds";
const ZONE = "topology.kubernetes.io/zone";

const record = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});
const strings = (v: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(record(v)).filter((e): e is [string, string] => typeof e[1] === "string"));
const named = (ctx: Context, kind: string, name: unknown) =>
  ctx.objects.find((o) => o.kind === kind && o.metadata.name === name);
const ofKind = (ctx: Context, kind: string) => ctx.objects.filter((o) => o.kind === kind);
const podContainers = (w: Workload): IContainer[] => [...(w.spec.initContainers ?? []), ...(w.spec.containers ?? [])];

/** matchLabels-only selection (the selectors these rules read use nothing else). */
function labelsSelect(selector: unknown, labels: Record<string, string>): boolean {
  const sel = record(selector);
  if (Array.isArray(sel.matchExpressions) && sel.matchExpressions.length > 0) return false;
  return Object.entries(strings(sel.matchLabels)).every(([k, v]) => labels[k] === v);
}

/** A value a container gets from the ConfigMaps it loads with envFrom. */
function configValue(ctx: Context, container: IContainer, name: string): string | undefined {
  for (const source of container.envFrom ?? []) {
    const value = strings(named(ctx, "ConfigMap", source.configMapRef?.name)?.data)[name];
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Seconds of a preStop `sleep N` (exec) or sleep action; 0 when there is none. */
function sleepBeforeStop(container: IContainer): number {
  const preStop = record(container.lifecycle?.preStop);
  const action = record(preStop.sleep).seconds;
  if (typeof action === "number") return action;
  const command = record(preStop.exec).command;
  return Array.isArray(command) && /(^|\/)sleep$/.test(String(command[0])) ? Number(command[1]) || 0 : 0;
}

/** An HPA-targeted workload without spec.replicas runs at least the HPA's minReplicas. */
export function withHpaReplicas(objects: readonly K8sObject[], workloads: Workload[]): Workload[] {
  return workloads.map((w) => {
    if (typeof record(w.object.spec).replicas === "number") return w;
    const hpa = objects.find((o) => {
      const ref = record(record(o.spec).scaleTargetRef);
      return o.kind === "HorizontalPodAutoscaler" && ref.kind === w.object.kind && ref.name === w.object.metadata.name;
    });
    const min = record(hpa?.spec).minReplicas;
    return hpa ? { ...w, replicas: typeof min === "number" ? min : 1 } : w;
  });
}

// ------------------------------------------------------------------ IPv4 ranges

/** Inclusive [first, last] address of an IPv4 CIDR, or undefined when it is not one. */
export function cidrRange(cidr: string): [number, number] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr.trim());
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - bits);
  const first = Math.floor(address / size) * size;
  return [first, first + size - 1];
}

/** The union of CIDRs as sorted, merged ranges (adjacent ranges join). */
export function mergeRanges(cidrs: readonly string[]): [number, number][] {
  const ranges = cidrs
    .map(cidrRange)
    .filter((r): r is [number, number] => r !== undefined)
    .sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [first, last] of ranges) {
    const prev = out[out.length - 1];
    if (prev && first <= prev[1] + 1) prev[1] = Math.max(prev[1], last);
    else out.push([first, last]);
  }
  return out;
}

// ------------------------------------------------------------------ rules

function ipIngresses(ctx: Context): K8sObject[] {
  return ofKind(ctx, "Ingress").filter((o) => o.metadata.annotations?.[ALB_TARGET_TYPE] === "ip");
}

function targetGroupAttribute(ingress: K8sObject, key: string): string | undefined {
  for (const pair of (ingress.metadata.annotations?.[ALB_TARGET_GROUP_ATTRIBUTES] ?? "").split(",")) {
    const [k, v] = pair.split("=").map((s) => s.trim());
    if (k === key) return v;
  }
  return undefined;
}

/** Workloads whose pods an Ingress sends traffic to (through its backend Services). */
function ingressTargets(ctx: Context, ingress: K8sObject): Workload[] {
  const spec = record(ingress.spec);
  const backends = [
    record(spec.defaultBackend),
    ...(Array.isArray(spec.rules) ? spec.rules : []).flatMap((rule) => {
      const paths = record(record(rule).http).paths;
      return (Array.isArray(paths) ? paths : []).map((p) => record(record(p).backend));
    }),
  ];
  const services = backends.map((b) => named(ctx, "Service", record(b.service).name)).filter((s) => s !== undefined);
  return ctx.workloads.filter((w) =>
    services.some((s) => {
      const selector = strings(record(s.spec).selector);
      return Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => w.podLabels[k] === v);
    }),
  );
}

const albReadinessGate: Check = {
  name: "alb-pod-readiness-gate",
  description: "ALB target-type ip: the namespace carries elbv2.k8s.aws/pod-readiness-gate-inject: enabled",
  run: (ctx) => {
    if (ipIngresses(ctx).length === 0) return [];
    const namespaces = ofKind(ctx, "Namespace");
    const missing = namespaces.filter((ns) => ns.metadata.labels?.[READINESS_GATE_LABEL] !== "enabled");
    const placeholder: K8sObject = { apiVersion: "v1", kind: "Namespace", metadata: { name: ctx.namespace } };
    return (namespaces.length ? missing : [placeholder]).map((object) => ({
      object,
      message: `no label ${READINESS_GATE_LABEL}: enabled, so pods count as Ready before their ALB targets are healthy`,
    }));
  },
};

const albDeregistrationDelay: Check = {
  name: "alb-deregistration-delay",
  description:
    "ALB target-type ip: deregistration delay set, and the target pods sleep longer in preStop (grace period longer still)",
  run: (ctx) =>
    ipIngresses(ctx).flatMap((ingress): RawFinding[] => {
      const delay = Number(targetGroupAttribute(ingress, DEREGISTRATION_DELAY));
      if (!Number.isFinite(delay)) {
        return [
          {
            object: ingress,
            message: `${ALB_TARGET_GROUP_ATTRIBUTES} does not set ${DEREGISTRATION_DELAY} (ALB default: 300 s)`,
          },
        ];
      }
      return ingressTargets(ctx, ingress).flatMap((w) =>
        (w.spec.containers ?? []).flatMap((c) => {
          const sleep = sleepBeforeStop(c);
          const grace = w.spec.terminationGracePeriodSeconds ?? 30;
          if (sleep <= delay)
            return [
              {
                object: w.object,
                message: `container "${c.name}": preStop sleep ${sleep} s <= deregistration delay ${delay} s`,
              },
            ];
          if (grace <= sleep)
            return [
              { object: w.object, message: `terminationGracePeriodSeconds ${grace} <= preStop sleep ${sleep} s` },
            ];
          return [];
        }),
      );
    }),
};

const irsaRoleUnused: Check = {
  name: "irsa-role-unused",
  description:
    "no pod runs as a ServiceAccount with an IAM role (the webhook mounts its token regardless of automount)",
  run: (ctx) =>
    ctx.workloads.flatMap((w) => {
      const sa = named(ctx, "ServiceAccount", w.spec.serviceAccountName ?? "default");
      const role = sa?.metadata.annotations?.[IRSA_ROLE_ANNOTATION];
      return role
        ? [
            {
              object: w.object,
              message: `runs as ServiceAccount "${sa.metadata.name}" with IAM role ${role}: its pods get an AWS token`,
            },
          ]
        : [];
    }),
};

const jobOwnServiceAccount: Check = {
  name: "job-own-service-account",
  description: "Jobs use a ServiceAccount of their own, not one of a long-running workload",
  run: (ctx) => {
    const longRunning = new Set(
      ctx.workloads.filter((w) => w.longRunning).map((w) => w.spec.serviceAccountName ?? "default"),
    );
    return ctx.workloads
      .filter((w) => !w.longRunning && longRunning.has(w.spec.serviceAccountName ?? "default"))
      .map((w) => ({
        object: w.object,
        message: `shares ServiceAccount "${w.spec.serviceAccountName ?? "default"}" with a long-running workload`,
      }));
  },
};

/** Secret name -> the secretKeyRef keys pods read from it. */
function referencedSecretKeys(ctx: Context): Map<string, Set<string>> {
  const refs = new Map<string, Set<string>>();
  for (const w of ctx.workloads) {
    for (const c of podContainers(w)) {
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (ref?.name) refs.set(ref.name, (refs.get(ref.name) ?? new Set()).add(ref.key));
      }
      for (const f of c.envFrom ?? [])
        if (f.secretRef?.name) refs.set(f.secretRef.name, refs.get(f.secretRef.name) ?? new Set());
    }
  }
  return refs;
}

const externalSecretSources: Check = {
  name: "external-secret-sources",
  description:
    "prod: every cluster-provided Secret pods read comes from an ExternalSecret with those keys, via an existing SecretStore and IRSA ServiceAccount",
  run: (ctx) => {
    if (ctx.environment !== "prod") return [];
    const out: RawFinding[] = [];
    const externals = ofKind(ctx, "ExternalSecret");
    for (const [name, keys] of referencedSecretKeys(ctx)) {
      if (!ctx.externalSecrets.includes(name)) continue;
      const source = externals.find((es) => (record(record(es.spec).target).name ?? es.metadata.name) === name);
      if (!source) {
        const placeholder: K8sObject = {
          apiVersion: "external-secrets.io/v1",
          kind: "ExternalSecret",
          metadata: { name },
        };
        out.push({ object: placeholder, message: `Secret "${name}" is read by pods but no ExternalSecret creates it` });
        continue;
      }
      const data = record(source.spec).data;
      const provided = new Set((Array.isArray(data) ? data : []).map((d) => record(d).secretKey));
      const missing = [...keys].filter((k) => !provided.has(k));
      if (missing.length && !record(source.spec).dataFrom)
        out.push({ object: source, message: `does not provide key(s) ${missing.join(", ")}` });
    }
    for (const es of externals) {
      const ref = record(record(es.spec).secretStoreRef);
      if ((ref.kind ?? "SecretStore") === "SecretStore" && !named(ctx, "SecretStore", ref.name)) {
        out.push({ object: es, message: `SecretStore "${String(ref.name)}" not found` });
      }
    }
    for (const store of ofKind(ctx, "SecretStore")) {
      const saName = record(record(record(record(record(store.spec).provider).aws).auth).jwt).serviceAccountRef;
      const sa = named(ctx, "ServiceAccount", record(saName).name);
      if (saName !== undefined && !sa?.metadata.annotations?.[IRSA_ROLE_ANNOTATION]) {
        out.push({
          object: store,
          message: `jwt ServiceAccount "${String(record(saName).name)}" missing or without ${IRSA_ROLE_ANNOTATION}`,
        });
      }
    }
    return out;
  },
};

const trustedProxyCidr: Check = {
  name: "trusted-proxy-cidr",
  description:
    "TRUSTED_PROXY_CIDR covers exactly the ipBlocks the pod's NetworkPolicies admit traffic from (API server proxy policies aside)",
  run: (ctx) =>
    ctx.workloads.flatMap((w) =>
      (w.spec.containers ?? []).flatMap((c): RawFinding[] => {
        const trusted = configValue(ctx, c, "TRUSTED_PROXY_CIDR");
        if (trusted === undefined) return [];
        const admitted = ofKind(ctx, "NetworkPolicy")
          .filter((np) => np.metadata.labels?.["app.kubernetes.io/component"] !== API_SERVER_PROXY_COMPONENT)
          .filter((np) => labelsSelect(record(np.spec).podSelector, w.podLabels))
          .flatMap((np) => (Array.isArray(record(np.spec).ingress) ? (record(np.spec).ingress as unknown[]) : []))
          .flatMap((rule) => (Array.isArray(record(rule).from) ? (record(rule).from as unknown[]) : []))
          .map((peer) => record(record(peer).ipBlock).cidr)
          .filter((cidr): cidr is string => typeof cidr === "string");
        if (admitted.length === 0) return [];
        if (!cidrRange(trusted))
          return [{ object: w.object, message: `TRUSTED_PROXY_CIDR "${trusted}" is not an IPv4 CIDR` }];
        const same = JSON.stringify(mergeRanges([trusted])) === JSON.stringify(mergeRanges(admitted));
        return same
          ? []
          : [
              {
                object: w.object,
                message: `TRUSTED_PROXY_CIDR ${trusted} is not the address set its NetworkPolicies admit (${admitted.join(", ")})`,
              },
            ];
      }),
    ),
};

const topologySpreadRollout: Check = {
  name: "topology-spread-rollout",
  description:
    "Deployment spread constraints use matchLabelKeys [pod-template-hash]; replicated ones must spread over zones (DoNotSchedule)",
  run: (ctx) =>
    ctx.workloads
      .filter((w) => w.object.kind === "Deployment")
      .flatMap((w): RawFinding[] => {
        const constraints = w.spec.topologySpreadConstraints ?? [];
        const problems: string[] = [];
        if (constraints.some((t) => !(t.matchLabelKeys ?? []).includes("pod-template-hash"))) {
          problems.push(
            "a topology spread constraint lacks matchLabelKeys [pod-template-hash] (rollouts count the old ReplicaSet's pods)",
          );
        }
        if (
          (w.replicas ?? 1) >= 2 &&
          !constraints.some((t) => t.topologyKey === ZONE && t.whenUnsatisfiable === "DoNotSchedule")
        ) {
          problems.push(`${w.replicas} replicas but no DoNotSchedule spread over ${ZONE}: they may share one zone`);
        }
        return problems.map((message) => ({ object: w.object, message }));
      }),
};

const hpaTargetReplicasUnset: Check = {
  name: "hpa-target-replicas-unset",
  description: "kube-score: a workload targeted by an HPA does not set spec.replicas (the HPA owns it)",
  run: (ctx) =>
    ofKind(ctx, "HorizontalPodAutoscaler").flatMap((hpa) => {
      const ref = record(record(hpa.spec).scaleTargetRef);
      const target = named(ctx, String(ref.kind), ref.name);
      return target && typeof record(target.spec).replicas === "number"
        ? [
            {
              object: target,
              message: `sets spec.replicas although HorizontalPodAutoscaler/${hpa.metadata.name} scales it`,
            },
          ]
        : [];
    }),
};

const databaseTlsCa: Check = {
  name: "database-tls-ca",
  description:
    "containers with DATABASE_URL: PGSSLROOTCERT is a mounted file; prod verifies the server (PGSSLMODE verify-full)",
  run: (ctx) =>
    ctx.workloads.flatMap((w) =>
      podContainers(w).flatMap((c): RawFinding[] => {
        if (!(c.env ?? []).some((e) => e.name === "DATABASE_URL")) return [];
        const out: string[] = [];
        const mode = configValue(ctx, c, "PGSSLMODE");
        const rootCert = configValue(ctx, c, "PGSSLROOTCERT");
        if (ctx.environment === "prod" && mode !== "verify-full")
          out.push(`PGSSLMODE is ${mode ?? "unset"}, not verify-full`);
        if (ctx.environment === "prod" && !rootCert)
          out.push("PGSSLROOTCERT unset (libpq would look in $HOME/.postgresql)");
        if (rootCert && !mountedFile(ctx, w, c, rootCert))
          out.push(`PGSSLROOTCERT ${rootCert} is not a file of a mounted ConfigMap or Secret`);
        return out.map((message) => ({ object: w.object, message: `container "${c.name}": ${message}` }));
      }),
    ),
};

/** Is `file` a key of a ConfigMap/Secret volume mounted (as a directory) in the container? */
function mountedFile(ctx: Context, w: Workload, c: IContainer, file: string): boolean {
  return (c.volumeMounts ?? []).some((m) => {
    if (!file.startsWith(`${m.mountPath.replace(/\/$/, "")}/`) || m.subPath) return false;
    const key = file.slice(m.mountPath.replace(/\/$/, "").length + 1);
    const volume = (w.spec.volumes ?? []).find((v) => v.name === m.name);
    if (volume?.configMap) {
      const items = volume.configMap.items;
      return items
        ? items.some((i) => i.path === key)
        : key in strings(named(ctx, "ConfigMap", volume.configMap.name)?.data);
    }
    return volume?.secret ? (volume.secret.items ?? []).some((i) => i.path === key) || !volume.secret.items : false;
  });
}

export const EKS_CHECKS: readonly Check[] = [
  albReadinessGate,
  albDeregistrationDelay,
  irsaRoleUnused,
  jobOwnServiceAccount,
  externalSecretSources,
  trustedProxyCidr,
  topologySpreadRollout,
  hpaTargetReplicasUnset,
  databaseTlsCa,
];
