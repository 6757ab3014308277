import { describe, expect, it } from "vitest";

import {
  deploymentHealth,
  jobState,
  notReady,
  observedLatest,
  podProblem,
  statefulSetHealth,
} from "../../src/deploy/health";
import type { K8sObject } from "../../src/manifests/render";

const obj = (kind: string, generation: number, spec: object, status: object): K8sObject => ({
  apiVersion: "apps/v1",
  kind,
  metadata: { name: "x", generation },
  spec,
  status,
});

describe("deploymentHealth (kubectl rollout status order)", () => {
  it("waits until the controller observed the generation", () => {
    const d = obj(
      "Deployment",
      3,
      { replicas: 2 },
      { observedGeneration: 2, updatedReplicas: 2, replicas: 2, availableReplicas: 2 },
    );
    expect(deploymentHealth(d)).toEqual({
      state: "progressing",
      message: "waiting for the controller to observe generation 3",
    });
    expect(observedLatest(d)).toBe(false);
  });

  it("fails on ProgressDeadlineExceeded before looking at replica counts", () => {
    const d = obj(
      "Deployment",
      1,
      { replicas: 2 },
      {
        observedGeneration: 1,
        updatedReplicas: 2,
        replicas: 2,
        availableReplicas: 2,
        conditions: [
          { type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded", message: "timed out" },
        ],
      },
    );
    expect(deploymentHealth(d)).toEqual({ state: "failed", message: "exceeded its progress deadline (timed out)" });
  });

  it("then updated, old replicas, available, ready", () => {
    const at = (status: object) =>
      deploymentHealth(obj("Deployment", 1, { replicas: 2 }, { observedGeneration: 1, ...status })).message;
    expect(at({ updatedReplicas: 1, replicas: 3, availableReplicas: 2 })).toBe("1 of 2 replicas updated");
    expect(at({ updatedReplicas: 2, replicas: 3, availableReplicas: 2 })).toBe("1 old replica(s) pending termination");
    expect(at({ updatedReplicas: 2, replicas: 2, availableReplicas: 1 })).toBe("1 of 2 updated replicas available");
    expect(
      deploymentHealth(
        obj(
          "Deployment",
          1,
          { replicas: 2 },
          { observedGeneration: 1, updatedReplicas: 2, replicas: 2, availableReplicas: 2 },
        ),
      ).state,
    ).toBe("ready");
  });

  it("defaults replicas to 1", () => {
    expect(
      deploymentHealth(
        obj("Deployment", 1, {}, { observedGeneration: 1, updatedReplicas: 1, replicas: 1, availableReplicas: 1 }),
      ).state,
    ).toBe("ready");
  });
});

describe("statefulSetHealth", () => {
  it("needs ready and updated replicas and the update revision current", () => {
    const at = (status: object, spec: object = { replicas: 1 }) =>
      statefulSetHealth(obj("StatefulSet", 1, spec, { observedGeneration: 1, ...status }));
    expect(at({ readyReplicas: 0 }).message).toBe("0 of 1 replicas ready");
    expect(at({ readyReplicas: 1, updatedReplicas: 1, currentRevision: "a", updateRevision: "b" }).state).toBe(
      "progressing",
    );
    expect(at({ readyReplicas: 1, updatedReplicas: 1, currentRevision: "b", updateRevision: "b" }).state).toBe("ready");
    expect(
      at(
        { readyReplicas: 2, updatedReplicas: 1, currentRevision: "a", updateRevision: "b" },
        { replicas: 2, updateStrategy: { rollingUpdate: { partition: 1 } } },
      ).state,
    ).toBe("ready");
  });
});

describe("jobState", () => {
  const job = (conditions: object[]): K8sObject => ({
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: "j" },
    status: { conditions, active: 1 },
  });
  it("counts only the terminal conditions", () => {
    expect(jobState(job([{ type: "FailureTarget", status: "True" }])).state).toBe("running");
    expect(jobState(job([{ type: "SuccessCriteriaMet", status: "True" }])).state).toBe("running");
    expect(jobState(job([{ type: "Complete", status: "True" }])).state).toBe("complete");
    expect(
      jobState(job([{ type: "Failed", status: "True", reason: "DeadlineExceeded", message: "too slow" }])),
    ).toEqual({ state: "failed", message: "DeadlineExceeded: too slow" });
    expect(jobState(job([{ type: "Failed", status: "False" }])).state).toBe("running");
  });
});

describe("podProblem", () => {
  const pod = (status: object): K8sObject => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, status });
  it.each(["CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "CreateContainerConfigError", "InvalidImageName"])(
    "fails fast on %s",
    (reason) => {
      expect(
        podProblem(pod({ containerStatuses: [{ name: "c", state: { waiting: { reason, message: "m" } } }] })),
      ).toMatchObject({ pod: "p", container: "c", reason });
    },
  );

  it("looks at init containers too, and ignores transient waits", () => {
    expect(
      podProblem(pod({ initContainerStatuses: [{ name: "migrate", state: { waiting: { reason: "ErrImagePull" } } }] }))
        ?.container,
    ).toBe("migrate");
    expect(
      podProblem(pod({ containerStatuses: [{ name: "c", state: { waiting: { reason: "ContainerCreating" } } }] })),
    ).toBeUndefined();
    expect(
      podProblem(
        pod({
          containerStatuses: [{ name: "c", restartCount: 2, state: { waiting: { reason: "CrashLoopBackOff" } } }],
        }),
      )?.restarted,
    ).toBe(true);
  });

  it("notReady names the first container that is not ready", () => {
    expect(
      notReady(
        pod({
          containerStatuses: [
            { name: "a", ready: true },
            { name: "b", ready: false },
          ],
        }),
      )?.container,
    ).toBe("b");
    expect(notReady(pod({ containerStatuses: [{ name: "a", ready: true }] }))).toBeUndefined();
  });
});
