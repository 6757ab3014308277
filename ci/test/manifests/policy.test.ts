/* eslint-disable @typescript-eslint/no-explicit-any -- fixtures are mutated freely */
import { describe, expect, it } from "vitest";
import { FIXTURE_EXTERNAL_SECRETS, FIXTURE_NAMESPACE, ctr, dep, find, goodObjects, pod } from "./fixtures";
import { EKS_CASES } from "./eks-cases";
import {
  CHECK_NAMES,
  EXEMPT_PREFIX,
  formatExemptions,
  formatFindings,
  runPolicies,
  selectorMatches,
  workloadsOf,
  type PolicyOptions,
} from "../../src/manifests/policy";
import type { K8sObject } from "../../src/manifests/render";
import { renderRepo } from "./testing";
import { OVERLAYS } from "../../src/manifests/overlays";

const PROD: PolicyOptions = {
  namespace: FIXTURE_NAMESPACE,
  environment: "prod",
  externalSecrets: FIXTURE_EXTERNAL_SECRETS,
};

type Objs = any[];
const sts = (o: Objs) => find(o, "StatefulSet", "db");
const job = (o: Objs) => find(o, "Job", "migrate");
const svc = (o: Objs) => find(o, "Service", "app");
const pdb = (o: Objs) => find(o, "PodDisruptionBudget", "app");
const hpa = (o: Objs) => find(o, "HorizontalPodAutoscaler", "app");
const ns = (o: Objs) => find(o, "Namespace", FIXTURE_NAMESPACE);
const init = (o: Objs) => pod(o).initContainers[0];

interface Case {
  check: string;
  why: string;
  mutate: (objs: Objs) => void;
  options?: Partial<PolicyOptions>;
}

/** One (or more) bad variants per check: each must make that check fire. */
const CASES: Case[] = [
  {
    check: "namespace-pss-labels",
    why: "enforce baseline",
    mutate: (o) => (ns(o).metadata.labels["pod-security.kubernetes.io/enforce"] = "baseline"),
  },
  {
    check: "namespace-pss-labels",
    why: "no warn-version",
    mutate: (o) => delete ns(o).metadata.labels["pod-security.kubernetes.io/warn-version"],
  },
  { check: "image-reference", why: "bad digest", mutate: (o) => (ctr(o).image = "app@sha256:1234") },
  { check: "image-reference", why: "uppercase", mutate: (o) => (ctr(o).image = "App:1") },
  {
    check: "image-reference",
    why: "tag when digests are required",
    mutate: () => undefined,
    options: { requireDigests: true },
  },
  { check: "image-pull-policy", why: "unset", mutate: (o) => delete ctr(o).imagePullPolicy },
  { check: "image-pull-policy", why: "Never", mutate: (o) => (ctr(o).imagePullPolicy = "Never") },
  { check: "no-liveness-probe", why: "missing", mutate: (o) => delete ctr(o).livenessProbe },
  { check: "no-readiness-probe", why: "missing", mutate: (o) => delete ctr(o).readinessProbe },
  { check: "no-startup-probe", why: "missing", mutate: (o) => delete ctr(o).startupProbe },
  { check: "liveness-port", why: "unknown named port", mutate: (o) => (ctr(o).livenessProbe.httpGet.port = "metrics") },
  { check: "readiness-port", why: "unknown numeric port", mutate: (o) => (ctr(o).readinessProbe.httpGet.port = 9000) },
  {
    check: "startup-port",
    why: "tcpSocket port not exposed",
    mutate: (o) => (sts(o).spec.template.spec.containers[0].startupProbe.tcpSocket.port = 5433),
  },
  {
    check: "probes-identical",
    why: "same probe",
    mutate: (o) => (ctr(o).livenessProbe = { ...ctr(o).readinessProbe }),
  },
  {
    check: "unset-ephemeral-storage-requirements",
    why: "no ephemeral limit",
    mutate: (o) => delete ctr(o).resources.limits["ephemeral-storage"],
  },
  { check: "run-as-high-uid", why: "uid 101", mutate: (o) => (ctr(o).securityContext.runAsUser = 101) },
  { check: "run-as-high-uid", why: "gid 101", mutate: (o) => (ctr(o).securityContext.runAsGroup = 101) },
  { check: "non-existent-service-account", why: "unknown SA", mutate: (o) => (pod(o).serviceAccountName = "ghost") },
  {
    check: "non-existent-service-account",
    why: "default SA not declared",
    mutate: (o) => delete job(o).spec.template.spec.serviceAccountName,
  },
  {
    check: "deprecated-api-version",
    why: "extensions/v1beta1",
    mutate: (o) => (find(o, "Ingress", "app").apiVersion = "extensions/v1beta1"),
  },
  {
    check: "env-var-secret",
    why: "literal password",
    mutate: (o) => ctr(o).env.push({ name: "DB_PASSWORD", value: "hunter2" }),
  },
  {
    check: "env-var-secret",
    why: "URL with password",
    mutate: (o) => ctr(o).env.push({ name: "DATABASE_URL", value: "postgres://u:p@db:5432/x" }),
  },
  {
    check: "job-ttl-seconds-after-finished",
    why: "missing",
    mutate: (o) => delete job(o).spec.ttlSecondsAfterFinished,
  },
  { check: "job-deadline", why: "no activeDeadlineSeconds", mutate: (o) => delete job(o).spec.activeDeadlineSeconds },
  {
    check: "mismatching-selector",
    why: "selector vs labels",
    mutate: (o) => (dep(o).spec.selector.matchLabels["app.kubernetes.io/name"] = "other"),
  },
  {
    check: "no-rolling-update-strategy",
    why: "Recreate",
    mutate: (o) => (dep(o).spec.strategy = { type: "Recreate" }),
  },
  {
    check: "zero-downtime-rollout",
    why: "maxUnavailable 1",
    mutate: (o) => (dep(o).spec.strategy.rollingUpdate.maxUnavailable = 1),
  },
  { check: "zero-downtime-rollout", why: "no minReadySeconds", mutate: (o) => delete dep(o).spec.minReadySeconds },
  { check: "no-anti-affinity", why: "no spread", mutate: (o) => delete pod(o).topologySpreadConstraints },
  {
    check: "no-anti-affinity",
    why: "spread selector matches other pods",
    mutate: (o) => (pod(o).topologySpreadConstraints[0].labelSelector.matchLabels["app.kubernetes.io/name"] = "other"),
  },
  { check: "graceful-shutdown", why: "no preStop", mutate: (o) => delete ctr(o).lifecycle },
  {
    check: "graceful-shutdown",
    why: "grace <= preStop + gunicorn graceful",
    mutate: (o) => (pod(o).terminationGracePeriodSeconds = 25),
  },
  {
    check: "statefulset-service-name",
    why: "not headless",
    mutate: (o) => delete find(o, "Service", "db").spec.clusterIP,
  },
  { check: "statefulset-service-name", why: "missing Service", mutate: (o) => (sts(o).spec.serviceName = "ghost") },
  {
    check: "dangling-service",
    why: "selector matches nothing",
    mutate: (o) => (svc(o).spec.selector = { "app.kubernetes.io/name": "ghost" }),
  },
  {
    check: "service-target-port",
    why: "named targetPort missing",
    mutate: (o) => (svc(o).spec.ports[0].targetPort = "web"),
  },
  {
    check: "service-target-port",
    why: "numeric targetPort missing",
    mutate: (o) => (svc(o).spec.ports[0].targetPort = 8080),
  },
  {
    check: "ingress-targets-service",
    why: "unknown Service",
    mutate: (o) => (find(o, "Ingress", "app").spec.rules[0].http.paths[0].backend.service.name = "ghost"),
  },
  {
    check: "ingress-targets-service",
    why: "unknown port",
    mutate: (o) => (find(o, "Ingress", "app").spec.rules[0].http.paths[0].backend.service.port = { number: 8080 }),
  },
  { check: "ingress-class", why: "no class", mutate: (o) => delete find(o, "Ingress", "app").spec.ingressClassName },
  { check: "pdb-max-unavailable", why: "0", mutate: (o) => (pdb(o).spec.maxUnavailable = 0) },
  {
    check: "pdb-min-available",
    why: "minAvailable == replicas",
    mutate: (o) => {
      delete pdb(o).spec.maxUnavailable;
      pdb(o).spec.minAvailable = 2;
    },
  },
  {
    check: "pdb-unhealthy-pod-eviction-policy",
    why: "unset",
    mutate: (o) => delete pdb(o).spec.unhealthyPodEvictionPolicy,
  },
  {
    check: "pdb-targets-pod",
    why: "selects nothing",
    mutate: (o) => (pdb(o).spec.selector.matchLabels["app.kubernetes.io/name"] = "ghost"),
  },
  { check: "pdb-targets-pod", why: "single replica", mutate: (o) => (dep(o).spec.replicas = 1) },
  { check: "hpa-target-exists", why: "unknown Deployment", mutate: (o) => (hpa(o).spec.scaleTargetRef.name = "ghost") },
  {
    check: "hpa-replicas",
    why: "replicas < minReplicas",
    mutate: (o) => {
      dep(o).spec.replicas = 2;
      hpa(o).spec.minReplicas = 3;
    },
  },
  { check: "hpa-replicas", why: "minReplicas 1", mutate: (o) => (hpa(o).spec.minReplicas = 1) },
  { check: "object-namespace", why: "other namespace", mutate: (o) => (svc(o).metadata.namespace = "default") },
  { check: "object-namespace", why: "no namespace", mutate: (o) => delete svc(o).metadata.namespace },
  { check: "namespace-exists", why: "not declared", mutate: (o) => o.splice(o.indexOf(ns(o)), 1) },
  {
    check: "required-labels",
    why: "object without part-of",
    mutate: (o) => delete svc(o).metadata.labels["app.kubernetes.io/part-of"],
  },
  {
    check: "required-labels",
    why: "pod template without component",
    mutate: (o) => delete dep(o).spec.template.metadata.labels["app.kubernetes.io/component"],
  },
  {
    check: "config-reference-exists",
    why: "unknown ConfigMap",
    mutate: (o) => (ctr(o).envFrom[0].configMapRef.name = "ghost"),
  },
  {
    check: "config-reference-exists",
    why: "Secret not declared external",
    mutate: () => undefined,
    options: { externalSecrets: [] },
  },
  {
    check: "secret-provenance",
    why: "Secret in prod",
    mutate: (o) =>
      o.push({ apiVersion: "v1", kind: "Secret", metadata: { name: "s", namespace: FIXTURE_NAMESPACE, labels: {} } }),
  },
  {
    check: "secret-provenance",
    why: "dev Secret not marked local-only",
    mutate: (o) => o.push({ apiVersion: "v1", kind: "Secret", metadata: { name: "s", namespace: FIXTURE_NAMESPACE } }),
    options: { environment: "dev" },
  },
  {
    check: "networkpolicy-targets-pod",
    why: "selects nothing",
    mutate: (o) => (find(o, "NetworkPolicy", "app").spec.podSelector.matchLabels["app.kubernetes.io/name"] = "ghost"),
  },
  {
    check: "network-policy-coverage",
    why: "no default deny",
    mutate: (o) => (find(o, "NetworkPolicy", "default-deny").spec.ingress = [{}]),
  },
  {
    check: "network-policy-coverage",
    why: "Job pods uncovered",
    mutate: (o) => o.splice(o.indexOf(find(o, "NetworkPolicy", "migrate")), 1),
  },
  {
    check: "exemption-reason",
    why: "empty reason",
    mutate: (o) => (dep(o).metadata.annotations = { [`${EXEMPT_PREFIX}run-as-high-uid`]: " " }),
  },
  {
    check: "unknown-exemption",
    why: "typo in check name",
    mutate: (o) => (dep(o).metadata.annotations = { [`${EXEMPT_PREFIX}run-as-hihg-uid`]: "why" }),
  },
  ...EKS_CASES,
];

function run(objs: Objs, options: Partial<PolicyOptions> = {}) {
  return runPolicies(objs as K8sObject[], { ...PROD, ...options });
}

describe("policy checks on hand-written objects", () => {
  it("the good fixture passes every check", () => {
    const { findings, exemptions } = run(goodObjects());
    expect(formatFindings(findings)).toBe("");
    expect(exemptions).toEqual([]);
  });

  it("every check has at least one failing case (no check can pass silently)", () => {
    const covered = new Set(CASES.map((c) => c.check));
    expect(CHECK_NAMES.filter((n) => !covered.has(n))).toEqual([]);
    expect([...covered].filter((n) => !CHECK_NAMES.includes(n))).toEqual([]);
  });

  it.each(CASES.map((c) => [c.check, c.why, c] as const))("%s fires: %s", (check, _why, c) => {
    const objs = goodObjects() as Objs;
    c.mutate(objs);
    const { findings } = run(objs, c.options);
    expect(findings.map((f) => f.check)).toContain(check);
  });

  /** Per-container rules must see init containers too (a pod is only as safe as each of them). */
  const INIT_CONTAINER_CASES: Case[] = [
    { check: "image-reference", why: "invalid image", mutate: (o) => (init(o).image = "App:1") },
    {
      check: "image-reference",
      why: "tag when digests are required",
      mutate: () => undefined,
      options: { requireDigests: true },
    },
    { check: "image-pull-policy", why: "unset", mutate: (o) => delete init(o).imagePullPolicy },
    {
      check: "env-var-secret",
      why: "literal token",
      mutate: (o) => (init(o).env = [{ name: "API_TOKEN", value: "t0k3n" }]),
    },
    {
      check: "unset-ephemeral-storage-requirements",
      why: "no limit",
      mutate: (o) => delete init(o).resources.limits["ephemeral-storage"],
    },
    { check: "run-as-high-uid", why: "uid 101", mutate: (o) => (init(o).securityContext.runAsUser = 101) },
  ];

  it.each(INIT_CONTAINER_CASES.map((c) => [c.check, c.why, c] as const))(
    "%s fires on an init container: %s",
    (check, _why, c) => {
      const objs = goodObjects() as Objs;
      // Everything but the init container is made compliant with the stricter option first.
      if (c.options?.requireDigests) {
        for (const o of objs) {
          for (const container of [...(o.spec?.template?.spec?.containers ?? [])])
            container.image = `registry.example.com/app@sha256:${"b".repeat(64)}`;
        }
      }
      c.mutate(objs);
      const { findings } = run(objs, c.options);
      const messages = findings.filter((f) => f.check === check).map((f) => f.message);
      expect(
        messages.some((m) => m.startsWith('initContainer "wait"')),
        formatFindings(findings),
      ).toBe(true);
    },
  );

  it("an exemption with a reason moves the finding to the exemption list", () => {
    const objs = goodObjects() as Objs;
    ctr(objs).securityContext.runAsUser = 101;
    dep(objs).metadata.annotations = { [`${EXEMPT_PREFIX}run-as-high-uid`]: "image owns files as 101" };
    const { findings, exemptions } = run(objs);
    expect(findings).toEqual([]);
    expect(exemptions).toEqual([
      expect.objectContaining({
        check: "run-as-high-uid",
        object: "Deployment/app",
        reason: "image owns files as 101",
      }),
    ]);
  });

  it("matches label selectors with expressions", () => {
    const labels = { a: "1", b: "2" };
    expect(selectorMatches({ matchLabels: { a: "1" } }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: "b", operator: "In", values: ["2", "3"] }] }, labels)).toBe(
      true,
    );
    expect(selectorMatches({ matchExpressions: [{ key: "c", operator: "Exists" }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: "a", operator: "NotIn", values: ["1"] }] }, labels)).toBe(false);
    expect(selectorMatches({}, labels)).toBe(true);
  });
});

describe.each(Object.entries(OVERLAYS))("policy on the %s overlay", (_env, overlay) => {
  it("has 0 findings and lists its exemptions", async () => {
    const objects = await renderRepo(overlay.dir);
    const { findings, exemptions } = runPolicies(objects, overlay);
    console.log(
      `policy ${overlay.dir}: ${findings.length} findings, ${exemptions.length} exemptions\n${formatExemptions(exemptions)}`,
    );
    expect(formatFindings(findings)).toBe("");
    for (const e of exemptions) expect(e.reason.length).toBeGreaterThan(20);
  });
});

describe("the prod overlay is checked with prod rules", () => {
  // A prod overlay declared with dev rules would pass all the above: prove prod rules bite on it.
  it("a Secret rendered into prod fails secret-provenance", async () => {
    const objects = [...(await renderRepo(OVERLAYS.prod.dir))];
    objects.push({
      apiVersion: "v1",
      kind: "Secret",
      metadata: {
        name: "leak",
        namespace: OVERLAYS.prod.namespace,
        annotations: { "prestamos.dev/local-only": "true" },
      },
    });
    expect(runPolicies(objects, OVERLAYS.prod).findings.map((f) => f.check)).toContain("secret-provenance");
  });

  it("without its default-deny NetworkPolicy prod fails network-policy-coverage", async () => {
    const objects = (await renderRepo(OVERLAYS.prod.dir)).filter(
      (o) => !(o.kind === "NetworkPolicy" && o.metadata.name === "default-deny"),
    );
    expect(runPolicies(objects, OVERLAYS.prod).findings.map((f) => f.check)).toContain("network-policy-coverage");
  });

  it("the cluster-provided Secrets are declared only for prod", () => {
    expect(OVERLAYS.prod.externalSecrets.length).toBeGreaterThan(0);
    expect("externalSecrets" in OVERLAYS.dev).toBe(false);
  });
});

describe.each(Object.entries(OVERLAYS))("references in the %s overlay", (_env, overlay) => {
  it("every Service selects pods that expose its targetPort", async () => {
    const objects = await renderRepo(overlay.dir);
    const workloads = workloadsOf(objects);
    const services = objects.filter((o) => o.kind === "Service") as any[];
    expect(services.length).toBeGreaterThan(0);
    for (const svc of services) {
      const selector: Record<string, string> = svc.spec.selector;
      const pods = workloads.filter((w) => Object.entries(selector).every(([k, v]) => w.podLabels[k] === v));
      expect(pods.length, `Service/${svc.metadata.name} selects no pods`).toBeGreaterThan(0);
      for (const port of svc.spec.ports) {
        for (const w of pods) {
          const ports = (w.spec.containers ?? []).flatMap((c) => c.ports ?? []);
          expect(
            ports.some((p) => p.name === port.targetPort || p.containerPort === port.targetPort),
            `Service/${svc.metadata.name} targetPort ${port.targetPort}`,
          ).toBe(true);
        }
      }
    }
  });

  it("every httpGet/tcpSocket probe port is a port of its container", async () => {
    let probes = 0;
    for (const w of workloadsOf(await renderRepo(overlay.dir))) {
      for (const c of w.spec.containers ?? []) {
        for (const probe of [c.startupProbe, c.readinessProbe, c.livenessProbe]) {
          const port = probe?.httpGet?.port ?? probe?.tcpSocket?.port;
          if (port === undefined) continue;
          probes++;
          expect(
            (c.ports ?? []).some((p) => p.name === port || p.containerPort === port),
            `${w.object.metadata.name}/${c.name} probe port ${port}`,
          ).toBe(true);
        }
      }
    }
    expect(probes).toBeGreaterThanOrEqual(6);
  });
});
