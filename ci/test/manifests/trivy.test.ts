/**
 * Trivy's misconfiguration scan, offline, on what the gate's scan-config step scans: both
 * rendered overlays and both Dockerfiles, with the same command (ci/src/commands.ts) and
 * the same ignore file. 0 findings at any severity (so 0 HIGH/CRITICAL), and proof that
 * the scanner's checks are loaded and bite.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { trivyConfigCommand } from "../../src/commands";
import { OVERLAYS } from "../../src/manifests/overlays";
import { kustomizeBuild } from "../../src/manifests/render";
import { trivyBinary } from "../../../tests/support/trivy";
import { REPO_ROOT } from "./testing";

interface Misconfiguration {
  ID: string;
  Severity: string;
  Message: string;
}
interface TrivyReport {
  Results?: {
    Target: string;
    MisconfSummary?: { Successes: number; Failures: number };
    Misconfigurations?: Misconfiguration[];
  }[];
}

let work: string;
let trivy: string;

/** Runs the gate's Trivy command on `target` (cwd: repo root, for .trivyignore); returns exit code and report. */
function scan(target: string): { code: number; report: TrivyReport; stderr: string } {
  const [, ...args] = trivyConfigCommand(target, "json").argv;
  const result = spawnSync(trivy, [...args, "--quiet"], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env: { ...process.env, TRIVY_CACHE_DIR: path.join(work, "cache") },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { code: result.status ?? 1, report: JSON.parse(result.stdout || "{}") as TrivyReport, stderr: result.stderr };
}

const findings = (report: TrivyReport) =>
  (report.Results ?? []).flatMap((r) =>
    (r.Misconfigurations ?? []).map((m) => `${r.Target}: ${m.Severity} ${m.ID} ${m.Message}`),
  );

beforeAll(async () => {
  trivy = trivyBinary();
  work = mkdtempSync(path.join(tmpdir(), "prestamos-trivy-"));
  const scanDir = path.join(work, "scan");
  mkdirSync(scanDir);
  for (const [name, overlay] of Object.entries(OVERLAYS)) {
    writeFileSync(path.join(scanDir, `${name}.yaml`), await kustomizeBuild(path.join(REPO_ROOT, overlay.dir)));
  }
  for (const dockerfile of ["backend.Dockerfile", "frontend.Dockerfile"])
    copyFileSync(path.join(REPO_ROOT, dockerfile), path.join(scanDir, dockerfile));
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("trivy config on the rendered overlays and the Dockerfiles", () => {
  it("scans all four files and finds nothing", () => {
    const { code, report, stderr } = scan(path.join(work, "scan"));
    const summary = (report.Results ?? []).map(
      (r) => `${r.Target}: ${r.MisconfSummary?.Successes ?? 0} passed, ${r.MisconfSummary?.Failures ?? 0} failed`,
    );
    console.log(`trivy config:\n  ${summary.join("\n  ")}`);
    expect(findings(report)).toEqual([]);
    expect(code, stderr).toBe(0);
    expect((report.Results ?? []).map((r) => r.Target).sort()).toEqual([
      "backend.Dockerfile",
      "dev.yaml",
      "frontend.Dockerfile",
      "prod.yaml",
    ]);
    // Checks really ran on each file (an empty check bundle would also "find nothing").
    for (const result of report.Results ?? [])
      expect(result.MisconfSummary?.Successes ?? 0, result.Target).toBeGreaterThan(20);
  }, 180_000);

  it("fails (exit 1) on a privileged container, an unpinned root Dockerfile and a MEDIUM-only finding", () => {
    const bad = path.join(work, "bad");
    mkdirSync(bad, { recursive: true });
    const pod = (name: string, securityContext: Record<string, unknown>) => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name, namespace: "x" },
      spec: { containers: [{ name: "c", image: "registry.example.com/app:1.0", securityContext }] },
    });
    writeFileSync(path.join(bad, "privileged.yaml"), stringify(pod("privileged", { privileged: true })));
    writeFileSync(path.join(bad, "escalation.yaml"), stringify(pod("escalation", { allowPrivilegeEscalation: true })));
    writeFileSync(
      path.join(bad, "bad.Dockerfile"),
      "FROM debian:latest\nRUN apt-get update && apt-get install -y curl\n",
    );
    const { code, report } = scan(bad);
    const ids = new Set(findings(report).map((f) => f.split(" ")[2]));
    expect(code).toBe(1);
    expect(ids).toContain("KSV017"); // privileged (HIGH)
    expect(ids).toContain("KSV001"); // allowPrivilegeEscalation (MEDIUM): every severity fails the gate
    expect(ids).toContain("DS001"); // :latest
    expect(ids).toContain("DS002"); // root user
    // The ignore file is applied: KSV116 would otherwise fire on every object.
    expect(ids).not.toContain("KSV116");
  }, 180_000);
});
