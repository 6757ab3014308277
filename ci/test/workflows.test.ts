/**
 * Keeps the CI YAML thin, safe and in step with the module: only checkout + one
 * `dagger call ci` per job, with flags that exist on `ci`, every `${{ }}` value passed
 * through `env:` (never pasted into `call`, which the action runs in bash), only trusted
 * context values, secrets as env:// references, trigger rules that never run the gate twice
 * for one change, and the CLI pinned to the module's engineVersion.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { moduleFunctions, ROOT, sourceIgnoreList } from "./module-signature";

const read = (p: string) => readFileSync(path.join(ROOT, p), "utf8");

const ENGINE_VERSION = (JSON.parse(read("dagger.json")) as { engineVersion: string }).engineVersion;
const CI_PARAMS = moduleFunctions().get("ci") ?? new Map();

const FULL = ["branch", "sha", "source-url", "build-date", "registry", "registry-username", "registry-password", "kubeconfig", "slack-webhook"];

/**
 * Splits a `ci …` call into flag → value (quotes removed). Values may be "$VARIABLE"
 * references, env:// secret references or literals.
 */
function flagsOf(call: string): Map<string, string> {
  const words = call.trim().split(/\s+/);
  expect(words[0]).toBe("ci");
  const flags = new Map<string, string>();
  for (const word of words.slice(1)) {
    const match = /^--([a-z][a-z-]*)=(.*)$/.exec(word);
    expect(match, `flag ${word}`).not.toBeNull();
    const [, name = "", raw = ""] = match ?? [];
    expect(CI_PARAMS.has(name), `--${name} is not an argument of ci (${[...CI_PARAMS.keys()].join(", ")})`).toBe(true);
    expect(flags.has(name), `--${name} twice`).toBe(false);
    const value = raw.replace(/^"(.*)"$/, "$1");
    if (CI_PARAMS.get(name)?.secret) expect(value, `--${name} must be an env:// reference`).toMatch(/^env:\/\/[A-Z_][A-Z0-9_]*$/);
    flags.set(name, value);
  }
  return flags;
}

describe("module signature", () => {
  it("ci exposes the arguments the YAML relies on", () => {
    expect([...CI_PARAMS.keys()]).toEqual(["branch", "sha", "version", "source-url", "build-date", "registry", "registry-username", "registry-password", "kubeconfig", "slack-webhook"]);
    expect([...CI_PARAMS].filter(([, v]) => v.secret).map(([k]) => k)).toEqual(["registry-password", "kubeconfig", "slack-webhook"]);
  });
  it("pins a v-prefixed engine version", () => expect(ENGINE_VERSION).toMatch(/^v\d+\.\d+\.\d+$/));
  it("leaves tool caches and local state out of the module's source", () => {
    expect(sourceIgnoreList()).toEqual(expect.arrayContaining([".cache", "**/node_modules", ".venv", ".git", "reports", ".env", "ci/sdk"]));
  });
});

describe(".github/workflows/ci.yml", () => {
  type Step = Record<string, unknown> & { uses?: string; with?: Record<string, string>; env?: Record<string, string> };
  type Job = Record<string, unknown> & { steps: Step[]; environment?: string; if?: string };
  const wf = parse(read(".github/workflows/ci.yml")) as Record<string, unknown> & { jobs: Record<string, Job>; on: Record<string, unknown> };
  const dagger = (job: Job) => job.steps[1] as Step;

  /** Context values that no pull-request author can choose. */
  const TRUSTED = [
    /^github\.sha$/,
    /^github\.ref_name$/,
    /^github\.event\.pull_request\.head\.sha$/,
    /^github\.server_url$/,
    /^github\.repository$/,
    /^github\.actor$/,
    /^github\.event\.head_commit\.timestamp$/,
    /^vars\.[A-Z_]+$/,
    /^secrets\.[A-Z_]+$/,
  ];

  it("has only plain workflow keys; pushes trigger only for the deploying branches", () => {
    expect(Object.keys(wf).every((k) => ["name", "on", "permissions", "concurrency", "jobs"].includes(k))).toBe(true);
    expect(wf.on).toEqual({ push: { branches: ["dev", "main"] }, pull_request: null });
  });

  it("runs exactly one job per event: check for pull requests, dev or production for pushes", () => {
    expect(wf.jobs.check?.if).toBe("github.event_name == 'pull_request'");
    expect(wf.jobs.dev?.if).toBe("github.event_name == 'push' && github.ref_name == 'dev'");
    expect(wf.jobs.production?.if).toBe("github.event_name == 'push' && github.ref_name == 'main'");
    expect(Object.keys(wf.jobs).sort()).toEqual(["check", "dev", "production"]);
  });

  it("each job is checkout + one pinned dagger-for-github step calling ci", () => {
    const allowedJobKeys = ["name", "if", "runs-on", "timeout-minutes", "environment", "permissions", "steps"];
    for (const [id, job] of Object.entries(wf.jobs)) {
      expect(Object.keys(job).filter((k) => !allowedJobKeys.includes(k)), id).toEqual([]);
      expect(job.steps).toHaveLength(2);
      const [checkout, step] = job.steps as [Step, Step];
      expect(Object.keys(checkout)).toEqual(["uses"]);
      expect(checkout.uses).toMatch(/^actions\/checkout@v\d+$/);
      expect(step.uses).toMatch(/^dagger\/dagger-for-github@v\d+\.\d+\.\d+$/);
      expect(Object.keys(step).filter((k) => !["uses", "with", "env"].includes(k))).toEqual([]);
      expect(Object.keys(step.with ?? {}).sort()).toEqual(["call", "version"]);
      expect(step.with?.version).toBe(ENGINE_VERSION);
    }
  });

  it("passes every ${{ }} value through env: and only trusted context values", () => {
    for (const [id, job] of Object.entries(wf.jobs)) {
      const step = dagger(job);
      const call = step.with?.call ?? "";
      expect(call, `${id}: call must not contain \${{ }}`).not.toContain("${{");
      const env = step.env ?? {};
      for (const [name, value] of Object.entries(env)) {
        const expressions = [...value.matchAll(/\$\{\{\s*([^}]*?)\s*\}\}/g)].map((m) => m[1] ?? "");
        expect(expressions.length, `${id}: env ${name} has no \${{ }}`).toBeGreaterThan(0);
        expect(value.replace(/\$\{\{[^}]*\}\}/g, ""), `${id}: env ${name}`).toMatch(/^\/?$/);
        for (const expression of expressions) expect(TRUSTED.some((re) => re.test(expression)), `${id}: env ${name} uses ${expression}`).toBe(true);
      }
      // Every "$VARIABLE" the call uses is one of the step's env entries.
      for (const [, variable] of call.matchAll(/\$([A-Z_][A-Z0-9_]*)/g)) expect(Object.keys(env), `${id}: $${variable}`).toContain(variable);
      for (const [, variable] of call.matchAll(/env:\/\/([A-Z_][A-Z0-9_]*)/g)) expect(Object.keys(env), `${id}: env://${variable}`).toContain(variable);
    }
  });

  it("pull requests pass the literal branch pull-request and the head commit", () => {
    const step = dagger(wf.jobs.check as Job);
    const flags = flagsOf(step.with?.call ?? "");
    expect([...flags.keys()]).toEqual(["branch", "sha"]);
    expect(flags.get("branch")).toBe("pull-request");
    expect(flags.get("sha")).toBe("$SHA");
    expect(step.env).toEqual({ SHA: "${{ github.event.pull_request.head.sha }}" });
  });

  it("deploying jobs pass every argument under their environment", () => {
    for (const [id, environment, branch] of [["dev", "development", "dev"], ["production", "production", "main"]] as const) {
      const job = wf.jobs[id] as Job;
      const step = dagger(job);
      expect([...flagsOf(step.with?.call ?? "").keys()].sort(), id).toEqual([...FULL].sort());
      expect(job.environment).toBe(environment);
      expect(job.if).toContain(`github.ref_name == '${branch}'`);
      expect(step.env?.BRANCH).toBe("${{ github.ref_name }}");
      expect(step.env?.SOURCE_URL).toBe("${{ github.server_url }}/${{ github.repository }}");
      expect(step.env?.BUILD_DATE).toBe("${{ github.event.head_commit.timestamp }}");
    }
  });
});

describe(".gitlab-ci.yml", () => {
  type Job = Record<string, unknown> & { script: string[]; environment?: { name: string }; rules?: Array<{ if: string; when?: string }> };
  const text = read(".gitlab-ci.yml");
  const doc = parse(text) as Record<string, unknown> & { workflow: { rules: Array<{ if: string; when?: string }> } };
  const globals = ["image", "services", "variables", "before_script", "workflow"];
  const jobs = Object.fromEntries(Object.entries(doc).filter(([k]) => !globals.includes(k))) as Record<string, Job>;

  it("pins docker and the dagger CLI to the module's engine version and only installs it", () => {
    expect(doc.image).toMatch(/^docker:\d+\.\d+\.\d+-cli$/);
    expect(doc.services).toEqual([expect.stringMatching(/^docker:\d+\.\d+\.\d+-dind$/)]);
    expect((doc.variables as Record<string, string>).DAGGER_VERSION).toBe(ENGINE_VERSION.replace(/^v/, ""));
    expect((doc.variables as Record<string, string>).DOCKER_CERT_PATH).toBe("/certs/client");
    expect(doc.before_script).toEqual(["wget -qO- https://dl.dagger.io/dagger/install.sh | BIN_DIR=/usr/local/bin sh"]);
  });

  it("documents the runner it needs: privileged dind and the shared /certs/client volume", () => {
    expect(text).toMatch(/privileged = true/);
    expect(text).toMatch(/volumes = \["\/certs\/client"\]/);
  });

  it("creates merge-request pipelines and no duplicate branch pipeline for the same change", () => {
    expect(doc.workflow.rules).toEqual([
      { if: '$CI_PIPELINE_SOURCE == "merge_request_event"' },
      { if: "$CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS", when: "never" },
      { if: "$CI_COMMIT_BRANCH" },
    ]);
    expect(jobs.check?.rules).toEqual([
      { if: '$CI_PIPELINE_SOURCE == "merge_request_event"' },
      { if: '$CI_COMMIT_BRANCH && $CI_COMMIT_BRANCH != "dev" && $CI_COMMIT_BRANCH != "main"' },
    ]);
    expect(jobs.dev?.rules).toEqual([{ if: '$CI_PIPELINE_SOURCE == "push" && $CI_COMMIT_BRANCH == "dev"' }]);
    expect(jobs.production?.rules).toEqual([{ if: '$CI_PIPELINE_SOURCE == "push" && $CI_COMMIT_BRANCH == "main"' }]);
  });

  it("each job is one dagger call ci with known flags, every value a quoted variable or env:// reference", () => {
    expect(Object.keys(jobs).sort()).toEqual(["check", "dev", "production"]);
    for (const [id, job] of Object.entries(jobs)) {
      expect(Object.keys(job).filter((k) => !["stage", "rules", "script", "environment"].includes(k)), id).toEqual([]);
      expect(job.script).toHaveLength(1);
      const line = job.script[0] ?? "";
      expect(line.startsWith("dagger call ci ")).toBe(true);
      for (const flag of line.replace(/^dagger call ci /, "").split(/\s+/)) expect(flag, `${id}: ${flag}`).toMatch(/^--[a-z-]+=("\$[A-Z_]+"|env:\/\/[A-Z_]+)$/);
      const flags = flagsOf(line.replace(/^dagger call /, ""));
      expect([...flags.keys()].slice(0, 2)).toEqual(["branch", "sha"]);
      expect(flags.get("branch")).toBe("$CI_COMMIT_REF_NAME");
    }
    for (const id of ["dev", "production"]) expect([...flagsOf((jobs[id]?.script[0] ?? "").replace(/^dagger call /, "")).keys()].sort()).toEqual([...FULL].sort());
    expect(jobs.dev?.environment?.name).toBe("development");
    expect(jobs.production?.environment?.name).toBe("production");
  });
});
