/**
 * The scan verdict of one image from Trivy's JSON report (`trivy image --format json`,
 * SchemaVersion 2). Pure: no Dagger, no I/O.
 *
 * The image fails when it has a vulnerability of severity HIGH or CRITICAL that has a fix
 * (Trivy status `fixed`, or a FixedVersion in reports that carry no status): the same set
 * `trivy image --severity HIGH,CRITICAL --ignore-unfixed` reports. Unfixed ones are counted
 * but do not block, since no rebuild can remove them. A report that is not a Trivy report
 * is an error, never a pass.
 */

export type Severity = "CRITICAL" | "HIGH" | "MEDIUM" | "LOW" | "UNKNOWN";

const SEVERITIES: readonly Severity[] = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN"];
const BLOCKING: ReadonlySet<Severity> = new Set(["CRITICAL", "HIGH"]);

/** One vulnerability that fails the image. */
export interface BlockingFinding {
  readonly id: string;
  readonly severity: Severity;
  readonly package: string;
  readonly installed: string;
  readonly fixedIn: string;
}

export interface ScanVerdict {
  readonly verdict: "passed" | "failed";
  /** Distinct vulnerabilities (id + package + installed version) per severity. */
  readonly counts: Readonly<Record<Lowercase<Severity>, number>>;
  /** HIGH/CRITICAL vulnerabilities with a fix, sorted by severity then id. */
  readonly blocking: readonly BlockingFinding[];
  /** HIGH/CRITICAL vulnerabilities without a fix (reported, not blocking). */
  readonly unfixedHighCritical: number;
}

interface TrivyVulnerability {
  VulnerabilityID?: unknown;
  PkgName?: unknown;
  InstalledVersion?: unknown;
  FixedVersion?: unknown;
  Status?: unknown;
  Severity?: unknown;
}

function fail(image: string, why: string): never {
  throw new Error(`Trivy report of the ${image} image is unusable: ${why}`);
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function isFixable(v: TrivyVulnerability): boolean {
  const status = text(v.Status);
  return status === "" ? text(v.FixedVersion) !== "" : status === "fixed";
}

/** Parses the report and decides. Throws on anything that is not a SchemaVersion 2 report. */
export function trivyVerdict(image: string, reportJson: string): ScanVerdict {
  let report: unknown;
  try {
    report = JSON.parse(reportJson);
  } catch {
    fail(image, "not JSON");
  }
  if (!report || typeof report !== "object" || Array.isArray(report)) fail(image, "not a JSON object");
  const { SchemaVersion, Results } = report as { SchemaVersion?: unknown; Results?: unknown };
  if (SchemaVersion !== 2) fail(image, `SchemaVersion ${JSON.stringify(SchemaVersion)} (expected 2)`);
  if (Results !== undefined && !Array.isArray(Results)) fail(image, "Results is not a list");

  const seen = new Map<string, TrivyVulnerability>();
  for (const result of (Results ?? []) as Array<{ Vulnerabilities?: unknown }>) {
    const vulns = result?.Vulnerabilities ?? [];
    if (!Array.isArray(vulns)) fail(image, "Vulnerabilities is not a list");
    for (const v of vulns as TrivyVulnerability[]) {
      const id = text(v?.VulnerabilityID);
      if (!id || !SEVERITIES.includes(v.Severity as Severity)) {
        fail(image, `vulnerability without an id or a known severity: ${JSON.stringify(v).slice(0, 200)}`);
      }
      // The same package can appear under several targets (e.g. two lock files).
      seen.set(`${id}\u0000${text(v.PkgName)}\u0000${text(v.InstalledVersion)}`, v);
    }
  }

  const counts = { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 };
  const blocking: BlockingFinding[] = [];
  let unfixedHighCritical = 0;
  for (const v of seen.values()) {
    const severity = v.Severity as Severity;
    counts[severity.toLowerCase() as Lowercase<Severity>] += 1;
    if (!BLOCKING.has(severity)) continue;
    if (!isFixable(v)) {
      unfixedHighCritical += 1;
      continue;
    }
    blocking.push({
      id: text(v.VulnerabilityID),
      severity,
      package: text(v.PkgName),
      installed: text(v.InstalledVersion),
      fixedIn: text(v.FixedVersion),
    });
  }
  blocking.sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || a.id.localeCompare(b.id));
  return { verdict: blocking.length === 0 ? "passed" : "failed", counts, blocking, unfixedHighCritical };
}

/** One line for the summary: `backend: passed (0 fixable HIGH/CRITICAL, 3 unfixed)`. */
export function describeVerdict(image: string, verdict: ScanVerdict, maxIds = 5): string {
  const unfixed = `${verdict.unfixedHighCritical} unfixed`;
  if (verdict.verdict === "passed") return `${image}: passed (0 fixable HIGH/CRITICAL, ${unfixed})`;
  const ids = verdict.blocking.slice(0, maxIds).map((f) => `${f.id} ${f.package} ${f.installed}→${f.fixedIn}`);
  const more = verdict.blocking.length > maxIds ? `, +${verdict.blocking.length - maxIds} more` : "";
  return `${image}: failed (${verdict.blocking.length} fixable HIGH/CRITICAL: ${ids.join(", ")}${more}; ${unfixed})`;
}
