/**
 * Reads `release.json` back: JSON, schema version, then every field the schema
 * (release-record.schema.json) requires. Pure: no Dagger, no I/O.
 *
 * The module runtime installs production dependencies only, so the checks are written out
 * here instead of running a JSON Schema validator; ci/test/release/parse-record.test.ts
 * runs both on the same valid and broken records so they cannot drift apart.
 */
import { RECORD_KIND, RECORD_SCHEMA_VERSION, type ReleaseRecord } from "./record";

export type ParseResult =
  | { readonly ok: true; readonly record: ReleaseRecord }
  | { readonly ok: false; readonly code: "malformed-record" | "unsupported-schema-version"; readonly reason: string };

const OBJECT_HASH = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const TIMESTAMP = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?Z$/;
const REPOSITORY = /^[a-z0-9][a-z0-9._:/-]*[a-z0-9]$/;
const REFERENCE = /^[a-z0-9][a-z0-9._:/-]*@sha256:[0-9a-f]{64}$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const SPEC_VERSION = /^1\.[0-9]+$/;

/** Thrown inside the checks with the JSON path of the first problem. */
class Invalid extends Error {}

type Json = Record<string, unknown>;

function object(value: unknown, path: string, keys: readonly string[]): Json {
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new Invalid(`${path} is not an object`);
  const actual = Object.keys(value);
  const missing = keys.filter((k) => !actual.includes(k));
  if (missing.length > 0) throw new Invalid(`${path} lacks ${missing.join(", ")}`);
  const extra = actual.filter((k) => !keys.includes(k));
  if (extra.length > 0) throw new Invalid(`${path} has unknown field(s) ${extra.join(", ")}`);
  return value as Json;
}

function string(value: unknown, path: string, pattern?: RegExp, minLength = 0): string {
  if (typeof value !== "string") throw new Invalid(`${path} is not a string`);
  if (value.length < minLength || (pattern && !pattern.test(value))) throw new Invalid(`${path} has an invalid value`);
  return value;
}

function nullableString(value: unknown, path: string): void {
  if (value !== null) string(value, path);
}

function count(value: unknown, path: string): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) throw new Invalid(`${path} is not a count`);
}

function oneOf(value: unknown, path: string, allowed: readonly unknown[]): void {
  if (!allowed.includes(value)) throw new Invalid(`${path} is not one of ${allowed.join(", ")}`);
}

function list(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new Invalid(`${path} is not a list`);
  return value;
}

const TOTALS = ["total", "passed", "failed", "errors", "skipped"] as const;

function totals(value: unknown, path: string, extra: readonly string[]): Json {
  const o = object(value, path, [...extra, ...TOTALS]);
  for (const key of TOTALS) count(o[key], `${path}.${key}`);
  return o;
}

function image(value: unknown, path: string): void {
  const o = object(value, path, ["repository", "digest", "reference", "tags"]);
  string(o.repository, `${path}.repository`, REPOSITORY);
  string(o.digest, `${path}.digest`, DIGEST);
  string(o.reference, `${path}.reference`, REFERENCE);
  list(o.tags, `${path}.tags`).forEach((tag, i) => {
    string(tag, `${path}.tags[${i}]`, TAG);
    if (tag === "latest") throw new Invalid(`${path}.tags[${i}] is latest`);
  });
}

function scan(value: unknown, path: string): void {
  const o = object(value, path, ["verdict", "counts", "blocking", "unfixedHighCritical", "sbom"]);
  oneOf(o.verdict, `${path}.verdict`, ["passed", "failed"]);
  const counts = object(o.counts, `${path}.counts`, ["critical", "high", "medium", "low", "unknown"]);
  for (const [key, n] of Object.entries(counts)) count(n, `${path}.counts.${key}`);
  list(o.blocking, `${path}.blocking`).forEach((item, i) => {
    const f = object(item, `${path}.blocking[${i}]`, ["id", "severity", "package", "installed", "fixedIn"]);
    string(f.id, `${path}.blocking[${i}].id`, undefined, 1);
    oneOf(f.severity, `${path}.blocking[${i}].severity`, ["CRITICAL", "HIGH"]);
    for (const key of ["package", "installed", "fixedIn"]) string(f[key], `${path}.blocking[${i}].${key}`);
  });
  count(o.unfixedHighCritical, `${path}.unfixedHighCritical`);
  const sbom = object(o.sbom, `${path}.sbom`, ["format", "specVersion", "components", "digest"]);
  oneOf(sbom.format, `${path}.sbom.format`, ["CycloneDX"]);
  string(sbom.specVersion, `${path}.sbom.specVersion`, SPEC_VERSION);
  count(sbom.components, `${path}.sbom.components`);
  string(sbom.digest, `${path}.sbom.digest`, DIGEST);
}

function deployment(value: unknown, path: string): void {
  if (value === null) return;
  const o = object(value, path, ["environment", "namespace", "outcome", "smokeTest", "finishedAt", "detail"]);
  oneOf(o.environment, `${path}.environment`, ["dev", "prod"]);
  oneOf(o.namespace, `${path}.namespace`, ["challenge-dev", "challenge-prd"]);
  oneOf(o.outcome, `${path}.outcome`, ["succeeded", "failed"]);
  oneOf(o.smokeTest, `${path}.smokeTest`, ["passed", "failed", "not-run"]);
  string(o.finishedAt, `${path}.finishedAt`, TIMESTAMP);
  nullableString(o.detail, `${path}.detail`);
}

function check(value: unknown): void {
  const r = object(value, "record", [
    "schemaVersion",
    "kind",
    "git",
    "run",
    "images",
    "tests",
    "scans",
    "overlays",
    "steps",
    "deployment",
  ]);
  oneOf(r.kind, "kind", [RECORD_KIND]);
  const git = object(r.git, "git", ["commit", "tree", "branch", "author"]);
  string(git.commit, "git.commit", OBJECT_HASH);
  string(git.tree, "git.tree", OBJECT_HASH);
  string(git.branch, "git.branch", undefined, 1);
  string(git.author, "git.author");
  const run = object(r.run, "run", ["startedAt", "finishedAt", "url"]);
  string(run.startedAt, "run.startedAt", TIMESTAMP);
  string(run.finishedAt, "run.finishedAt", TIMESTAMP);
  nullableString(run.url, "run.url");
  const images = object(r.images, "images", ["backend", "frontend"]);
  image(images.backend, "images.backend");
  image(images.frontend, "images.frontend");
  const tests = totals(r.tests, "tests", ["reports"]);
  list(tests.reports, "tests.reports").forEach((report, i) => {
    const o = totals(report, `tests.reports[${i}]`, ["file"]);
    string(o.file, `tests.reports[${i}].file`, undefined, 1);
  });
  const scans = object(r.scans, "scans", ["backend", "frontend"]);
  scan(scans.backend, "scans.backend");
  scan(scans.frontend, "scans.frontend");
  const overlays = object(r.overlays, "overlays", ["dev", "prod"]);
  string(overlays.dev, "overlays.dev", DIGEST);
  string(overlays.prod, "overlays.prod", DIGEST);
  list(r.steps, "steps").forEach((step, i) => {
    const s = object(step, `steps[${i}]`, ["name", "status", "durationMs", "detail"]);
    string(s.name, `steps[${i}].name`, undefined, 1);
    oneOf(s.status, `steps[${i}].status`, ["passed", "failed", "skipped"]);
    count(s.durationMs, `steps[${i}].durationMs`);
    nullableString(s.detail, `steps[${i}].detail`);
  });
  deployment(r.deployment, "deployment");
}

/** Parses `release.json`. Never throws: the result says what is wrong. */
export function parseReleaseRecord(text: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, code: "malformed-record", reason: "release.json is not JSON" };
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    return { ok: false, code: "malformed-record", reason: "release.json is not a JSON object" };
  }
  const version = (value as { schemaVersion?: unknown }).schemaVersion;
  if (version !== RECORD_SCHEMA_VERSION) {
    return {
      ok: false,
      code: "unsupported-schema-version",
      reason: `release.json has schemaVersion ${JSON.stringify(version ?? null)}; this pipeline reads version ${RECORD_SCHEMA_VERSION} only (re-run dev to write a current record)`,
    };
  }
  try {
    check(value);
  } catch (error) {
    if (error instanceof Invalid)
      return { ok: false, code: "malformed-record", reason: `release.json: ${error.message}` };
    throw error;
  }
  return { ok: true, record: value as ReleaseRecord };
}
