/**
 * k8s/deployer: the Role of each environment grants exactly what the deploy engine calls,
 * checked statically (rules vs requiredPermissions for the kinds each overlay renders) and
 * dynamically (the API double enforces the Role during whole deploys, and every call the
 * engine made is one requiredPermissions lists).
 */
import path from "node:path";

import { afterEach, describe, expect, it, vi } from "vitest";

import { deploy, listReleases } from "../../src/deploy/engine";
import {
  allows,
  describePermission,
  missingPermissions,
  requiredPermissions,
  type Permission,
  type PolicyRule,
  type Resource,
} from "../../src/deploy/permissions";
import { planRelease, type EnvironmentName } from "../../src/deploy/release-plan";
import { groupKind } from "../../src/deploy/resources";
import { kustomizeBuild, parseManifests, type K8sObject } from "../../src/manifests/render";
import { formatSchemaErrors, validateSchemas } from "../../src/manifests/schema";
import {
  COMMIT_A,
  COMMIT_B,
  imagesFor,
  renderRelease,
  REPO_ROOT,
  request,
  startCluster,
  type Cluster,
} from "./fixtures";

vi.setConfig({ testTimeout: 60_000 });

/** What discovery answers for the kinds the overlays render. */
const RESOURCE_OF: Readonly<Record<string, Resource>> = {
  ServiceAccount: { group: "", resource: "serviceaccounts" },
  ConfigMap: { group: "", resource: "configmaps" },
  Secret: { group: "", resource: "secrets" },
  Service: { group: "", resource: "services" },
  "Deployment.apps": { group: "apps", resource: "deployments" },
  "StatefulSet.apps": { group: "apps", resource: "statefulsets" },
  "Job.batch": { group: "batch", resource: "jobs" },
  "Ingress.networking.k8s.io": { group: "networking.k8s.io", resource: "ingresses" },
  "NetworkPolicy.networking.k8s.io": { group: "networking.k8s.io", resource: "networkpolicies" },
  "HorizontalPodAutoscaler.autoscaling": { group: "autoscaling", resource: "horizontalpodautoscalers" },
  "PodDisruptionBudget.policy": { group: "policy", resource: "poddisruptionbudgets" },
  "SecretStore.external-secrets.io": { group: "external-secrets.io", resource: "secretstores" },
  "ExternalSecret.external-secrets.io": { group: "external-secrets.io", resource: "externalsecrets" },
};

async function deployerObjects(environment: EnvironmentName): Promise<K8sObject[]> {
  return parseManifests(await kustomizeBuild(path.join(REPO_ROOT, "k8s/deployer", environment)));
}

async function roleRules(environment: EnvironmentName): Promise<PolicyRule[]> {
  return (await deployerObjects(environment))
    .filter((o) => o.kind === "Role")
    .flatMap((o) => (o as unknown as { rules: PolicyRule[] }).rules);
}

async function appliedResources(environment: EnvironmentName): Promise<Resource[]> {
  const images = imagesFor("a");
  const plan = await planRelease(await renderRelease(environment, images), {
    environment,
    commit: COMMIT_A,
    backendImage: images.backend,
    frontendImage: images.frontend,
  });
  return [...new Set(plan.objects.map((o) => groupKind(o.apiVersion, o.kind)))].map((gk) => {
    const resource = RESOURCE_OF[gk];
    if (!resource) throw new Error(`no resource mapping for ${gk}`);
    return resource;
  });
}

/** Every single permission a set of rules grants (rules here never use wildcards). */
function granted(rules: readonly PolicyRule[]): Permission[] {
  return rules.flatMap((r) =>
    (r.apiGroups ?? []).flatMap((group) =>
      (r.resources ?? []).flatMap((resource) =>
        (r.verbs ?? []).flatMap((verb) =>
          r.resourceNames?.length
            ? r.resourceNames.map((name) => ({ group, resource, verb, name }))
            : [{ group, resource, verb }],
        ),
      ),
    ),
  );
}

describe.each(["dev", "prod"] as const)("k8s/deployer/%s", (environment) => {
  const namespace = environment === "dev" ? "challenge-dev" : "challenge-prd";

  it("renders a valid Role and RoleBinding in the environment's namespace, bound to its own group", async () => {
    const objects = await deployerObjects(environment);
    expect(formatSchemaErrors(await validateSchemas(objects))).toBe("");
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}/${o.metadata.namespace}`).sort()).toEqual([
      `Role/prestamos-deployer/${namespace}`,
      `RoleBinding/prestamos-deployer/${namespace}`,
    ]);
    const binding = objects.find((o) => o.kind === "RoleBinding") as unknown as { roleRef: object; subjects: object[] };
    expect(binding.roleRef).toEqual({
      apiGroup: "rbac.authorization.k8s.io",
      kind: "Role",
      name: "prestamos-deployer",
    });
    expect(binding.subjects).toEqual([
      {
        apiGroup: "rbac.authorization.k8s.io",
        kind: "Group",
        name: `prestamos-deployers-${environment === "dev" ? "dev" : "prd"}`,
      },
    ]);
  });

  it("grants every permission the deploy (and its dry run) needs for the kinds this overlay renders, and nothing more", async () => {
    const rules = await roleRules(environment);
    const applied = await appliedResources(environment);
    const required = requiredPermissions(applied, [], false);
    expect(missingPermissions(rules, required).map(describePermission)).toEqual([]);
    expect(missingPermissions(rules, requiredPermissions(applied, [], true)).map(describePermission)).toEqual([]);
    const needed = new Set(required.map(describePermission));
    expect(
      granted(rules)
        .map(describePermission)
        .filter((p) => !needed.has(p)),
    ).toEqual([]);
    expect(rules.some((r) => r.verbs?.includes("*") || r.resources?.includes("*") || r.apiGroups?.includes("*"))).toBe(
      false,
    );
  });
});

describe("the prod Role", () => {
  it("cannot read or write Secrets", async () => {
    const rules = await roleRules("prod");
    for (const verb of ["get", "list", "create", "patch", "delete"])
      expect(allows(rules, { group: "", resource: "secrets", verb })).toBe(false);
  });
});

describe("calls made under the enforced Role", () => {
  let cluster: Cluster;
  afterEach(async () => cluster?.double.stop());

  it("are all listed by requiredPermissions (deploy, dry run, failed deploy with rollback, releases)", async () => {
    cluster = await startCluster("dev");
    const A = imagesFor("a");
    const B = imagesFor("b");
    const quiet = () => undefined;
    await deploy(await request(cluster, "dev", COMMIT_A, A), quiet);
    await deploy(await request(cluster, "dev", COMMIT_B, B, { dryRun: true }), quiet);
    cluster.double.deploymentBehaviour = (d) =>
      d.spec.template.spec.containers[0].image === B.backend ? "crashloop" : "healthy";
    await expect(deploy(await request(cluster, "dev", COMMIT_B, B), quiet)).rejects.toThrow(/rolled back to v1/);
    await listReleases("dev", cluster.access, quiet);

    expect(cluster.double.requests.filter((r) => r.status === 403)).toEqual([]);
    const required = new Set(
      requiredPermissions(await appliedResources("dev"), [], false).map((p) =>
        describePermission({ ...p, name: undefined }),
      ),
    );
    expect([...cluster.double.permissionsUsed()].filter((p) => !required.has(p))).toEqual([]);
    // The calls that only a failure exercises were made too.
    for (const p of ["get pods/log", "list events", "list apps/replicasets", "get services/proxy", "delete batch/jobs"])
      expect(cluster.double.permissionsUsed()).toContain(p);
  });
});
