import { describe, expect, it } from "vitest";
import { describeVerdict, trivyVerdict } from "../../src/scan/trivy-report";
import { fixture } from "../fixtures";

describe("trivyVerdict", () => {
  it("fails on fixable HIGH/CRITICAL only, counting each finding once", () => {
    const verdict = trivyVerdict("backend", fixture("trivy/fixable-high.json"));
    expect(verdict.verdict).toBe("failed");
    // CVE-2099-1001 appears under two targets: one finding.
    expect(verdict.counts).toEqual({ critical: 3, high: 1, medium: 1, low: 1, unknown: 1 });
    expect(verdict.blocking).toEqual([
      { id: "CVE-2099-2001", severity: "CRITICAL", package: "django", installed: "5.2.0", fixedIn: "5.2.17, 4.2.30" },
      {
        id: "CVE-2099-1001",
        severity: "HIGH",
        package: "libssl3",
        installed: "3.0.15-1~deb12u1",
        fixedIn: "3.0.16-1~deb12u1",
      },
    ]);
    // affected and will_not_fix CRITICALs are reported, not blocking.
    expect(verdict.unfixedHighCritical).toBe(2);
  });

  it("passes with HIGH/CRITICAL that have no fix and fixable MEDIUM", () => {
    const verdict = trivyVerdict("frontend", fixture("trivy/unfixed-only.json"));
    expect(verdict).toMatchObject({ verdict: "passed", blocking: [], unfixedHighCritical: 2 });
    expect(verdict.counts).toEqual({ critical: 1, high: 1, medium: 1, low: 0, unknown: 0 });
  });

  it("passes a clean report (results without a Vulnerabilities list)", () => {
    expect(trivyVerdict("frontend", fixture("trivy/clean.json"))).toEqual({
      verdict: "passed",
      counts: { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 },
      blocking: [],
      unfixedHighCritical: 0,
    });
    expect(trivyVerdict("frontend", '{"SchemaVersion": 2}').verdict).toBe("passed");
  });

  it.each([
    ["not JSON", "Fatal error: init error: DB error", /not JSON/],
    ["another schema version", '{"SchemaVersion": 1, "Results": []}', /SchemaVersion 1/],
    ["a list", "[]", /not a JSON object/],
    ["Results not a list", '{"SchemaVersion": 2, "Results": {}}', /Results is not a list/],
    [
      "Vulnerabilities not a list",
      '{"SchemaVersion": 2, "Results": [{"Vulnerabilities": "x"}]}',
      /Vulnerabilities is not a list/,
    ],
    [
      "unknown severity",
      '{"SchemaVersion": 2, "Results": [{"Vulnerabilities": [{"VulnerabilityID": "X", "Severity": "SEVERE"}]}]}',
      /known severity/,
    ],
  ])("refuses %s instead of passing it", (_case, report, message) => {
    expect(() => trivyVerdict("backend", report)).toThrow(message);
  });
});

describe("describeVerdict", () => {
  it("names the blocking findings with their fix", () => {
    const line = describeVerdict("backend", trivyVerdict("backend", fixture("trivy/fixable-high.json")), 1);
    expect(line).toBe(
      "backend: failed (2 fixable HIGH/CRITICAL: CVE-2099-2001 django 5.2.0→5.2.17, 4.2.30, +1 more; 2 unfixed)",
    );
    expect(describeVerdict("frontend", trivyVerdict("frontend", fixture("trivy/clean.json")))).toBe(
      "frontend: passed (0 fixable HIGH/CRITICAL, 0 unfixed)",
    );
  });
});
