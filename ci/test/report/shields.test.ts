import { describe, expect, it } from "vitest";
import { deployBadge, recordBadge } from "../../src/report/shields";
import { DEV_DEPLOYMENT, devRecord } from "../release/fixtures";

describe("shields.io endpoint badges", () => {
  it("shows the commit and day of the last successful deploy in green", () => {
    expect(recordBadge(devRecord())).toEqual({
      schemaVersion: 1,
      label: "challenge-dev",
      message: "1a2b3c4 · 2026-05-01",
      color: "brightgreen",
      cacheSeconds: 300,
    });
  });

  it("shows a failed deploy in red", () => {
    const badge = recordBadge(
      devRecord({ deployment: { ...DEV_DEPLOYMENT, outcome: "failed", smokeTest: "not-run" } }),
    );
    expect(badge).toMatchObject({ message: "1a2b3c4 failed · 2026-05-01", color: "red" });
  });

  it("has no badge for a run that deployed nowhere, and a grey one for an environment never deployed", () => {
    expect(recordBadge(devRecord({ deployment: undefined }))).toBeUndefined();
    expect(deployBadge("challenge-prd", undefined)).toEqual({
      schemaVersion: 1,
      label: "challenge-prd",
      message: "never deployed",
      color: "lightgrey",
      cacheSeconds: 300,
    });
  });

  it("labels production by its namespace for a promotion", () => {
    const badge = deployBadge("challenge-prd", {
      commit: devRecord().git.commit,
      outcome: "succeeded",
      finishedAt: "2026-05-02T08:00:00.000Z",
    });
    expect(badge).toMatchObject({ label: "challenge-prd", message: "1a2b3c4 · 2026-05-02", color: "brightgreen" });
    expect(deployBadge("challenge-dev", undefined).label).toBe("challenge-dev");
  });
});
