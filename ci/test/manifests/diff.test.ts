import { describe, expect, it } from "vitest";
import {
  changedPaths,
  diffOverlays,
  formatDiff,
  normalizeGeneratedNames,
  type OverlayDiff,
} from "../../src/manifests/diff";
import { OVERLAYS } from "../../src/manifests/overlays";
import { renderRepo } from "./testing";
import type { K8sObject } from "../../src/manifests/render";

describe("diff helpers", () => {
  it("lists changed leaf paths", () => {
    expect(changedPaths({ a: 1, b: { c: [1, 2] }, d: "x" }, { a: 1, b: { c: [1, 3] }, e: "y" })).toEqual([
      "b.c[1]",
      "d",
      "e",
    ]);
    expect(changedPaths({ m: { "a.b/c": 1 } }, { m: { "a.b/c": 2 } })).toEqual(['m["a.b/c"]']);
    expect(changedPaths({}, { x: { y: [1] } })).toEqual(["x.y[0]"]);
  });

  it("strips generated name hashes in names and references", () => {
    const objects: K8sObject[] = [
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg-abcde12345" } },
      {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "p" },
        spec: { volumes: [{ configMap: { name: "cfg-abcde12345" } }] },
      },
    ];
    const [cm, pod] = normalizeGeneratedNames(objects);
    expect(cm?.metadata.name).toBe("cfg");
    expect(JSON.stringify(pod)).toContain('"name":"cfg"');
  });

  it("finds objects only on one side", () => {
    const a: K8sObject[] = [{ apiVersion: "v1", kind: "Service", metadata: { name: "x" } }];
    const diff = diffOverlays(a, []);
    expect(diff).toEqual({ onlyInA: ["Service/x"], onlyInB: [], changed: [] });
  });
});

/**
 * The intended differences between dev and prod. Anything else (a resource limit, a
 * probe, a security setting drifting between environments) fails the test.
 */
const EXPECTED_ONLY_IN_DEV = [
  "Namespace/challenge-dev",
  "NetworkPolicy/postgres", // postgres component
  "Secret/backend-database", // generated in dev, cluster-provided in prod
  "Secret/backend-secrets",
  "Secret/backend-staff",
  "Secret/postgres-credentials",
  "Service/postgres",
  "ServiceAccount/postgres",
  "StatefulSet/postgres",
];
const EXPECTED_ONLY_IN_PROD = [
  "ConfigMap/rds-ca-bundle", // aws component: the RDS CA bundle libpq verifies against
  "ExternalSecret/backend-database", // external-secrets component
  "ExternalSecret/backend-secrets",
  "ExternalSecret/backend-staff",
  "HorizontalPodAutoscaler/backend", // hpa component
  "HorizontalPodAutoscaler/frontend",
  "Namespace/challenge-prd",
  "NetworkPolicy/backend-api-server", // aws component: the EKS API server's service proxy (deploy smoke test)
  "NetworkPolicy/frontend-api-server",
  "PodDisruptionBudget/backend", // pdb component
  "PodDisruptionBudget/frontend",
  "SecretStore/aws-secrets-manager",
  "ServiceAccount/secrets-manager-reader", // IRSA identity of the SecretStore, used by no pod
];
const CONTAINER = "spec\\.template\\.spec\\.(initContainers|containers)\\[\\d+\\]";
/** The RDS CA volume the aws component appends (after the base's own mounts/volumes). */
const RDS_CA_MOUNT = (index: number) =>
  new RegExp(`^${CONTAINER}\\.volumeMounts\\[${index}\\]\\.(name|mountPath|readOnly)$`);
const RDS_CA_VOLUME = (index: number) =>
  new RegExp(`^spec\\.template\\.spec\\.volumes\\[${index}\\]\\.(name|configMap\\.name)$`);
/** aws component: zones must differ in prod (DoNotSchedule; tainted nodes left out). */
const ZONE_SPREAD = /^spec\.template\.spec\.topologySpreadConstraints\[1\]\.(whenUnsatisfiable|nodeTaintsPolicy)$/;
const ALLOWED_CHANGES: Record<string, RegExp[]> = {
  "Deployment/backend": [new RegExp(`^${CONTAINER}\\.image$`), ZONE_SPREAD, RDS_CA_MOUNT(2), RDS_CA_VOLUME(2)],
  // aws component: nginx outlives the ALB's deregistration delay (preStop, grace period).
  "Deployment/frontend": [
    new RegExp(`^${CONTAINER}\\.image$`),
    ZONE_SPREAD,
    /^spec\.template\.spec\.containers\[0\]\.lifecycle\.preStop\.exec\.command\[1\]$/,
    /^spec\.template\.spec\.terminationGracePeriodSeconds$/,
  ],
  "Job/backend-migrate": [new RegExp(`^${CONTAINER}\\.image$`), RDS_CA_MOUNT(1), RDS_CA_VOLUME(1)],
  "ConfigMap/backend-config": [
    /^data\.(DJANGO_HTTPS|DJANGO_ALLOWED_HOSTS|CSRF_TRUSTED_ORIGINS|PGSSLMODE|PGSSLROOTCERT)$/,
  ],
  // The proxy in front of nginx: ingress-nginx pods (dev) or the ALB's public subnets (prod).
  "ConfigMap/frontend-config": [/^data\.TRUSTED_PROXY_CIDR$/],
  "Ingress/prestamos": [
    /^spec\.ingressClassName$/,
    /^spec\.rules\[0\]\.host$/,
    /^metadata\.annotations\["alb\.ingress\.kubernetes\.io\/[a-z-]+"\]$/,
  ],
  // aws component: the ALB subnets instead of ingress-nginx, RDS subnets egress.
  "NetworkPolicy/frontend": [
    /^spec\.ingress\[0\]\.from\[[01]\]\.(namespaceSelector\.matchLabels\["kubernetes\.io\/metadata\.name"\]|ipBlock\.cidr)$/,
  ],
  "NetworkPolicy/backend": [/^spec\.egress\[1\]\.(to\[0\]\.ipBlock\.cidr|ports\[0\]\.(port|protocol))$/],
  "NetworkPolicy/backend-migrate": [/^spec\.egress\[1\]\.(to\[0\]\.ipBlock\.cidr|ports\[0\]\.(port|protocol))$/],
};

function unexpectedChanges(diff: OverlayDiff): string[] {
  return diff.changed.flatMap(({ object, changed }) =>
    changed.filter((p) => !(ALLOWED_CHANGES[object] ?? []).some((re) => re.test(p))).map((p) => `${object} ${p}`),
  );
}

describe("dev vs prod", () => {
  it("differ only in the intended ways", async () => {
    const dev = await renderRepo(OVERLAYS.dev.dir);
    const prod = await renderRepo(OVERLAYS.prod.dir);
    const diff = diffOverlays(dev, prod);
    console.log(`dev vs prod (namespace differs everywhere):\n${formatDiff(diff, ["dev", "prod"])}`);
    expect(diff.onlyInA).toEqual(EXPECTED_ONLY_IN_DEV);
    expect(diff.onlyInB).toEqual(EXPECTED_ONLY_IN_PROD);
    expect(unexpectedChanges(diff)).toEqual([]);
    // And the intended ones are really there.
    const changed = new Map(diff.changed.map((c) => [c.object, c.changed]));
    expect(changed.get("Deployment/backend")).toContain(
      "spec.template.spec.topologySpreadConstraints[1].whenUnsatisfiable",
    );
    expect(changed.get("ConfigMap/backend-config")).toContain("data.DJANGO_HTTPS");
    expect(changed.get("Ingress/prestamos")).toContain("spec.ingressClassName");
  });
});
