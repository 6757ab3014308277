/**
 * Render input → release plan: order, the per-release Job, ApplySet labels, and every
 * refusal that must happen before the cluster is touched.
 */
import { describe, expect, it, vi } from "vitest";
import { stringify } from "yaml";

import { applySetId, PARENT_NAME, PART_OF_LABEL } from "../../src/deploy/applyset";
import { DeployError } from "../../src/deploy/errors";
import {
  planRelease,
  releaseJob,
  sameImage,
  SPEC_HASH_ANNOTATION,
  validateImageArgument,
  type ReleaseInput,
} from "../../src/deploy/release-plan";
import { parseManifests, type K8sObject } from "../../src/manifests/render";
import { COMMIT_A, editedRelease, imagesFor, renderRelease } from "./fixtures";

vi.setConfig({ testTimeout: 30_000 });

const A = imagesFor("a");
const input = (environment: "dev" | "prod", images = A, commit = COMMIT_A): ReleaseInput => ({
  environment,
  commit,
  backendImage: images.backend,
  frontendImage: images.frontend,
});

async function refusal(yaml: string, release: ReleaseInput): Promise<DeployError> {
  const error = await planRelease(yaml, release).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DeployError)) throw new Error(`expected a DeployError, got ${String(error)}`);
  expect(error.kind).toBe("validation");
  return error;
}

describe("planRelease", () => {
  it("orders dev: prerequisites, then Services and PostgreSQL, the Job, then what serves traffic", async () => {
    const plan = await planRelease(await renderRelease("dev", A), input("dev"));
    const kinds = (objects: K8sObject[]) => [...new Set(objects.map((o) => o.kind))];
    expect(kinds(plan.groups.prerequisites)).toEqual(["ServiceAccount", "ConfigMap", "Secret"]);
    expect(kinds(plan.groups.backing)).toEqual(["Service", "StatefulSet"]);
    expect(plan.groups.migrations.map((o) => o.metadata.name)).toEqual(["backend-migrate-1111111"]);
    expect(kinds(plan.groups.workloads)).toEqual(["Deployment", "Ingress", "NetworkPolicy"]);
    expect(plan.objects.some((o) => o.kind === "Namespace")).toBe(false);
    for (const o of plan.objects) {
      expect(o.metadata.namespace).toBe("challenge-dev");
      expect(o.metadata.labels?.[PART_OF_LABEL]).toBe(applySetId(PARENT_NAME, "challenge-dev"));
    }
  });

  it("orders prod: the SecretStore, then the ExternalSecrets among the prerequisites; HPAs and PDBs after the Deployments", async () => {
    const plan = await planRelease(await renderRelease("prod", A), input("prod"));
    expect([...new Set(plan.groups.prerequisites.map((o) => o.kind))]).toEqual([
      "ServiceAccount",
      "ConfigMap",
      "SecretStore",
      "ExternalSecret",
    ]);
    expect([...new Set(plan.groups.workloads.map((o) => o.kind))]).toEqual([
      "Deployment",
      "Ingress",
      "HorizontalPodAutoscaler",
      "PodDisruptionBudget",
      "NetworkPolicy",
    ]);
    expect(plan.objects.some((o) => o.kind === "Secret")).toBe(false);
  });

  it("refuses schema errors and policy findings, listing them", async () => {
    // Generic hardening is Trivy's (scan-config, docs/adr/0006); the deploy re-runs our own rules.
    const noReadiness = await editedRelease("dev", A, (objects) =>
      objects.map((o) => {
        if (o.kind !== "Deployment" || o.metadata.name !== "frontend") return o;
        const copy = JSON.parse(JSON.stringify(o)) as {
          spec: { template: { spec: { containers: Array<Record<string, unknown>> } } };
        };
        delete copy.spec.template.spec.containers[0]?.readinessProbe;
        return copy as unknown as K8sObject;
      }),
    );
    const policy = await refusal(noReadiness, input("dev"));
    expect(policy.message).toMatch(/^policy checks found \d+ problem\(s\)$/);
    expect(policy.details.join("\n")).toMatch(
      /no-readiness-probe.*Deployment\/frontend|Deployment\/frontend.*readinessProbe/,
    );

    const misspelled = await editedRelease("dev", A, (objects) =>
      objects.map((o) =>
        o.kind === "Service" && o.metadata.name === "backend"
          ? { ...o, spec: { ...(o.spec as object), portz: [] } }
          : o,
      ),
    );
    const schema = await refusal(misspelled, input("dev"));
    expect(schema.message).toMatch(/^schema validation found \d+ problem\(s\)$/);
    expect(schema.details.join("\n")).toMatch(/Service\/backend \/spec\/portz: unknown field "portz"/);
  });

  it("refuses manifests that do not run the given images", async () => {
    const other = imagesFor("c");
    const error = await refusal(await renderRelease("dev", other), input("dev"));
    expect(error.message).toBe("the rendered manifests do not run the images given to the deploy");
    expect(error.details).toContain(`Deployment/backend runs ${other.backend}, not --backend-image ${A.backend}`);
  });

  it("refuses cluster-scoped objects, a foreign Namespace, pre-set ApplySet labels, unparsable and empty input", async () => {
    const yaml = await renderRelease("dev", A);
    const labels = { "app.kubernetes.io/name": "x", "app.kubernetes.io/part-of": "prestamos" };
    const clusterRole = {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "x", labels },
      rules: [],
    };
    const clusterScoped = await refusal(`${yaml}---\n${stringify(clusterRole)}`, input("dev"));
    expect(clusterScoped.message).toBe("cluster-scoped objects cannot be deployed with the namespaced deployer role");
    expect(clusterScoped.details).toEqual(["ClusterRole/x"]);
    // The policy suite already refuses a Namespace other than the overlay's.
    const foreign = await editedRelease("dev", A, (objects) =>
      objects.map((o) => (o.kind === "Namespace" ? { ...o, metadata: { ...o.metadata, name: "kube-system" } } : o)),
    );
    expect((await refusal(foreign, input("dev"))).details).toContain(
      "[namespace-exists] Namespace/kube-system: unexpected Namespace (overlay namespace is challenge-dev)",
    );
    const labelled = await editedRelease("dev", A, (objects) =>
      objects.map((o) =>
        o.kind === "Ingress"
          ? { ...o, metadata: { ...o.metadata, labels: { ...o.metadata.labels, [PART_OF_LABEL]: "applyset-x-v1" } } }
          : o,
      ),
    );
    expect((await refusal(labelled, input("dev"))).details).toEqual(["Ingress/prestamos"]);
    expect((await refusal("kind: [", input("dev"))).message).toMatch(/^the rendered manifests cannot be parsed/);
    expect((await refusal("", input("dev"))).message).toBe("the rendered manifests are empty");
  });

  it("refuses a bad commit before reading the manifests", async () => {
    expect((await refusal("", input("dev", A, "not-a-sha"))).message).toMatch(
      /--commit "not-a-sha" is not a commit SHA/,
    );
  });
});

describe("releaseJob", () => {
  const job = (spec: object): K8sObject => ({
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: "backend-migrate" },
    spec,
  });

  it("names the Job per release, adds a TTL when missing and hashes its spec", () => {
    const out = releaseJob(job({ template: { spec: {} } }), COMMIT_A);
    expect(out.metadata.name).toBe("backend-migrate-1111111");
    expect((out.spec as { ttlSecondsAfterFinished: number }).ttlSecondsAfterFinished).toBe(3600);
    expect(out.metadata.annotations?.[SPEC_HASH_ANNOTATION]).toMatch(/^[0-9a-f]{16}$/);
    expect(releaseJob(job({ ttlSecondsAfterFinished: 60, template: { spec: {} } }), COMMIT_A).spec).toMatchObject({
      ttlSecondsAfterFinished: 60,
    });
    const changed = releaseJob(job({ template: { spec: { x: 1 } } }), COMMIT_A);
    expect(changed.metadata.annotations?.[SPEC_HASH_ANNOTATION]).not.toBe(
      out.metadata.annotations?.[SPEC_HASH_ANNOTATION],
    );
  });

  it("keeps the name within 63 characters", () => {
    const long = { ...job({}), metadata: { name: "m".repeat(70) } };
    expect(releaseJob(long, COMMIT_A).metadata.name).toBe(`${"m".repeat(55)}-1111111`);
  });
});

describe("image arguments", () => {
  it("prod needs a digest; dev accepts a tag but not latest", () => {
    expect(validateImageArgument("--backend-image", A.backend, "prod")).toBe(A.backend);
    expect(() => validateImageArgument("--backend-image", "r/b:1.0", "prod")).toThrow(
      /has no digest: prod deploys images by digest/,
    );
    expect(validateImageArgument("--backend-image", "prestamos-backend:dev-1a2b3c4", "dev")).toBe(
      "prestamos-backend:dev-1a2b3c4",
    );
    expect(() => validateImageArgument("--backend-image", "prestamos-backend:latest", "dev")).toThrow(
      /needs a digest or a tag other than latest/,
    );
    expect(() => validateImageArgument("--backend-image", "prestamos-backend", "dev")).toThrow(
      /needs a digest or a tag/,
    );
    expect(() => validateImageArgument("--backend-image", "Not An Image", "dev")).toThrow(/is not an image reference/);
  });

  it("matches rendered references the way kustomize pins them", () => {
    expect(sameImage("r/b@sha256:" + "a".repeat(64), "r/b:1a2b3c4@sha256:" + "a".repeat(64))).toBe(true);
    expect(sameImage("r/b@sha256:" + "a".repeat(64), "r/b@sha256:" + "b".repeat(64))).toBe(false);
    expect(sameImage("r/b:dev-1", "r/b:dev-1")).toBe(true);
    expect(sameImage("r/b:dev-1", "r/b:dev-2")).toBe(false);
    expect(sameImage("other/b:dev-1", "r/b:dev-1")).toBe(false);
  });
});

describe("the rendered fixture", () => {
  it("is the repository's overlay with the images pinned (sanity)", async () => {
    const objects = parseManifests(await renderRelease("prod", A));
    const images = objects.flatMap(
      (o) => JSON.stringify(o).match(/ghcr\.io\/acme\/prestamos\/\w+@sha256:a{64}/g) ?? [],
    );
    expect(new Set(images)).toEqual(new Set([A.backend, A.frontend]));
  });
});
