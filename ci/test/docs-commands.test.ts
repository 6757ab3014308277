/**
 * Every `dagger call …` command in the docs' code blocks goes through the module's own
 * argument validation: the function exists, each flag is one of its arguments, required
 * arguments are there, secrets are passed by reference, and the values pass the same checks
 * `dagger call` would run first. Shell substitutions get fixed stand-in values.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  validateCiArgs,
  validateClusterArgs,
  validateDeployArgs,
  validateEnvironment,
  validateImageLabels,
  validatePromoteArgs,
  validatePublishArgs,
  type ClusterArgs,
} from "../src/validate";
import { moduleFunctions, ROOT } from "./module-signature";

const DOCS = [
  "README.md",
  "ci/README.md",
  "docs/pipeline.md",
  "docs/operations.md",
  "docs/architecture.md",
  "k8s/README.md",
];

/** What a reader's shell would put in place of each substitution the docs use. */
const STAND_INS: Record<string, string> = {
  "$(git rev-parse HEAD)": "0123456789abcdef0123456789abcdef01234567",
  "$(git branch --show-current)": "feature/docs",
  "$(git log -1 --format=%cI)": "2025-06-01T12:00:00+02:00",
  $BRANCH: "main",
  $SHA: "0123456789abcdef0123456789abcdef01234567",
  $SOURCE_URL: "https://github.com/org/prestamos",
  $BUILD_DATE: "2025-06-01T12:00:00+02:00",
  "$(git rev-parse HEAD^{tree})": "9e1c5b0f2d7a4e3b8c6d1f0a2b3c4d5e6f708192",
  "$(git rev-parse --short HEAD)": "1a2b3c4",
  $TAG: "dev-1a2b3c4",
  $BACKEND_REF: "ghcr.io/org/prestamos/backend@sha256:1111111111111111111111111111111111111111111111111111111111111111",
  $FRONTEND_REF:
    "ghcr.io/org/prestamos/frontend@sha256:1111111111111111111111111111111111111111111111111111111111111111",
  $RUN_URL: "https://github.com/org/prestamos/actions/runs/1",
  $PORT: "32771",
};

/** CLI functions of Dagger core types a call may chain onto (not module functions). */
const CHAINED = new Set([
  "export",
  "export-image",
  "publish",
  "terminal",
  "stdout",
  "entries",
  "contents",
  "sync",
  "file",
]);

interface DocCommand {
  readonly file: string;
  readonly text: string;
}

/** Shell and YAML code blocks only: diagrams (```mermaid) mention `dagger call` in labels. */
const SHELL_FENCE = /^```(sh|bash|shell|console|yaml|yml)?\s*$/;

function commandsIn(file: string): DocCommand[] {
  const blocks: string[] = [];
  let open: { shell: boolean; lines: string[] } | undefined;
  for (const line of readFileSync(path.join(ROOT, file), "utf8").split("\n")) {
    if (line.trimStart().startsWith("```")) {
      if (open) {
        if (open.shell) blocks.push(open.lines.join("\n"));
        open = undefined;
      } else open = { shell: SHELL_FENCE.test(line.trim()), lines: [] };
    } else open?.lines.push(line);
  }
  const out: DocCommand[] = [];
  for (const block of blocks) {
    for (const line of block.replace(/\\\n\s*/g, " ").split("\n")) {
      if (line.trimStart().startsWith("#")) continue;
      // Each command of a `a && b && …` chain on its own.
      for (const part of line.split(/\s&&\s/)) {
        const at = part.indexOf("dagger call ");
        if (at >= 0)
          out.push({
            file,
            text: part
              .slice(at)
              .replace(/\s+#.*$/, "")
              .trim(),
          });
      }
    }
  }
  return out;
}

/** Shell words: double quotes group and are removed; $(…) stays one word. */
function words(command: string): string[] {
  const out: string[] = [];
  let current = "";
  let quoted = false;
  let depth = 0;
  for (const char of command) {
    if (char === '"' && depth === 0) quoted = !quoted;
    else if (char === "(" && current.endsWith("$")) ((depth += 1), (current += char));
    else if (char === ")" && depth > 0) ((depth -= 1), (current += char));
    else if (/\s/.test(char) && !quoted && depth === 0) {
      if (current) out.push(current);
      current = "";
    } else current += char;
  }
  if (current) out.push(current);
  return out;
}

function substitute(value: string): string {
  let out = value;
  for (const [from, to] of Object.entries(STAND_INS)) out = out.split(from).join(to);
  if (/\$/.test(out)) throw new Error(`no stand-in for ${value}: add one to STAND_INS or write a literal value`);
  return out;
}

/** Validates one command; returns the function it calls. */
function check(command: string): string {
  const functions = moduleFunctions();
  const argv = words(command).slice(2); // without `dagger call`
  while (argv[0]?.startsWith("-")) argv.shift(); // CLI flags such as -i
  const fn = argv.shift() ?? "";
  const params = functions.get(fn);
  if (!params) throw new Error(`${fn} is not a function of the module (${[...functions.keys()].join(", ")})`);
  const given = new Map<string, string>();
  while (argv.length > 0) {
    const word = argv.shift() as string;
    if (CHAINED.has(word)) break;
    if (word === "-o" || word === "--output") {
      argv.shift();
      continue;
    }
    const match = /^--([a-z][a-z-]*)(?:=(.*))?$/.exec(word);
    if (!match) throw new Error(`unexpected word ${word}`);
    const name = match[1] as string;
    const param = params.get(name);
    if (!param) throw new Error(`--${name} is not an argument of ${fn} (${[...params.keys()].join(", ")})`);
    // A boolean flag alone means true (`--dry-run`), as in the Dagger CLI.
    const value = match[2] ?? (param.type === "boolean" ? "true" : (argv.shift() as string));
    if (given.has(name)) throw new Error(`--${name} given twice`);
    if (param.secret) {
      if (!/^(env|file|cmd):\/\//.test(value))
        throw new Error(`--${name} must be a secret reference (env://, file://, cmd://), got ${value}`);
      given.set(name, value);
    } else given.set(name, substitute(value));
  }
  for (const [name, param] of params) if (!param.optional && !given.has(name)) throw new Error(`${fn} needs --${name}`);

  const get = (name: string) => given.get(name);
  const cluster: ClusterArgs = {
    hasAwsAccessKeyId: given.has("aws-access-key-id"),
    hasAwsSecretAccessKey: given.has("aws-secret-access-key"),
    hasAwsSessionToken: given.has("aws-session-token"),
    awsRegion: get("aws-region"),
    eksCluster: get("eks-cluster"),
    kubeContext: get("kube-context"),
    hasKubeApi: given.has("kube-api"),
    deployTimeout: get("deploy-timeout") ?? get("timeout"),
  };
  const kubeApi = get("kube-api");
  if (kubeApi !== undefined && !/^tcp:\/\/[a-z0-9.-]+:\d{1,5}$/.test(kubeApi))
    throw new Error(`--kube-api ${kubeApi} is not tcp://host:port`);
  if (fn === "ci") {
    validateCiArgs({
      branch: get("branch"),
      sha: get("sha"),
      version: get("version"),
      sourceUrl: get("source-url"),
      buildDate: get("build-date"),
      registry: get("registry"),
      registryUsername: get("registry-username"),
      hasRegistryPassword: given.has("registry-password"),
      hasKubeconfig: given.has("kubeconfig"),
      hasSlackWebhook: given.has("slack-webhook"),
      cluster,
      runUrl: get("run-url"),
      hasCosignKey: given.has("cosign-key"),
      hasCosignPassword: given.has("cosign-password"),
    });
  } else if (fn === "deploy") {
    validateDeployArgs({
      environment: get("environment") ?? "",
      sha: get("sha") ?? "",
      backendImage: get("backend-image") ?? "",
      frontendImage: get("frontend-image") ?? "",
      cluster,
    });
  } else if (fn === "status") {
    validateEnvironment(get("environment") ?? "");
    validateClusterArgs(cluster, true);
  } else if (fn === "promote") {
    validatePromoteArgs({
      registry: get("registry") ?? "",
      registryUsername: get("registry-username") ?? "",
      tree: get("tree"),
      commit: get("commit"),
    });
    validateClusterArgs(cluster, true);
  } else if (fn === "publish") {
    validatePublishArgs({
      registry: get("registry"),
      username: get("registry-username"),
      hasPassword: given.has("registry-password"),
      sha: get("sha"),
      branch: get("branch"),
      sourceUrl: get("source-url"),
      buildDate: get("build-date"),
    });
  } else if (fn === "backend" || fn === "frontend") {
    validateImageLabels({
      sha: get("sha"),
      version: get("version"),
      sourceUrl: get("source-url"),
      buildDate: get("build-date"),
    });
  }
  return fn;
}

const ALL = DOCS.flatMap(commandsIn);

describe("dagger call commands in the docs", () => {
  it("finds the documented commands", () => {
    const called = new Set(ALL.map((c) => check(c.text)));
    for (const fn of [
      "lint",
      "test",
      "test-reports",
      "manifests",
      "scan-config",
      "scan-images",
      "smoke",
      "backend",
      "frontend",
      "publish",
      "ci",
      "deploy",
      "status",
      "promote",
    ])
      expect(called, fn).toContain(fn);
  });

  it.each(ALL.map((c) => [`${c.file}: ${c.text}`, c] as const))("%s", (_name, c) => {
    expect(() => check(c.text)).not.toThrow();
  });

  it("rejects what the module would reject", () => {
    expect(() =>
      check(
        "dagger call ci --registry=111122223333.dkr.ecr.us-east-1.amazonaws.com --registry-username=AWS --registry-password=env://P --sha=$SHA --branch=$BRANCH --source-url=$SOURCE_URL --build-date=$BUILD_DATE",
      ),
    ).toThrow(/not a registry address/);
    expect(() =>
      check("dagger call ci --registry-password=hunter2 --registry=ghcr.io/a/b --registry-username=u"),
    ).toThrow(/secret reference/);
    expect(() => check("dagger call deploy")).toThrow(/deploy needs --environment/);
    expect(() => check("dagger call release")).toThrow(/not a function/);
    expect(() =>
      check(
        `dagger call deploy --environment=prod --backend-image=ghcr.io/a/b/backend:1a2b3c4 --frontend-image=ghcr.io/a/b/frontend:1a2b3c4 --sha=$SHA --kubeconfig=env://K`,
      ),
    ).toThrow(/has no digest/);
    expect(() => check("dagger call ci --branch=dev --kube-api=tcp://localhost:8443")).toThrow(
      /--kube-api need\(s\) --kubeconfig/,
    );
    expect(() =>
      check(
        "dagger call promote --registry=ghcr.io/a/b --registry-username=u --registry-password=env://P --kubeconfig=env://K",
      ),
    ).toThrow(/give exactly one of --tree/);
    expect(() => check("dagger call publish --registry=ghcr.io/a/b")).toThrow(/publish needs --registry-username/);
  });
});
