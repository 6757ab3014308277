/**
 * Keeps the CI YAML thin, safe and in step with the module: checkout, (deploying jobs:
 * short-lived AWS credentials from OIDC), one `dagger call ci` per job, (deploying jobs:
 * the artifacts kept), with flags that exist on `ci`, every `${{ }}` value passed through
 * `env:` (never pasted into `call`, which the action runs in bash), only trusted context
 * values, secrets as env:// references, third-party actions pinned by commit, trigger rules
 * that never run the gate twice for one change, and the CLI pinned to the module's engineVersion.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { moduleFunctions, ROOT, sourceIgnoreList } from "./module-signature";

const read = (p: string) => readFileSync(path.join(ROOT, p), "utf8");

const ENGINE_VERSION = (JSON.parse(read("dagger.json")) as { engineVersion: string }).engineVersion;
const CI_PARAMS = moduleFunctions().get("ci") ?? new Map();

/** Flags of the deploying jobs; production (EKS) adds its AWS access. */
const FULL = [
  "branch",
  "sha",
  "source-url",
  "build-date",
  "run-url",
  "registry",
  "registry-username",
  "registry-password",
  "kubeconfig",
  "slack-webhook",
];
const EKS = ["aws-access-key-id", "aws-secret-access-key", "aws-session-token", "aws-region", "eks-cluster"];
const flagsFor = (id: string) => (id === "production" ? [...FULL, ...EKS] : FULL);
/** What the deploying jobs' `call` ends with: the returned Directory written to ci-out/. */
const EXPORT = "export --path=ci-out";
/** The variables configure-aws-credentials (GitHub) or the assume-role line (GitLab) exports. */
const AWS_EXPORTS = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"];

/**
 * Splits a `ci …` call into flag → value (quotes removed). Values may be "$VARIABLE"
 * references, env:// secret references or literals. A trailing `export --path=ci-out`
 * (writing the returned artifacts) is allowed.
 */
function flagsOf(call: string): Map<string, string> {
  const words = call
    .trim()
    .replace(new RegExp(`\\s+${EXPORT}$`), "")
    .split(/\s+/);
  expect(words[0]).toBe("ci");
  const flags = new Map<string, string>();
  for (const word of words.slice(1)) {
    const match = /^--([a-z][a-z-]*)=(.*)$/.exec(word);
    expect(match, `flag ${word}`).not.toBeNull();
    const [, name = "", raw = ""] = match ?? [];
    expect(CI_PARAMS.has(name), `--${name} is not an argument of ci (${[...CI_PARAMS.keys()].join(", ")})`).toBe(true);
    expect(flags.has(name), `--${name} twice`).toBe(false);
    const value = raw.replace(/^"(.*)"$/, "$1");
    if (CI_PARAMS.get(name)?.secret)
      expect(value, `--${name} must be an env:// reference`).toMatch(/^env:\/\/[A-Z_][A-Z0-9_]*$/);
    flags.set(name, value);
  }
  return flags;
}

describe("module signature", () => {
  it("ci exposes the arguments the YAML relies on", () => {
    expect([...CI_PARAMS.keys()]).toEqual([
      "branch",
      "sha",
      "version",
      "source-url",
      "build-date",
      "registry",
      "registry-username",
      "registry-password",
      "kubeconfig",
      "slack-webhook",
      "aws-access-key-id",
      "aws-secret-access-key",
      "aws-session-token",
      "aws-region",
      "eks-cluster",
      "kube-context",
      "kube-api",
      "deploy-timeout",
      "run-url",
      "cosign-key",
      "cosign-password",
      "git",
    ]);
    expect([...CI_PARAMS].filter(([, v]) => v.secret).map(([k]) => k)).toEqual([
      "registry-password",
      "kubeconfig",
      "slack-webhook",
      "aws-access-key-id",
      "aws-secret-access-key",
      "aws-session-token",
      "cosign-key",
      "cosign-password",
    ]);
  });
  it("pins a v-prefixed engine version", () => expect(ENGINE_VERSION).toMatch(/^v\d+\.\d+\.\d+$/));
  it("leaves tool caches and local state out of the module's source", () => {
    expect(sourceIgnoreList()).toEqual(
      expect.arrayContaining([".cache", "**/node_modules", ".venv", ".git", "reports", ".env", "ci/sdk"]),
    );
  });
});

describe(".github/workflows/ci.yml", () => {
  type Step = Record<string, unknown> & { uses?: string; with?: Record<string, string>; env?: Record<string, string> };
  type Job = Record<string, unknown> & { steps: Step[]; environment?: string; if?: string };
  const wf = parse(read(".github/workflows/ci.yml")) as Record<string, unknown> & {
    jobs: Record<string, Job>;
    on: Record<string, unknown>;
  };
  const dagger = (job: Job) => job.steps.find((s) => s.uses?.startsWith("dagger/dagger-for-github@")) as Step;
  const deploying = ["dev", "production"];

  /** Context values that no pull-request author can choose. */
  const TRUSTED = [
    /^github\.sha$/,
    /^github\.ref_name$/,
    /^github\.server_url$/,
    /^github\.repository$/,
    /^github\.actor$/,
    /^github\.event\.head_commit\.timestamp$/,
    /^github\.run_id$/,
    /^vars\.[A-Z_]+$/,
    /^secrets\.[A-Z_]+$/,
  ];

  it("has only plain workflow keys; every push and every pull request triggers", () => {
    expect(Object.keys(wf).every((k) => ["name", "on", "permissions", "concurrency", "jobs"].includes(k))).toBe(true);
    expect(wf.on).toEqual({ push: null, pull_request: null });
  });

  it("runs exactly one job per commit: check for other pushes and fork pull requests, dev or production for pushes", () => {
    expect(wf.jobs.check?.if).toBe(
      "(github.event_name == 'push' && github.ref_name != 'dev' && github.ref_name != 'main') || " +
        "(github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name != github.repository)",
    );
    expect(wf.jobs.dev?.if).toBe("github.event_name == 'push' && github.ref_name == 'dev'");
    expect(wf.jobs.production?.if).toBe("github.event_name == 'push' && github.ref_name == 'main'");
    expect(Object.keys(wf.jobs).sort()).toEqual(["check", "dev", "production"]);
  });

  it("each job is checkout (+ OIDC credentials) + one pinned dagger-for-github step calling ci (+ its artifacts)", () => {
    const allowedJobKeys = ["name", "if", "runs-on", "timeout-minutes", "environment", "permissions", "steps"];
    for (const [id, job] of Object.entries(wf.jobs)) {
      expect(
        Object.keys(job).filter((k) => !allowedJobKeys.includes(k)),
        id,
      ).toEqual([]);
      const uses = job.steps.map((s) => (s.uses ?? "").replace(/@.*$/, ""));
      const expected =
        id === "production"
          ? [
              "actions/checkout",
              "aws-actions/configure-aws-credentials",
              "dagger/dagger-for-github",
              "actions/upload-artifact",
            ]
          : id === "dev"
            ? ["actions/checkout", "dagger/dagger-for-github", "actions/upload-artifact"]
            : ["actions/checkout", "dagger/dagger-for-github"];
      expect(uses, id).toEqual(expected);
      const checkout = job.steps[0] as Step;
      expect(Object.keys(checkout)).toEqual(["uses"]);
      expect(checkout.uses).toMatch(/^actions\/checkout@v\d+$/);
      const step = dagger(job);
      expect(step.uses).toMatch(/^dagger\/dagger-for-github@v\d+\.\d+\.\d+$/);
      expect(Object.keys(step).filter((k) => !["uses", "with", "env"].includes(k))).toEqual([]);
      expect(Object.keys(step.with ?? {}).sort()).toEqual(["call", "version"]);
      expect(step.with?.version).toBe(ENGINE_VERSION);
      expect(
        job.steps.some((s) => "run" in s),
        `${id}: no shell step`,
      ).toBe(false);
    }
  });

  it("production (EKS) gets short-lived AWS credentials from OIDC with a pinned action; deploying jobs keep the artifacts", () => {
    const raw = read(".github/workflows/ci.yml");
    const production = wf.jobs.production as Job;
    expect((production.permissions as Record<string, string>)["id-token"]).toBe("write");
    const aws = production.steps[1] as Step;
    // Third-party actions are pinned by commit (a tag can be moved), with the version beside it.
    expect(aws.uses).toMatch(/^aws-actions\/configure-aws-credentials@[0-9a-f]{40}$/);
    expect(raw).toContain(`${aws.uses} # v`);
    expect(Object.keys(aws).sort()).toEqual(["uses", "with"]);
    expect(aws.with).toEqual({
      "role-to-assume": "${{ vars.AWS_DEPLOY_ROLE_ARN }}",
      "aws-region": "${{ vars.AWS_REGION }}",
      "role-session-name": "prestamos-ci-production",
    });
    // EKS: the kubeconfig holds no credential (a variable); challenge-dev is not on EKS: a stored kubeconfig, no OIDC.
    expect(dagger(production).env?.KUBECONFIG_CONTENT).toBe("${{ vars.KUBECONFIG_CONTENT }}");
    expect((wf.jobs.dev?.permissions as Record<string, string>)["id-token"]).toBeUndefined();
    expect(dagger(wf.jobs.dev as Job).env?.KUBECONFIG_CONTENT).toBe("${{ secrets.KUBECONFIG_CONTENT }}");
    for (const id of deploying) {
      const job = wf.jobs[id] as Job;
      const upload = job.steps.at(-1) as Step;
      expect(upload.uses).toMatch(/^actions\/upload-artifact@[0-9a-f]{40}$/);
      expect(upload.if).toBe("always()");
      expect(upload.with).toMatchObject({ path: "ci-out", "if-no-files-found": "ignore" });
      expect(dagger(job).with?.call?.endsWith(` ${EXPORT}`)).toBe(true);
    }
    expect((wf.jobs.check?.permissions as Record<string, string> | undefined)?.["id-token"]).toBeUndefined();
    // main publishes nothing (it promotes dev's images): read access to the registry is enough.
    expect((wf.jobs.production?.permissions as Record<string, string>).packages).toBe("read");
    expect((wf.jobs.dev?.permissions as Record<string, string>).packages).toBe("write");
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
        expect(value.replace(/\$\{\{[^}]*\}\}/g, ""), `${id}: env ${name}`).toMatch(/^(\/?|\/\/actions\/runs\/)$/);
        for (const expression of expressions)
          expect(
            TRUSTED.some((re) => re.test(expression)),
            `${id}: env ${name} uses ${expression}`,
          ).toBe(true);
      }
      // Every "$VARIABLE" the call uses is one of the step's env entries.
      for (const [, variable] of call.matchAll(/\$([A-Z_][A-Z0-9_]*)/g))
        expect(Object.keys(env), `${id}: $${variable}`).toContain(variable);
      // env:// names come from the step's env:, or (AWS credentials) from the OIDC step before it.
      const exported = job.steps.some((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"))
        ? AWS_EXPORTS
        : [];
      for (const [, variable] of call.matchAll(/env:\/\/([A-Z_][A-Z0-9_]*)/g))
        expect([...Object.keys(env), ...exported], `${id}: env://${variable}`).toContain(variable);
    }
  });

  it("check passes the ref name and the checked-out commit, never a fork's branch name", () => {
    const step = dagger(wf.jobs.check as Job);
    const flags = flagsOf(step.with?.call ?? "");
    expect([...flags.keys()]).toEqual(["branch", "sha"]);
    expect(flags.get("branch")).toBe("$BRANCH");
    expect(flags.get("sha")).toBe("$SHA");
    // On pull_request events ref_name is `<number>/merge`; head_ref (the fork's branch) is never used.
    expect(step.env).toEqual({ BRANCH: "${{ github.ref_name }}", SHA: "${{ github.sha }}" });
  });

  it("deploying jobs pass every argument under their environment", () => {
    for (const [id, environment, branch] of [
      ["dev", "development", "dev"],
      ["production", "production", "main"],
    ] as const) {
      const job = wf.jobs[id] as Job;
      const step = dagger(job);
      expect([...flagsOf(step.with?.call ?? "").keys()].sort(), id).toEqual([...flagsFor(id)].sort());
      expect(job.environment).toBe(environment);
      expect(job.if).toContain(`github.ref_name == '${branch}'`);
      expect(step.env?.BRANCH).toBe("${{ github.ref_name }}");
      expect(step.env?.SOURCE_URL).toBe("${{ github.server_url }}/${{ github.repository }}");
      expect(step.env?.BUILD_DATE).toBe("${{ github.event.head_commit.timestamp }}");
      for (const name of AWS_EXPORTS)
        expect(step.env?.[name], `${id}: ${name} must come from the OIDC step, not a stored secret`).toBeUndefined();
    }
  });
});

describe(".gitlab-ci.yml", () => {
  type Job = Record<string, unknown> & {
    script: string[];
    extends?: string;
    environment?: { name: string };
    rules?: Array<{ if: string; when?: string }>;
    id_tokens?: Record<string, { aud: string }>;
    artifacts?: { when: string; paths: string[] };
  };
  const text = read(".gitlab-ci.yml");
  const doc = parse(text) as Record<string, unknown> & { workflow: { rules: Array<{ if: string; when?: string }> } };
  const globals = ["image", "services", "variables", "before_script", "workflow"];
  const templates = Object.fromEntries(Object.entries(doc).filter(([k]) => k.startsWith("."))) as Record<string, Job>;
  const defined = Object.fromEntries(
    Object.entries(doc).filter(([k]) => !globals.includes(k) && !k.startsWith(".")),
  ) as Record<string, Job>;
  /** Jobs with their `extends` template merged in (one level, as these jobs use it). */
  const jobs = Object.fromEntries(
    Object.entries(defined).map(([id, job]) => [id, { ...(job.extends ? templates[job.extends] : {}), ...job } as Job]),
  );
  const dagger = (job: Job) => job.script.find((line) => line.startsWith("dagger call ")) ?? "";

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
    expect(Object.keys(templates)).toEqual([]);
    for (const [id, job] of Object.entries(jobs)) {
      expect(
        Object.keys(job).filter(
          (k) => !["stage", "rules", "script", "environment", "extends", "id_tokens", "artifacts"].includes(k),
        ),
        id,
      ).toEqual([]);
      expect(
        job.script.filter((line) => line.startsWith("dagger ")),
        id,
      ).toHaveLength(1);
      const line = dagger(job).replace(new RegExp(`\\s+${EXPORT}$`), "");
      for (const flag of line.replace(/^dagger call ci /, "").split(/\s+/))
        expect(flag, `${id}: ${flag}`).toMatch(/^--[a-z-]+=("\$[A-Z_]+"|env:\/\/[A-Z_]+)$/);
      const flags = flagsOf(dagger(job).replace(/^dagger call /, ""));
      expect([...flags.keys()].slice(0, 2)).toEqual(["branch", "sha"]);
      expect(flags.get("branch")).toBe("$CI_COMMIT_REF_NAME");
    }
    expect(jobs.check?.script).toHaveLength(1);
    for (const id of ["dev", "production"]) {
      expect([...flagsOf(dagger(jobs[id] as Job).replace(/^dagger call /, "")).keys()].sort(), id).toEqual(
        [...flagsFor(id)].sort(),
      );
    }
    expect(jobs.dev?.environment?.name).toBe("development");
    expect(jobs.production?.environment?.name).toBe("production");
  });

  it("production exchanges a GitLab OIDC token for short-lived AWS credentials; deploying jobs keep the artifacts", () => {
    for (const id of ["dev", "production"])
      expect(jobs[id]?.artifacts, id).toEqual({ when: "always", paths: ["ci-out/"] });
    expect(jobs.dev?.id_tokens).toBeUndefined();
    expect(jobs.dev?.script).toHaveLength(1);
    for (const id of ["production"]) {
      const job = jobs[id] as Job;
      expect(job.id_tokens).toEqual({ AWS_ID_TOKEN: { aud: "sts.amazonaws.com" } });
      const [install, assume, exported, call = ""] = job.script;
      expect(install).toBe("apk add --no-cache aws-cli");
      expect(assume).toMatch(
        /^CREDENTIALS="\$\(aws sts assume-role-with-web-identity --role-arn "\$AWS_DEPLOY_ROLE_ARN" .*--web-identity-token "\$AWS_ID_TOKEN" --duration-seconds 3600 .*--output text\)"$/,
      );
      expect(exported).toBe(
        'export $(printf "AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s AWS_SESSION_TOKEN=%s" $CREDENTIALS)',
      );
      expect(call).toBe(dagger(job));
      expect(call.endsWith(` ${EXPORT}`)).toBe(true);
      for (const name of AWS_EXPORTS) expect(call).toContain(`=env://${name}`);
      expect(job.artifacts).toEqual({ when: "always", paths: ["ci-out/"] });
    }
    expect(jobs.check?.id_tokens).toBeUndefined();
  });
});
