import { describe, expect, it } from "vitest";
import { DEPLOY_NOT_IMPLEMENTED, GATE_STEPS, planCi } from "../src/plan";
import { validateCiArgs, type CiArgs } from "../src/validate";

const SHA = "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d";
const none: CiArgs = { hasRegistryPassword: false, hasKubeconfig: false, hasSlackWebhook: false };
const creds: CiArgs = { ...none, sha: SHA, sourceUrl: "https://github.com/a/b", buildDate: "2025-06-01T10:00:00Z", registry: "ghcr.io/a/b", registryUsername: "u", hasRegistryPassword: true };

function step(args: CiArgs, name: string) {
  return planCi(validateCiArgs(args)).steps.find((s) => s.name === name);
}

describe("planCi", () => {
  it("always runs the gate", () => {
    const plan = planCi(validateCiArgs(none));
    expect(plan.steps.filter((s) => s.run).map((s) => s.name)).toEqual([...GATE_STEPS]);
    expect(plan.notify).toBe(false);
    expect(plan.environment).toBeUndefined();
  });
  it("publishes only with registry credentials, after the gate", () => {
    expect(step(none, "publish")).toMatchObject({ run: false, skipReason: "no registry credentials" });
    expect(step({ ...creds, branch: "feature/x" }, "publish")).toMatchObject({ run: true, needs: GATE_STEPS });
  });
  it("decides deploy by branch", () => {
    expect(step(none, "deploy")?.skipReason).toBe("no --branch");
    expect(step({ ...none, branch: "feature/x" }, "deploy")?.skipReason).toBe("branch feature/x does not deploy");
    expect(step({ ...none, branch: "main" }, "deploy")?.skipReason).toBe("no --kubeconfig");
    expect(step({ ...creds, branch: "main", hasKubeconfig: true }, "deploy")).toMatchObject({ run: false, skipReason: DEPLOY_NOT_IMPLEMENTED });
    expect(planCi(validateCiArgs({ ...none, branch: "dev" })).environment).toBe("development (challenge-dev)");
    expect(planCi(validateCiArgs({ ...none, branch: "main" })).environment).toBe("production (challenge-prd)");
  });
  it("notifies only with a webhook", () => {
    expect(planCi(validateCiArgs({ ...none, hasSlackWebhook: true })).notify).toBe(true);
  });
});
