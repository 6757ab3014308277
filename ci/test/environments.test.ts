import { describe, expect, it } from "vitest";
import { DEPLOY_BRANCHES, environmentForBranch, normalizeBranch } from "../src/environments";

describe("environmentForBranch", () => {
  it("maps dev to challenge-dev and main to challenge-prd", () => {
    expect(environmentForBranch("dev")).toEqual({ name: "development", namespace: "challenge-dev", overlay: "dev" });
    expect(environmentForBranch("main")).toEqual({ name: "production", namespace: "challenge-prd", overlay: "prod" });
    expect(environmentForBranch("refs/heads/main")?.namespace).toBe("challenge-prd");
  });
  it("never deploys other branches", () => {
    for (const b of [undefined, "", "feature/x", "Main", "develop", "main2", "toString", "__proto__"]) {
      expect(environmentForBranch(b)).toBeUndefined();
    }
  });
  it("lists deploying branches and normalises refs", () => {
    expect(DEPLOY_BRANCHES).toEqual(["dev", "main"]);
    expect(normalizeBranch(" refs/heads/feature/a ")).toBe("feature/a");
  });
});
