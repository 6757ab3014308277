import { describe, expect, it } from "vitest";
import { GATE_STEPS, planCi, recordNotPublishedReason } from "../src/plan";
import { validateCiArgs, type CiArgs } from "../src/validate";

const SHA = "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d";
const none: CiArgs = { hasRegistryPassword: false, hasKubeconfig: false, hasSlackWebhook: false };
const creds: CiArgs = {
  ...none,
  sha: SHA,
  sourceUrl: "https://github.com/a/b",
  buildDate: "2025-06-01T10:00:00Z",
  registry: "ghcr.io/a/b",
  registryUsername: "u",
  hasRegistryPassword: true,
};

const plan = (args: CiArgs) => planCi(validateCiArgs(args));
const names = (args: CiArgs) => plan(args).steps.map((s) => (s.run ? s.name : `${s.name} (skipped: ${s.skipReason})`));
const passedDeploy = { outcome: "succeeded", smokeTest: "passed" };

describe("planCi", () => {
  it("a check (no registry) runs the gate only", () => {
    expect(plan(none).kind).toBe("check");
    expect(names(none)).toEqual([
      ...GATE_STEPS,
      "publish (skipped: no registry credentials)",
      "deploy (skipped: no --branch)",
    ]);
    expect(GATE_STEPS).toContain("scan-images");
    expect(plan(none).notify).toBe(false);
    expect(plan(none).environment).toBeUndefined();
  });

  it("a release publishes after the gate, deploys only dev with a kubeconfig, always writes the record", () => {
    expect(plan({ ...creds, branch: "feature/x" }).kind).toBe("release");
    expect(names({ ...creds, branch: "feature/x" })).toEqual([
      ...GATE_STEPS,
      "publish",
      "deploy (skipped: branch feature/x does not deploy)",
      "record",
    ]);
    expect(names({ ...creds, branch: "dev" })).toEqual([
      ...GATE_STEPS,
      "publish",
      "deploy (skipped: no --kubeconfig)",
      "record",
    ]);
    expect(names({ ...creds, branch: "dev", hasKubeconfig: true, hasCosignKey: true })).toEqual([
      ...GATE_STEPS,
      "publish",
      "sign",
      "deploy",
      "record",
    ]);
    expect(
      plan({ ...creds, branch: "dev", hasKubeconfig: true }).steps.find((s) => s.name === "publish")?.needs,
    ).toEqual(GATE_STEPS);
  });

  it("main with a registry promotes: no gate, no publish, no record", () => {
    const main = { ...creds, branch: "main" };
    expect(plan(main).kind).toBe("promote");
    expect(names(main)).toEqual(["promote", "deploy (skipped: no --kubeconfig)"]);
    expect(names({ ...main, hasKubeconfig: true })).toEqual(["promote", "deploy"]);
    expect(plan({ ...main, hasKubeconfig: true }).environment).toBe("production (challenge-prd)");
    // Without a registry, main is checked like any branch.
    expect(plan({ ...none, branch: "main" }).kind).toBe("check");
  });

  it("names the environment of the deploying branches", () => {
    expect(plan({ ...none, branch: "dev" }).environment).toBe("development (challenge-dev)");
    expect(plan({ ...none, branch: "feature/x" }).environment).toBeUndefined();
  });

  it("notifies only with a webhook", () => {
    expect(plan({ ...none, hasSlackWebhook: true }).notify).toBe(true);
  });
});

describe("recordNotPublishedReason", () => {
  it("publishes dev's record only after its deploy and smoke test passed", () => {
    const dev = plan({ ...creds, branch: "dev", hasKubeconfig: true });
    expect(recordNotPublishedReason(dev, passedDeploy)).toBeUndefined();
    expect(recordNotPublishedReason(dev, { outcome: "failed", smokeTest: "failed" })).toBe(
      "dev's deploy or smoke test failed",
    );
    expect(recordNotPublishedReason(dev, { outcome: "succeeded", smokeTest: "not-run" })).toBe(
      "dev's deploy or smoke test failed",
    );
    expect(recordNotPublishedReason(dev, undefined)).toBe("dev was not deployed");
  });
  it("never publishes from other branches, dev without a kubeconfig, or other kinds of run", () => {
    expect(recordNotPublishedReason(plan({ ...creds, branch: "feature/x" }), passedDeploy)).toBe(
      "only dev's deployed runs publish it",
    );
    expect(recordNotPublishedReason(plan({ ...creds, branch: "dev" }), passedDeploy)).toBe(
      "dev is not deployed (no --kubeconfig)",
    );
    expect(recordNotPublishedReason(plan({ ...creds, branch: "main", hasKubeconfig: true }), passedDeploy)).toBe(
      "not a release run",
    );
    expect(recordNotPublishedReason(plan(none), passedDeploy)).toBe("not a release run");
  });
});
