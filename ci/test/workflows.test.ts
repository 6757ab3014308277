/**
 * Keeps the CI YAML thin and in step with the module: only checkout + one `dagger call ci`
 * per job, with flags that exist on the `ci` function (read from ci/src/index.ts with the
 * TypeScript compiler API), secrets passed as env:// references, and the CLI pinned to the
 * module's engineVersion.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const read = (p: string) => readFileSync(path.join(ROOT, p), "utf8");

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Parameters of Prestamos.ci: kebab-case name → whether its type is Secret. */
function ciParameters(): Map<string, { secret: boolean }> {
  const source = ts.createSourceFile("index.ts", read("ci/src/index.ts"), ts.ScriptTarget.ES2022, true);
  const out = new Map<string, { secret: boolean }>();
  source.forEachChild((node) => {
    if (!ts.isClassDeclaration(node) || node.name?.text !== "Prestamos") return;
    for (const member of node.members) {
      if (!ts.isMethodDeclaration(member) || member.name.getText(source) !== "ci") continue;
      const decorated = ts.getDecorators(member)?.some((d) => d.expression.getText(source).startsWith("func("));
      if (!decorated) throw new Error("ci is not a @func()");
      for (const p of member.parameters) {
        out.set(kebab(p.name.getText(source)), { secret: p.type?.getText(source) === "Secret" });
      }
    }
  });
  return out;
}

const ENGINE_VERSION = (JSON.parse(read("dagger.json")) as { engineVersion: string }).engineVersion;
const PARAMS = ciParameters();

/** Checks one `ci …` invocation (without the leading `dagger call`). */
function checkCall(call: string): string[] {
  // GitHub expressions may contain spaces: treat each as one opaque value.
  const words = call.replace(/\$\{\{[^}]*\}\}/g, "EXPR").trim().split(/\s+/);
  expect(words[0]).toBe("ci");
  const flags = words.slice(1);
  const names: string[] = [];
  for (const flag of flags) {
    const match = /^--([a-z][a-z-]*)=(.*)$/.exec(flag);
    expect(match, `flag ${flag}`).not.toBeNull();
    const [, name = "", value = ""] = match ?? [];
    expect(PARAMS.has(name), `--${name} is not an argument of ci (${[...PARAMS.keys()].join(", ")})`).toBe(true);
    if (PARAMS.get(name)?.secret) expect(value, `--${name} must be an env:// reference`).toMatch(/^env:\/\/[A-Z_][A-Z0-9_]*$/);
    names.push(name);
  }
  expect(new Set(names).size).toBe(names.length);
  return names;
}

const FULL = ["branch", "sha", "registry", "registry-username", "registry-password", "kubeconfig", "slack-webhook"];

describe("module signature", () => {
  it("ci exposes the arguments the YAML relies on", () => {
    expect([...PARAMS.keys()]).toEqual(["branch", "sha", "version", ...FULL.slice(2)]);
    expect([...PARAMS].filter(([, v]) => v.secret).map(([k]) => k)).toEqual(["registry-password", "kubeconfig", "slack-webhook"]);
  });
  it("pins a v-prefixed engine version", () => expect(ENGINE_VERSION).toMatch(/^v\d+\.\d+\.\d+$/));
});

describe(".github/workflows/ci.yml", () => {
  type Step = Record<string, unknown> & { uses?: string; with?: Record<string, string>; env?: Record<string, string> };
  type Job = Record<string, unknown> & { steps: Step[]; environment?: string };
  const wf = parse(read(".github/workflows/ci.yml")) as Record<string, unknown> & { jobs: Record<string, Job> };

  it("has only plain workflow keys and runs on push and pull_request", () => {
    expect(Object.keys(wf).every((k) => ["name", "on", "permissions", "concurrency", "jobs"].includes(k))).toBe(true);
    expect(Object.keys(wf.on as object).sort()).toEqual(["pull_request", "push"]);
  });

  it("each job is checkout + one pinned dagger-for-github step calling ci", () => {
    const allowedJobKeys = ["name", "if", "runs-on", "timeout-minutes", "environment", "permissions", "steps"];
    for (const [id, job] of Object.entries(wf.jobs)) {
      expect(Object.keys(job).filter((k) => !allowedJobKeys.includes(k)), id).toEqual([]);
      expect(job.steps).toHaveLength(2);
      const [checkout, dagger] = job.steps as [Step, Step];
      expect(Object.keys(checkout)).toEqual(["uses"]);
      expect(checkout.uses).toMatch(/^actions\/checkout@v\d+$/);
      expect(dagger.uses).toMatch(/^dagger\/dagger-for-github@v\d+\.\d+\.\d+$/);
      expect(Object.keys(dagger).filter((k) => !["uses", "with", "env"].includes(k))).toEqual([]);
      expect(Object.keys(dagger.with ?? {}).sort()).toEqual(["call", "version"]);
      expect(dagger.with?.version).toBe(ENGINE_VERSION);
      for (const value of Object.values(dagger.env ?? {})) expect(value).toMatch(/^\$\{\{ secrets\.[A-Z_]+ \}\}$/);
      const names = checkCall(dagger.with?.call ?? "");
      for (const name of names.filter((n) => PARAMS.get(n)?.secret)) {
        const variable = (dagger.with?.call ?? "").match(new RegExp(`--${name}=env://([A-Z_]+)`))?.[1] ?? "";
        expect(Object.keys(dagger.env ?? {}), `${id}: env for --${name}`).toContain(variable);
      }
    }
  });

  it("deploying jobs pass every argument; production runs under the production environment", () => {
    const calls = (job: Job) => checkCall((job.steps[1] as Step).with?.call ?? "").sort();
    expect(calls(wf.jobs.check as Job)).toEqual(["branch", "sha"]);
    expect(calls(wf.jobs.dev as Job)).toEqual([...FULL].sort());
    expect(calls(wf.jobs.production as Job)).toEqual([...FULL].sort());
    expect(wf.jobs.production?.environment).toBe("production");
    expect(String(wf.jobs.production?.if)).toContain("github.ref_name == 'main'");
    expect(String(wf.jobs.dev?.if)).toContain("github.ref_name == 'dev'");
  });
});

describe(".gitlab-ci.yml", () => {
  type Job = Record<string, unknown> & { script: string[]; environment?: { name: string } };
  const doc = parse(read(".gitlab-ci.yml")) as Record<string, unknown>;
  const globals = ["image", "services", "variables", "before_script"];
  const jobs = Object.fromEntries(Object.entries(doc).filter(([k]) => !globals.includes(k))) as Record<string, Job>;

  it("pins docker and the dagger CLI to the module's engine version and only installs it", () => {
    expect(doc.image).toMatch(/^docker:\d+\.\d+\.\d+-cli$/);
    expect(doc.services).toEqual([expect.stringMatching(/^docker:\d+\.\d+\.\d+-dind$/)]);
    expect((doc.variables as Record<string, string>).DAGGER_VERSION).toBe(ENGINE_VERSION.replace(/^v/, ""));
    expect(doc.before_script).toEqual(["wget -qO- https://dl.dagger.io/dagger/install.sh | BIN_DIR=/usr/local/bin sh"]);
  });

  it("each job is one dagger call ci with known flags", () => {
    expect(Object.keys(jobs).sort()).toEqual(["check", "dev", "production"]);
    for (const [id, job] of Object.entries(jobs)) {
      expect(Object.keys(job).filter((k) => !["stage", "rules", "script", "environment"].includes(k)), id).toEqual([]);
      expect(job.script).toHaveLength(1);
      const line = job.script[0] ?? "";
      expect(line.startsWith("dagger call ci ")).toBe(true);
      const names = checkCall(line.replace(/^dagger call /, "").replace(/"/g, ""));
      expect(names.slice(0, 2)).toEqual(["branch", "sha"]);
      expect(line).toContain('--branch="$CI_COMMIT_REF_NAME" --sha="$CI_COMMIT_SHA"');
    }
    expect(jobs.production?.environment?.name).toBe("production");
  });
});
