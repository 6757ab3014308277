/**
 * The deploy engine against the Kubernetes API double, with the shipped deployer Role
 * enforced on every request: first deploy, re-deploy, upgrade and prune, the migrations
 * gate, fail-fast and timed-out rollouts with rollback, failing smoke test, the lock, and
 * what reaches the API (server-side apply, field manager, exact bodies).
 */
import { afterEach, describe, expect, it, vi } from "vitest";

import {
  APPLYSET_ID_LABEL,
  applySetId,
  CONTAINS_ANNOTATION,
  PARENT_NAME,
  PART_OF_LABEL,
  TOOLING_ANNOTATION,
} from "../../src/deploy/applyset";
import { deploy, listReleases, type DeployRequest } from "../../src/deploy/engine";
import { DeployError } from "../../src/deploy/errors";
import { LOCK_NAME, microTime } from "../../src/deploy/lock";
import { formatRevisions } from "../../src/deploy/releases";
import { parseManifests } from "../../src/manifests/render";
import {
  COMMIT_A,
  COMMIT_B,
  editedRelease,
  FAST,
  imagesFor,
  request,
  startCluster,
  TOKEN,
  type Cluster,
} from "./fixtures";

// Each scenario runs whole deploys (render, schema and policy checks, dozens of requests).
vi.setConfig({ testTimeout: 60_000 });

const A = imagesFor("a");
const B = imagesFor("b");
const NS = "challenge-dev";
const PHASES = [
  "validate",
  "connect",
  "preflight",
  "lock",
  "prerequisites",
  "migrations",
  "apply",
  "rollout",
  "smoke test",
  "prune",
  "record",
];

let cluster: Cluster;
afterEach(async () => {
  await cluster?.double.stop();
});

interface Run {
  lines: string[];
  error?: DeployError;
  revision?: number;
}

async function run(req: DeployRequest): Promise<Run> {
  const lines: string[] = [];
  try {
    const result = await deploy(req, (line) => lines.push(line));
    return { lines, revision: result.revision };
  } catch (error) {
    if (!(error instanceof DeployError)) throw error;
    return { lines, error };
  }
}

async function deployed(
  env: "dev" | "prod",
  commit: string,
  images: { backend: string; frontend: string },
  extra: Partial<DeployRequest> = {},
): Promise<Run> {
  const result = await run(await request(cluster, env, commit, images, extra));
  if (result.error) throw new Error(`${result.error.describe()}\n${result.lines.join("\n")}`);
  return result;
}

function image(name: string, namespace = NS): string {
  return String(cluster.double.get("Deployment", namespace, name)?.spec.template.spec.containers[0].image);
}

function requestIndex(predicate: (r: { method: string; path: string }) => boolean): number[] {
  return cluster.double.requests.flatMap((r, i) => (predicate(r) ? [i] : []));
}

describe("first deploy", () => {
  it("applies the dev release in order with server-side apply, runs the Job first, and records v1", async () => {
    cluster = await startCluster("dev");
    const { lines } = await deployed("dev", COMMIT_A, A);

    // Every phase printed with its duration.
    for (const phase of PHASES)
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^✔ ${phase} \\(\\d+\\.\\d+s\\)$`)));
    expect(lines.at(-1)).toMatch(/^deployed v1 \(commit 1111111\) to challenge-dev in \d+\.\ds$/);

    // Server-side apply only, with the fixed manager, force and strict validation.
    const patches = cluster.double.requests.filter((r) => r.method === "PATCH");
    expect(patches.length).toBeGreaterThan(20);
    for (const p of patches) {
      expect(p.contentType).toBe("application/apply-patch+yaml");
      expect(p.query).toMatchObject({ fieldManager: "prestamos-deploy", force: "true", fieldValidation: "Strict" });
    }
    // The Namespace is never applied (cluster-scoped; the deployer's Role cannot).
    expect(
      cluster.double.requests.some(
        (r) => r.path.includes("/namespaces/challenge-dev") && r.path.endsWith("challenge-dev"),
      ),
    ).toBe(false);

    // Order: prerequisites and dev's PostgreSQL before the Job; Deployments only after the Job completed.
    const jobApply =
      requestIndex((r) => r.method === "PATCH" && r.path.endsWith("/jobs/backend-migrate-1111111"))[0] ?? -1;
    const jobReads = requestIndex((r) => r.method === "GET" && r.path.endsWith("/jobs/backend-migrate-1111111"));
    const firstDeployment = requestIndex((r) => r.method === "PATCH" && r.path.includes("/deployments/"))[0] ?? -1;
    const statefulSet = requestIndex((r) => r.method === "PATCH" && r.path.endsWith("/statefulsets/postgres"))[0] ?? -1;
    const secret = requestIndex((r) => r.method === "PATCH" && r.path.includes("/secrets/backend-database-"))[0] ?? -1;
    expect(secret).toBeLessThan(jobApply);
    expect(statefulSet).toBeLessThan(jobApply);
    expect(firstDeployment).toBeGreaterThan(Math.max(...jobReads));
    const lastProxy = Math.max(...requestIndex((r) => r.path.includes("/proxy/")));
    const kinds = patches.map((p) => p.path.split("/").at(-2));
    expect(kinds.indexOf("networkpolicies")).toBeGreaterThan(kinds.indexOf("deployments"));
    expect(lastProxy).toBeGreaterThan(firstDeployment);

    // The per-release Job, with a TTL, labelled as a member of the ApplySet.
    const job = cluster.double.get("Job", NS, "backend-migrate-1111111");
    expect(job?.spec.ttlSecondsAfterFinished).toBeGreaterThan(0);
    expect(job?.metadata.labels[PART_OF_LABEL]).toBe(applySetId(PARENT_NAME, NS));
    expect(cluster.double.get("Job", NS, "backend-migrate")).toBeUndefined();

    // ApplySet parent: id label, tooling, sorted group-kinds.
    const parent = cluster.double.get("ConfigMap", NS, PARENT_NAME);
    expect(parent?.metadata.labels[APPLYSET_ID_LABEL]).toBe(applySetId(PARENT_NAME, NS));
    expect(parent?.metadata.annotations[TOOLING_ANNOTATION]).toBe("prestamos-deploy/v1");
    expect(parent?.metadata.annotations[CONTAINS_ANNOTATION]).toBe(
      "ConfigMap,Deployment.apps,Ingress.networking.k8s.io,Job.batch,NetworkPolicy.networking.k8s.io,Secret,Service,ServiceAccount,StatefulSet.apps",
    );

    // Images by digest as given; record v1; lock released.
    expect(image("backend")).toBe(A.backend);
    expect(image("frontend")).toBe(A.frontend);
    const records = await listReleases("dev", cluster.access, () => undefined);
    expect(records).toMatchObject([
      { revision: 1, outcome: "succeeded", commit: COMMIT_A, backendImage: A.backend, frontendImage: A.frontend },
    ]);
    expect(cluster.double.get("Lease", NS, LOCK_NAME)?.spec.holderIdentity).toBe("");
  });

  it("sends each object exactly as rendered (no client-side serializer dropping fields)", async () => {
    cluster = await startCluster("dev");
    await deployed("dev", COMMIT_A, A);
    const rendered = parseManifests((await request(cluster, "dev", COMMIT_A, A)).manifests);
    const sent = new Map(
      cluster.double.requests
        .filter((r) => r.method === "PATCH")
        .map((r) => [r.path.split("/").slice(-2).join("/"), r.body]),
    );
    const plural: Record<string, string> = {
      Deployment: "deployments",
      StatefulSet: "statefulsets",
      NetworkPolicy: "networkpolicies",
    };
    for (const object of rendered.filter((o) => plural[o.kind])) {
      const body = sent.get(`${plural[object.kind]}/${object.metadata.name}`) as
        { spec?: unknown; metadata?: { labels?: Record<string, string> } } | undefined;
      expect(body?.spec).toEqual(object.spec);
      expect(body?.metadata?.labels).toEqual({
        ...object.metadata.labels,
        [PART_OF_LABEL]: applySetId(PARENT_NAME, NS),
      });
    }
  });
});

describe("re-deploy, upgrade and prune", () => {
  it("re-deploying the same release changes no object (only the lock and a new record)", async () => {
    cluster = await startCluster("dev");
    await deployed("dev", COMMIT_A, A);
    const kinds = [
      "Deployment",
      "StatefulSet",
      "Service",
      "Secret",
      "ConfigMap",
      "Job",
      "NetworkPolicy",
      "Ingress",
      "ServiceAccount",
    ];
    const versions = () =>
      new Map(
        kinds.flatMap((k) =>
          cluster.double.list(k, NS).map((o) => [`${k}/${o.metadata.name}`, o.metadata.resourceVersion]),
        ),
      );
    const before = versions();
    const writesBefore = cluster.double.writes().length;
    const { revision } = await deployed("dev", COMMIT_A, A);
    expect(revision).toBe(2);
    const after = versions();
    const changed = [...after].filter(([id, rv]) => before.get(id) !== rv).map(([id]) => id);
    expect(changed).toEqual(["ConfigMap/prestamos-release-v2"]);
    // The completed Job was neither deleted nor recreated.
    const writes = cluster.double.writes().slice(writesBefore);
    expect(writes.filter((w) => w.path.includes("/jobs/") && w.method !== "PATCH")).toEqual([]);
  });

  it("an upgrade runs the new Job, rolls out the new digests, then prunes the previous Job and dropped objects only", async () => {
    cluster = await startCluster("dev");
    await deployed("dev", COMMIT_A, A);
    // Objects that are not ours: unlabelled, and labelled for another ApplySet.
    cluster.double.seed({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "hand-made", namespace: NS },
      data: { a: "1" },
    });
    cluster.double.seed({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "other-tool", namespace: NS, labels: { [PART_OF_LABEL]: "applyset-other-v1" } },
    });
    const withoutIngress = await editedRelease("dev", B, (objects) => objects.filter((o) => o.kind !== "Ingress"));
    const { lines } = await deployed("dev", COMMIT_B, B, { manifests: withoutIngress });

    expect(image("backend")).toBe(B.backend);
    expect(cluster.double.get("Job", NS, "backend-migrate-2222222")?.status.conditions).toContainEqual({
      type: "Complete",
      status: "True",
    });
    expect(cluster.double.get("Job", NS, "backend-migrate-1111111")).toBeUndefined();
    expect(cluster.double.get("Ingress", NS, "prestamos")).toBeUndefined();
    expect(lines).toContain("  delete Ingress.networking.k8s.io/prestamos");
    expect(cluster.double.get("ConfigMap", NS, "hand-made")).toBeDefined();
    expect(cluster.double.get("ConfigMap", NS, "other-tool")).toBeDefined();
    expect(cluster.double.get("Deployment", NS, "backend")).toBeDefined();

    // Prune only after the rollout and smoke test; Background propagation; the parent shrinks.
    const deletes = cluster.double.requests.filter(
      (r) => r.method === "DELETE" && !r.path.includes("prestamos-release"),
    );
    expect(deletes.map((d) => d.body?.propagationPolicy)).toEqual(["Background", "Background"]);
    const firstDelete = cluster.double.requests.indexOf(deletes[0] as never);
    expect(firstDelete).toBeGreaterThan(Math.max(...requestIndex((r) => r.path.includes("/proxy/"))));
    expect(cluster.double.get("ConfigMap", NS, PARENT_NAME)?.metadata.annotations[CONTAINS_ANNOTATION]).not.toContain(
      "Ingress",
    );
    // Prune lists only members of our ApplySet.
    const memberLists = cluster.double.requests.filter(
      (r) =>
        r.method === "GET" &&
        /\/(ingresses|networkpolicies|deployments|jobs|services|secrets|serviceaccounts|statefulsets)$/.test(r.path),
    );
    expect(memberLists.length).toBeGreaterThan(0);
    for (const list of memberLists)
      expect(list.query.labelSelector).toBe(`${PART_OF_LABEL}=${applySetId(PARENT_NAME, NS)}`);
  });
});

describe("migrations gate", () => {
  it("a failed Job blocks the rollout: Deployments untouched, error carries the Job's log lines, record says failed", async () => {
    cluster = await startCluster("dev");
    await deployed("dev", COMMIT_A, A);
    cluster.double.jobBehaviour = (job) => (job.metadata.name.endsWith("2222222") ? "failed" : "complete");
    const patchesBefore = cluster.double.requests.length;
    const { error } = await run(await request(cluster, "dev", COMMIT_B, B));

    expect(error?.kind).toBe("migration");
    expect(error?.message).toMatch(
      /Job\/backend-migrate-2222222 failed \(BackoffLimitExceeded: Job has reached the specified backoff limit\); nothing else was changed/,
    );
    expect(error?.details).toContainEqual(
      expect.stringMatching(/^log backend-migrate-2222222-\w+\/migrate: django\.db\.utils\.OperationalError/),
    );
    const later = cluster.double.requests.slice(patchesBefore);
    expect(later.some((r) => r.method === "PATCH" && r.path.includes("/deployments/"))).toBe(false);
    expect(image("backend")).toBe(A.backend);
    const records = await listReleases("dev", cluster.access, () => undefined);
    expect(records[0]).toMatchObject({ revision: 2, outcome: "failed", commit: COMMIT_B });
    expect(cluster.double.get("Lease", NS, LOCK_NAME)?.spec.holderIdentity).toBe("");
  });

  it("a Job pod that cannot pull its image fails the gate at once", async () => {
    cluster = await startCluster("dev");
    cluster.double.jobBehaviour = () => "imagepull";
    const { error } = await run(
      await request(cluster, "dev", COMMIT_A, A, { timing: { ...FAST, waitTimeoutMs: 60_000 } }),
    );
    expect(error?.kind).toBe("migration");
    expect(error?.message).toMatch(
      /cannot start: pod backend-migrate-1111111-\w+ container wait-for-database: ErrImagePull/,
    );
    expect(error?.details.join("\n")).toMatch(/Failed to pull image/);
  });

  it("re-running the same commit after a failed Job deletes it (Background) and runs it again", async () => {
    cluster = await startCluster("dev");
    cluster.double.jobBehaviour = () => "failed";
    expect((await run(await request(cluster, "dev", COMMIT_A, A))).error?.kind).toBe("migration");
    cluster.double.jobBehaviour = () => "complete";
    await deployed("dev", COMMIT_A, A);
    const deletes = cluster.double.requests.filter(
      (r) => r.method === "DELETE" && r.path.endsWith("/jobs/backend-migrate-1111111"),
    );
    expect(deletes).toHaveLength(1);
    expect(deletes[0]?.body?.propagationPolicy).toBe("Background");
    expect(
      cluster.double.list("Pod", NS).filter((p) => p.metadata.name.startsWith("backend-migrate-1111111")),
    ).toHaveLength(1);
  });
});

describe("failed rollouts roll back", () => {
  it("CrashLoopBackOff fails fast, rolls back to the previous digests and reports events and the crash log", async () => {
    cluster = await startCluster("dev");
    await deployed("dev", COMMIT_A, A);
    cluster.double.deploymentBehaviour = (d) =>
      d.spec.template.spec.containers[0].image === B.backend ? "crashloop" : "healthy";
    const { error, lines } = await run(
      await request(cluster, "dev", COMMIT_B, B, { timing: { ...FAST, waitTimeoutMs: 60_000 } }),
    );

    expect(error?.kind).toBe("rollout");
    expect(error?.message).toMatch(
      /^Deployment\/backend cannot start: pod backend-\w+-\w+ container backend: CrashLoopBackOff .*; rolled back to v1 \(commit 1111111\)$/,
    );
    expect(error?.details.join("\n")).toMatch(
      /event Pod\/backend-\w+-\w+: BackOff Back-off restarting failed container/,
    );
    expect(error?.details.join("\n")).toMatch(
      /log backend-\w+-\w+\/backend: django\.core\.exceptions\.ImproperlyConfigured/,
    );
    expect(cluster.double.requests.some((r) => r.path.endsWith("/log") && r.query.previous === "true")).toBe(true);
    expect(lines).toContainEqual(expect.stringMatching(/^✔ rollback to v1 \(\d+\.\ds\)$/));
    expect(image("backend")).toBe(A.backend);
    expect(image("frontend")).toBe(A.frontend);
    // The failed release's Job was pruned with the rest of it; the previous release's objects stay.
    expect(cluster.double.get("Job", NS, "backend-migrate-2222222")).toBeUndefined();
    const records = await listReleases("dev", cluster.access, () => undefined);
    expect(records.map((r) => [r.revision, r.outcome])).toEqual([
      [2, "rolled-back"],
      [1, "succeeded"],
    ]);
    expect(formatRevisions(records)[0]).toMatch(/^v2 {2}rolled-back {2}2222222bbbbb .*rolled back to v1/);
  });

  it("a rollout that times out rolls back and restores the previous digests, with the stuck pod's log", async () => {
    cluster = await startCluster("dev");
    await deployed("dev", COMMIT_A, A);
    cluster.double.deploymentBehaviour = (d) =>
      d.spec.template.spec.containers[0].image === B.backend ? "stuck" : "healthy";
    // Controllers answer on the first read, so the state at the deadline does not depend on how many polls fit in it.
    cluster.double.readsBeforeReconcile = 1;
    const { error } = await run(await request(cluster, "dev", COMMIT_B, B, { timing: { ...FAST, waitTimeoutMs: 1 } }));

    expect(error?.kind).toBe("rollout");
    expect(error?.message).toMatch(
      /^rollout timed out after 0s: Deployment\/backend \(1 old replica\(s\) pending termination\); rolled back to v1/,
    );
    expect(error?.details.join("\n")).toMatch(/log backend-\w+-\w+\/backend: readiness: database unreachable/);
    expect(image("backend")).toBe(A.backend);
  });

  it("ProgressDeadlineExceeded fails the rollout immediately", async () => {
    cluster = await startCluster("dev");
    await deployed("dev", COMMIT_A, A);
    cluster.double.deploymentBehaviour = (d) =>
      d.spec.template.spec.containers[0].image === B.frontend ? "deadline" : "healthy";
    const { error } = await run(
      await request(cluster, "dev", COMMIT_B, B, { timing: { ...FAST, waitTimeoutMs: 60_000 } }),
    );
    expect(error?.message).toMatch(/^Deployment\/frontend exceeded its progress deadline .*rolled back to v1/);
    expect(image("frontend")).toBe(A.frontend);
  });

  it("a failing smoke test rolls back", async () => {
    cluster = await startCluster("dev");
    await deployed("dev", COMMIT_A, A);
    cluster.double.app = (req) =>
      req.path === "/api/loans/rules/" && image("backend") === B.backend
        ? { status: 500, body: "Server Error (500)" }
        : undefined;
    const { error } = await run(await request(cluster, "dev", COMMIT_B, B));
    expect(error?.kind).toBe("smoke");
    expect(error?.message).toMatch(
      /^smoke test failed: backend \/api\/loans\/rules\/ answered 500 .*rolled back to v1/,
    );
    expect(image("backend")).toBe(A.backend);
    // Smoke requests go through the service proxy with a Host the backend allows.
    const proxied = cluster.double.requests.filter((r) => r.path.includes("/services/backend:http/proxy/"));
    expect(proxied.map((r) => r.path)).toContain(
      "/api/v1/namespaces/challenge-dev/services/backend:http/proxy/api/loans/rules/",
    );
    expect(proxied.every((r) => r.host === "backend")).toBe(true);
    // The Host header does not leak into TLS: the server name stays the API server's.
    expect(new Set(cluster.double.requests.map((r) => r.sni))).toEqual(new Set(["localhost"]));
  });

  it("without a previous successful release it fails and says there is nothing to roll back to", async () => {
    cluster = await startCluster("dev");
    cluster.double.deploymentBehaviour = () => "imagepull";
    const { error } = await run(
      await request(cluster, "dev", COMMIT_A, A, { timing: { ...FAST, waitTimeoutMs: 60_000 } }),
    );
    expect(error?.message).toMatch(/ImagePullBackOff.*no previous successful release to roll back to$/);
    expect((await listReleases("dev", cluster.access, () => undefined))[0]?.outcome).toBe("failed");
  });
});

describe("one deploy at a time", () => {
  const lease = (holder: string, renewed: Date, duration = 60) => ({
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: { name: LOCK_NAME, namespace: NS },
    spec: {
      holderIdentity: holder,
      leaseDurationSeconds: duration,
      acquireTime: microTime(renewed),
      renewTime: microTime(renewed),
      leaseTransitions: 0,
    },
  });

  it("a held lease blocks the deploy with the holder's name, before any change", async () => {
    cluster = await startCluster("dev");
    cluster.double.seed(lease("runner-7/123/abcdef0/x1", new Date()), "prestamos-deploy");
    const { error } = await run(await request(cluster, "dev", COMMIT_A, A));
    expect(error?.kind).toBe("lock");
    expect(error?.message).toMatch(
      /^another deploy holds the lock of challenge-dev: runner-7\/123\/abcdef0\/x1 since \d{4}-\d\d-\d\dT[\d:]+\.\d{6}Z/,
    );
    expect(cluster.double.writes()).toEqual([]);
  });

  it("a stale lease from a killed run is taken over", async () => {
    cluster = await startCluster("dev");
    cluster.double.seed(lease("killed-run", new Date(Date.now() - 10 * 60_000)), "prestamos-deploy");
    const { lines } = await deployed("dev", COMMIT_A, A);
    expect(lines).toContainEqual(expect.stringMatching(/taking over the expired lock of killed-run/));
    expect(cluster.double.get("Lease", NS, LOCK_NAME)?.spec.leaseTransitions).toBe(1);
  });

  it("a long deploy keeps renewing its lease, so a second deploy cannot take it over", async () => {
    cluster = await startCluster("dev");
    // Hold the first deploy in its smoke test until the second one has given up.
    let open = false;
    cluster.double.app = () => (open ? undefined : { status: 503, body: "warming up" });
    // A 3 s lease renewed every second; the second deploy waits 5 s, long enough to take over a lease left unrenewed.
    const first = run(
      await request(cluster, "dev", COMMIT_A, A, {
        identity: "first",
        timing: { ...FAST, leaseDurationSeconds: 3, smokeAttempts: 1_000_000, smokeDelayMs: 5 },
      }),
    );
    while (!cluster.double.requests.some((r) => r.path.includes("/proxy/")))
      await new Promise((resolve) => setTimeout(resolve, 10));
    const second = await run(
      await request(cluster, "dev", COMMIT_B, B, { identity: "second", timing: { ...FAST, lockWaitMs: 5000 } }),
    );
    open = true;
    const { error, revision } = await first;

    expect(second.error?.kind).toBe("lock");
    expect(second.error?.message).toMatch(/holds the lock of challenge-dev: first since/);
    expect(error).toBeUndefined();
    expect(revision).toBe(1);
    const renewals = cluster.double.requests.filter(
      (r) =>
        r.method === "PUT" &&
        r.status === 200 &&
        (r.body?.spec as { holderIdentity?: string }).holderIdentity === "first",
    );
    expect(renewals.length).toBeGreaterThan(2);
  });

  it("two deploys at once: the second waits for the first and then runs", async () => {
    cluster = await startCluster("dev");
    const patient = { timing: { ...FAST, lockWaitMs: 30_000 } };
    const [first, second] = await Promise.all([
      deployed("dev", COMMIT_A, A, { ...patient, identity: "deploy-one" }),
      deployed("dev", COMMIT_B, B, { ...patient, identity: "deploy-two" }),
    ]);
    expect([first.revision, second.revision].sort()).toEqual([1, 2]);
    const waited = [first, second].filter((r) =>
      r.lines.some((l) => l.startsWith("  waiting for the lock held by deploy-")),
    );
    expect(waited).toHaveLength(1);
    // Lease writes alternate cleanly: one holder at a time, every update carried a resourceVersion.
    const updates = cluster.double.requests.filter(
      (r) => r.method === "PUT" && r.path.endsWith(`/leases/${LOCK_NAME}`) && r.status === 200,
    );
    expect(
      updates.every((u) => typeof (u.body?.metadata as { resourceVersion?: string }).resourceVersion === "string"),
    ).toBe(true);
    expect((await listReleases("dev", cluster.access, () => undefined)).map((r) => r.outcome)).toEqual([
      "succeeded",
      "succeeded",
    ]);
  });
});

describe("dry run", () => {
  it("changes nothing and shows field-level changes, creations and the prune preview", async () => {
    cluster = await startCluster("dev");
    await deployed("dev", COMMIT_A, A);
    const versions = JSON.stringify(
      ["Deployment", "Job", "ConfigMap", "Secret"].map((k) => cluster.double.list(k, NS)),
    );
    const writesBefore = cluster.double.writes().length;
    const { lines } = await deployed("dev", COMMIT_B, B, { dryRun: true });

    expect(cluster.double.writes().length).toBe(writesBefore);
    expect(JSON.stringify(["Deployment", "Job", "ConfigMap", "Secret"].map((k) => cluster.double.list(k, NS)))).toBe(
      versions,
    );
    expect(
      cluster.double.requests
        .filter((r) => r.method === "PATCH")
        .slice(-5)
        .every((r) => r.query.dryRun === "All"),
    ).toBe(true);
    expect(lines).toContain("change Deployment/backend");
    expect(lines).toContainEqual(`    spec.template.spec.containers[0].image: "${A.backend}" → "${B.backend}"`);
    expect(lines).toContain("create Job/backend-migrate-2222222");
    expect(lines).toContain("prune Job.batch/backend-migrate-1111111");
    expect(lines.at(-1)).toMatch(/^dry run: \d+ to create or change, \d+ unchanged, 1 to prune; nothing was changed$/);
    expect(lines.join("\n")).not.toMatch(/managedFields|resourceVersion/);
    expect(lines).not.toContainEqual(expect.stringMatching(/^✔ (lock|prerequisites|record)/));
  });
});

describe("refused before any change", () => {
  async function refused(
    mutate: (c: Cluster) => void | Promise<void>,
    req?: Partial<DeployRequest>,
  ): Promise<DeployError | undefined> {
    cluster = await startCluster("dev");
    await mutate(cluster);
    const { error } = await run(await request(cluster, "dev", COMMIT_A, A, req));
    expect(cluster.double.writes()).toEqual([]);
    return error;
  }

  it("401: rejected credentials", async () => {
    const error = await refused((c) => {
      c.double.rejectAll = true;
    });
    expect(error?.kind).toBe("access");
    expect(error?.message).toMatch(
      /^401 Unauthorized: the API server at https:\/\/localhost:\d+ rejected the credentials of context test \(expired or revoked credentials\?\)$/,
    );
  });

  it("403: the deployer lacks permissions (lists them)", async () => {
    const error = await refused((c) => {
      c.double.rules = [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list"] }];
    });
    expect(error?.message).toMatch(
      /^403: the deployer lacks \d+ permission\(s\) in challenge-dev \(apply k8s\/deployer\/ for this namespace\)$/,
    );
    expect(error?.details).toContain("patch apps/deployments");
    expect(error?.details).toContain("update coordination.k8s.io/leases (prestamos-deploy-lock)");
  });

  it("unreachable API server", async () => {
    const error = await refused(async (c) => {
      await c.double.stop();
    });
    expect(error?.message).toMatch(
      /^cannot reach the Kubernetes API at https:\/\/localhost:\d+: connection refused \(ECONNREFUSED\)$/,
    );
  });

  it("missing namespace", async () => {
    const error = await refused((c) => {
      c.double.namespaces.delete(NS);
    });
    expect(error?.message).toMatch(/^namespace challenge-dev does not exist: a cluster admin creates it/);
  });

  it("wrong context: the kubeconfig's context is pinned to the other namespace", async () => {
    cluster = await startCluster("dev");
    const kubeconfig = cluster.access.kubeconfig.replace(
      "cluster: test-cluster\n",
      "cluster: test-cluster\n      namespace: challenge-prd\n",
    );
    const { error: wrong } = await run(await request(cluster, "dev", COMMIT_A, A, { access: { kubeconfig } }));
    expect(wrong?.message).toBe(
      'wrong context: "test" is pinned to namespace challenge-prd, but this deploy targets challenge-dev',
    );
    expect(cluster.double.requests).toEqual([]);
  });

  it("prod refuses image tags without a digest", async () => {
    cluster = await startCluster("prod");
    const tagged = { backend: "ghcr.io/acme/prestamos/backend:1a2b3c4", frontend: imagesFor("a").frontend };
    const { error } = await run(await request(cluster, "prod", COMMIT_A, tagged));
    expect(error?.kind).toBe("validation");
    expect(error?.message).toBe(
      '--backend-image "ghcr.io/acme/prestamos/backend:1a2b3c4" has no digest: prod deploys images by digest (<repository>@sha256:<digest>, what publish returns)',
    );
    expect(cluster.double.requests).toEqual([]);
  });
});

describe("prod", () => {
  it("deploys with the prod Role (no Secret access) and keeps an HPA's replicas", async () => {
    cluster = await startCluster("prod");
    await deployed("prod", COMMIT_A, A);
    cluster.double.scale("Deployment", "challenge-prd", "backend", 5);
    await deployed("prod", COMMIT_B, B);
    expect(cluster.double.get("Deployment", "challenge-prd", "backend")?.spec.replicas).toBe(5);
    expect(image("backend", "challenge-prd")).toBe(B.backend);
    expect([...cluster.double.permissionsUsed()].filter((p) => / secrets$/.test(p))).toEqual([]);
  });

  it("waits for the ExternalSecrets to write their Secrets before the migrations Job", async () => {
    cluster = await startCluster("prod");
    const { lines } = await deployed("prod", COMMIT_A, A);
    expect(lines).toContainEqual("  ExternalSecret/backend-database: synced");
    const at = (test: (r: (typeof cluster.double.requests)[number]) => boolean) =>
      cluster.double.requests.findIndex(test);
    const lastSyncRead = cluster.double.requests
      .map((r, i) => (r.method === "GET" && /\/externalsecrets\/backend-staff$/.test(r.path) ? i : -1))
      .reduce((a, b) => Math.max(a, b));
    expect(lastSyncRead).toBeGreaterThan(-1);
    expect(at((r) => r.method === "PATCH" && r.path.includes("/jobs/"))).toBeGreaterThan(lastSyncRead);
    expect(cluster.double.get("Secret", "challenge-prd", "backend-staff")?.metadata.ownerReferences[0].kind).toBe(
      "ExternalSecret",
    );
  });

  it("a provider error of an ExternalSecret stops the deploy before the Job, naming the operator's reason", async () => {
    cluster = await startCluster("prod");
    cluster.double.externalSecretBehaviour = (es) => (es.metadata.name === "backend-database" ? "error" : "synced");
    const { error } = await run(await request(cluster, "prod", COMMIT_A, A));
    expect(error?.kind).toBe("secrets");
    expect(error?.message).toBe(
      "ExternalSecret/backend-database not synced (SecretSyncedError: could not get secret data from provider); no workload was changed",
    );
    expect(cluster.double.writes().some((r) => /\/(jobs|deployments)\//.test(r.path))).toBe(false);
  });

  it("an ExternalSecret the operator never syncs times out with its state", async () => {
    cluster = await startCluster("prod");
    cluster.double.externalSecretBehaviour = (es) => (es.metadata.name === "backend-staff" ? "pending" : "synced");
    const { error } = await run(
      await request(cluster, "prod", COMMIT_A, A, { timing: { ...FAST, waitTimeoutMs: 300 } }),
    );
    expect(error?.kind).toBe("secrets");
    expect(error?.message).toMatch(
      /^ExternalSecrets not synced within 0s: ExternalSecret\/backend-staff \(waiting for the operator to sync generation 1\); no workload was changed$/,
    );
    expect(cluster.double.writes().some((r) => /\/(jobs|deployments)\//.test(r.path))).toBe(false);
  });
});

describe("secrets", () => {
  it("never prints the token or Secret values, in successes, dry runs and failures", async () => {
    cluster = await startCluster("dev");
    const outputs: string[] = [];
    outputs.push(...(await deployed("dev", COMMIT_A, A)).lines);
    // A release that changes a Secret's value in place (same name): the dry run must hide it.
    const changedSecret = await editedRelease("dev", B, (objects) =>
      objects.map((o) =>
        o.kind === "Secret" && o.metadata.name.startsWith("backend-staff-")
          ? {
              ...o,
              data: { ...(o.data as object), DJANGO_STAFF_PASSWORD: Buffer.from("new-KNOWN-value").toString("base64") },
            }
          : o,
      ),
    );
    outputs.push(...(await deployed("dev", COMMIT_B, B, { dryRun: true, manifests: changedSecret })).lines);
    cluster.double.deploymentBehaviour = (d) =>
      d.spec.template.spec.containers[0].image === B.backend ? "crashloop" : "healthy";
    const failed = await run(
      await request(cluster, "dev", COMMIT_B, B, { timing: { ...FAST, waitTimeoutMs: 60_000 } }),
    );
    outputs.push(...failed.lines, failed.error?.describe() ?? "");
    const text = outputs.join("\n");
    expect(text).toContain("(value hidden)");
    expect(text).not.toContain(TOKEN);
    for (const value of ["local-only-admin-password", "new-KNOWN-value"]) {
      expect(text).not.toContain(value);
      expect(text).not.toContain(Buffer.from(value).toString("base64"));
    }
  });
});
