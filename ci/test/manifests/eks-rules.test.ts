/* eslint-disable @typescript-eslint/no-explicit-any -- rendered objects are read freely */
/**
 * The EKS rules (ci/src/manifests/eks-rules.ts): what they accept, that each one fires on the
 * prod overlay as it was before the fixes of issue 14 (fixtures/prod-before-eks-fixes.yaml),
 * and the facts of the current prod overlay they stand for.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EKS_CHECKS, cidrRange, mergeRanges, withHpaReplicas } from "../../src/manifests/eks-rules";
import { OVERLAYS } from "../../src/manifests/overlays";
import { formatFindings, runPolicies, workloadsOf, type PolicyOptions } from "../../src/manifests/policy";
import { parseManifests, type K8sObject } from "../../src/manifests/render";
import { DATABASE_URL_ENV, albIngress, proxyFrom } from "./eks-cases";
import { FIXTURE_EXTERNAL_SECRETS, FIXTURE_NAMESPACE, find, goodObjects } from "./fixtures";
import { REPO_ROOT, renderRepo } from "./testing";

const PROD: PolicyOptions = {
  namespace: FIXTURE_NAMESPACE,
  environment: "prod",
  externalSecrets: FIXTURE_EXTERNAL_SECRETS,
};
const EKS_NAMES = EKS_CHECKS.map((c) => c.name);
const eksFindings = (objects: readonly K8sObject[], options: PolicyOptions) =>
  runPolicies(objects, options).findings.filter((f) => EKS_NAMES.includes(f.check));

describe("IPv4 ranges", () => {
  it("parses CIDRs (host bits ignored) and rejects what is not one", () => {
    expect(cidrRange("10.0.0.0/19")).toEqual([167772160, 167772160 + 8191]);
    expect(cidrRange("10.0.5.7/24")).toEqual(cidrRange("10.0.5.0/24"));
    for (const bad of ["10.0.0.0", "10.0.0.256/24", "10.0.0.0/33", "::1/128", ""])
      expect(cidrRange(bad), bad).toBeUndefined();
  });

  it("merges adjacent and overlapping ranges", () => {
    expect(mergeRanges(["10.0.16.0/20", "10.0.0.0/20"])).toEqual(mergeRanges(["10.0.0.0/19"]));
    expect(mergeRanges(["10.0.0.0/20", "10.0.32.0/20"])).toHaveLength(2);
    expect(mergeRanges(["10.0.0.0/16", "10.0.1.0/24"])).toEqual(mergeRanges(["10.0.0.0/16"]));
  });
});

describe("EKS rules accept a correct setup", () => {
  it("ALB ip targets: labelled namespace, 30 s delay, preStop 40 s, grace 75 s", () => {
    const objs = goodObjects() as any[];
    albIngress(objs, {
      "alb.ingress.kubernetes.io/target-group-attributes":
        "deregistration_delay.timeout_seconds=30,slow_start.duration_seconds=30",
    });
    find(objs, "Namespace", FIXTURE_NAMESPACE).metadata.labels["elbv2.k8s.aws/pod-readiness-gate-inject"] = "enabled";
    const spec = find(objs, "Deployment", "app").spec.template.spec;
    spec.containers[0].lifecycle.preStop.exec.command = ["sleep", "40"];
    spec.terminationGracePeriodSeconds = 75;
    expect(formatFindings(runPolicies(objs, PROD).findings)).toBe("");
    spec.terminationGracePeriodSeconds = 40; // grace no longer outlives the sleep
    expect(eksFindings(objs, PROD).map((f) => f.check)).toEqual(["alb-deregistration-delay"]);
  });

  it("nginx trusting exactly the two ALB subnets it admits (/19 = two adjacent /20)", () => {
    const objs = goodObjects() as any[];
    proxyFrom(objs, "10.0.0.0/19", ["10.0.0.0/20", "10.0.16.0/20"]);
    expect(formatFindings(runPolicies(objs, PROD).findings)).toBe("");
  });

  it("verify-full against a CA bundle mounted from a ConfigMap", () => {
    const objs = goodObjects() as any[];
    const c = find(objs, "Deployment", "app").spec.template.spec;
    c.containers[0].env.push(DATABASE_URL_ENV);
    Object.assign(find(objs, "ConfigMap", "app-config").data, {
      PGSSLMODE: "verify-full",
      PGSSLROOTCERT: "/etc/ssl/rds/global-bundle.pem",
    });
    objs.push({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: {
        name: "ca",
        namespace: FIXTURE_NAMESPACE,
        labels: find(objs, "ConfigMap", "app-config").metadata.labels,
      },
      data: { "global-bundle.pem": "x" },
    });
    c.containers[0].volumeMounts.push({ name: "ca", mountPath: "/etc/ssl/rds", readOnly: true });
    c.volumes.push({ name: "ca", configMap: { name: "ca" } });
    expect(formatFindings(runPolicies(objs, PROD).findings)).toBe("");
    c.volumes[c.volumes.length - 1].configMap.items = [{ key: "global-bundle.pem", path: "other.pem" }];
    expect(eksFindings(objs, PROD).map((f) => f.check)).toEqual(["database-tls-ca"]);
  });

  it("an HPA-targeted Deployment without replicas counts the HPA's minReplicas", () => {
    const objs = goodObjects();
    const [app] = withHpaReplicas(objs, workloadsOf(objs)).filter((w) => w.object.metadata.name === "app");
    expect(app?.replicas).toBe(2);
  });
});

/**
 * (5) The trust boundary against the network diagram: the ipBlocks nginx admits and the
 * proxy range it trusts are the ALB (public) subnets; the backend reaches only the DB subnets.
 */
function trustBoundaryProblems(objects: readonly K8sObject[]): string[] {
  const diagram = readFileSync(path.join(REPO_ROOT, "docs/diagrams/network.mmd"), "utf8");
  const subnets = (tier: RegExp) => [...diagram.matchAll(tier)].map((m) => m[1] as string).sort();
  const alb = subnets(/\["public (\d+\.\d+\.\d+\.\d+\/\d+)<br\/>ALB node/g);
  const db = subnets(/\[\("DB (\d+\.\d+\.\d+\.\d+\/\d+)<br\/>/g);
  const controlPlane = subnets(/\["control plane (\d+\.\d+\.\d+\.\d+\/\d+)<br\/>EKS API server ENIs/g);
  if (alb.length !== 2 || db.length !== 2 || controlPlane.length !== 2) {
    return [
      `network.mmd: expected 2 ALB, 2 DB and 2 control-plane subnets, found ${alb.length}, ${db.length} and ${controlPlane.length}`,
    ];
  }
  const get = (kind: string, name: string): any =>
    objects.find((o) => o.kind === kind && (o.metadata.name === name || o.metadata.name.startsWith(`${name}-`)));
  const problems: string[] = [];
  const admitted = (get("NetworkPolicy", "frontend")?.spec.ingress[0].from ?? [])
    .map((p: any) => p.ipBlock?.cidr)
    .sort();
  if (JSON.stringify(admitted) !== JSON.stringify(alb))
    problems.push(`frontend admits ${admitted.join(", ")}, not the ALB subnets ${alb.join(", ")}`);
  const trusted = get("ConfigMap", "frontend-config")?.data.TRUSTED_PROXY_CIDR;
  if (JSON.stringify(mergeRanges([trusted])) !== JSON.stringify(mergeRanges(alb)))
    problems.push(`TRUSTED_PROXY_CIDR ${trusted} is not the ALB subnets`);
  // The API server's service proxy (deploy smoke test) reaches backend :8000 and frontend :8080 from the control-plane subnets only.
  for (const [name, port] of [
    ["backend-api-server", 8000],
    ["frontend-api-server", 8080],
  ] as const) {
    const rules = get("NetworkPolicy", name)?.spec.ingress ?? [];
    const from = rules
      .flatMap((r: any) => r.from ?? [])
      .map((p: any) => p.ipBlock?.cidr)
      .sort();
    const ports = rules.flatMap((r: any) => r.ports ?? []).map((p: any) => `${p.protocol}/${p.port}`);
    if (
      JSON.stringify(from) !== JSON.stringify(controlPlane) ||
      JSON.stringify(ports) !== JSON.stringify([`TCP/${port}`])
    ) {
      problems.push(
        `${name} admits ${from.join(", ")} on ${ports.join(", ")}, not the control-plane subnets ${controlPlane.join(", ")} on TCP/${port}`,
      );
    }
  }
  for (const name of ["backend", "backend-migrate"]) {
    const egress = (get("NetworkPolicy", name)?.spec.egress ?? [])
      .flatMap((r: any) => r.to ?? [])
      .flatMap((p: any) => (p.ipBlock ? [p.ipBlock.cidr] : []));
    if (JSON.stringify(mergeRanges(egress)) !== JSON.stringify(mergeRanges(db)))
      problems.push(`${name} egress ${egress.join(", ")} is not the DB subnets`);
  }
  return problems;
}

describe("the prod overlay before the fixes of issue 14", () => {
  const before = parseManifests(
    readFileSync(path.join(REPO_ROOT, "ci/test/manifests/fixtures/prod-before-eks-fixes.yaml"), "utf8"),
  );
  const fired = new Set(eksFindings(before, OVERLAYS.prod).map((f) => f.check));

  // trusted-proxy-cidr guards consistency: there both sides were the whole VPC (10.0.0.0/16),
  // which the diagram check below refuses.
  it.each(EKS_NAMES.filter((n) => n !== "trusted-proxy-cidr"))("fails %s", (check) => {
    expect([...fired]).toContain(check);
  });

  it("admits and trusts the whole VPC, not the ALB subnets", () => {
    expect(trustBoundaryProblems(before)).toEqual([
      "frontend admits 10.0.0.0/16, not the ALB subnets 10.0.0.0/20, 10.0.16.0/20",
      "TRUSTED_PROXY_CIDR 10.0.0.0/16 is not the ALB subnets",
      "backend-api-server admits  on , not the control-plane subnets 10.0.80.0/28, 10.0.80.16/28 on TCP/8000",
      "frontend-api-server admits  on , not the control-plane subnets 10.0.80.0/28, 10.0.80.16/28 on TCP/8080",
      "backend egress 10.0.64.0/20 is not the DB subnets",
      "backend-migrate egress 10.0.64.0/20 is not the DB subnets",
    ]);
  });
});

describe("the prod overlay", () => {
  const prod = () => renderRepo(OVERLAYS.prod.dir);
  const get = async (kind: string, name: string): Promise<any> => {
    const o = (await prod()).find(
      (x) => x.kind === kind && (x.metadata.name === name || x.metadata.name.startsWith(`${name}-`)),
    );
    if (!o) throw new Error(`${kind}/${name} not rendered`);
    return o;
  };

  it("(2) labels the namespace for readiness gates; nginx outlives a 30 s deregistration delay", async () => {
    expect((await get("Namespace", "challenge-prd")).metadata.labels["elbv2.k8s.aws/pod-readiness-gate-inject"]).toBe(
      "enabled",
    );
    const annotations = (await get("Ingress", "prestamos")).metadata.annotations;
    expect(annotations["alb.ingress.kubernetes.io/target-group-attributes"]).toBe(
      "deregistration_delay.timeout_seconds=30",
    );
    const frontend = (await get("Deployment", "frontend")).spec.template.spec;
    expect(frontend.containers[0].lifecycle.preStop.exec.command).toEqual(["sleep", "40"]);
    expect(frontend.terminationGracePeriodSeconds).toBe(75);
  });

  it("(3) gives no pod an IAM role; the migrate Job runs as its own ServiceAccount", async () => {
    for (const name of ["backend", "frontend", "backend-migrate"]) {
      expect(
        (await get("ServiceAccount", name)).metadata.annotations?.["eks.amazonaws.com/role-arn"],
        name,
      ).toBeUndefined();
    }
    expect((await get("Job", "backend-migrate")).spec.template.spec.serviceAccountName).toBe("backend-migrate");
  });

  it("(4) creates each cluster Secret with an ExternalSecret from the Secrets Manager store", async () => {
    const store = await get("SecretStore", "aws-secrets-manager");
    expect(store.spec.provider.aws).toMatchObject({ service: "SecretsManager", prefix: "prestamos/prd/" });
    for (const name of OVERLAYS.prod.externalSecrets) {
      const es = await get("ExternalSecret", name);
      expect(es.spec.target.name).toBe(name);
      expect(es.spec.secretStoreRef).toEqual({ kind: "SecretStore", name: "aws-secrets-manager" });
    }
  });

  it("(5) trusts and admits only the ALB subnets of docs/diagrams/network.mmd, admits its control-plane subnets on the serving ports only; reaches only its DB subnets", async () => {
    expect(trustBoundaryProblems(await prod())).toEqual([]);
  });

  it("(6) spreads over zones (DoNotSchedule, per ReplicaSet) and leaves replicas to the HPAs", async () => {
    for (const name of ["backend", "frontend"]) {
      const deployment = await get("Deployment", name);
      expect(deployment.spec.replicas, name).toBeUndefined();
      const zone = deployment.spec.template.spec.topologySpreadConstraints.find(
        (t: any) => t.topologyKey === "topology.kubernetes.io/zone",
      );
      expect(zone, name).toMatchObject({
        whenUnsatisfiable: "DoNotSchedule",
        matchLabelKeys: ["pod-template-hash"],
        nodeTaintsPolicy: "Honor",
      });
    }
  });

  it("(1) mounts the pinned RDS CA bundle where PGSSLROOTCERT points, in every pod that reaches RDS", async () => {
    const dir = path.join(REPO_ROOT, "k8s/components/aws/rds-ca");
    const pem = readFileSync(path.join(dir, "global-bundle.pem"));
    const [pinned] = readFileSync(path.join(dir, "global-bundle.pem.sha256"), "utf8").split(/\s+/);
    expect(createHash("sha256").update(pem).digest("hex")).toBe(pinned);
    const bundle = await get("ConfigMap", "rds-ca-bundle");
    expect(bundle.data["global-bundle.pem"]).toBe(pem.toString("utf8"));
    expect((await get("ConfigMap", "backend-config")).data).toMatchObject({
      PGSSLMODE: "verify-full",
      PGSSLROOTCERT: "/etc/ssl/rds/global-bundle.pem",
    });
    for (const [kind, name] of [
      ["Deployment", "backend"],
      ["Job", "backend-migrate"],
    ] as const) {
      const spec = (await get(kind, name)).spec.template.spec;
      expect(spec.volumes.find((v: any) => v.name === "rds-ca")?.configMap.name).toBe(bundle.metadata.name);
      for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
        expect(c.volumeMounts.find((m: any) => m.name === "rds-ca")?.mountPath, `${name}/${c.name}`).toBe(
          "/etc/ssl/rds",
        );
      }
    }
  });
});
