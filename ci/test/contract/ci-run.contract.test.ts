/**
 * Contract tests of the `ci` wiring: the real module class through the real SDK against the
 * engine double, for each kind of run. A release (dev): gate → publish → deploy dev with the
 * published digests → release record, published only after dev's deploy and smoke test. A
 * promotion (main): dev's record looked up by tree hash, its digests deployed to prod, no
 * image built or published. Every refusal, the scan step in the gate, one Slack message.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

import { dag, type Directory, type Secret } from "@dagger.io/dagger";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { CLI_COMMAND } from "../../src/deploy/args";
import { Prestamos } from "../../src/index";
import { parseReleaseRecord } from "../../src/release/parse-record";
import { serializeRecord } from "../../src/release/record";
import { devRecord, REGISTRY, TREE } from "../release/fixtures";
import { callCi, ciAnswers, deployLog, isDeployerExec, renderOverlays, SHA, type Scenario } from "./ci-answers";
import { EngineDouble, type EngineDoubleOptions, type RecordedQuery, type Step } from "./engine-double";
import { session } from "./session";

const SOURCE_URL = "https://github.com/acme/prestamos";
const BUILD_DATE = "2026-05-01T10:00:00Z";
const RUN_URL = "https://github.com/acme/prestamos/actions/runs/123456789";
const SECRETS = {
  "registry-password": "registry-password-KNOWN-3f9c",
  kubeconfig: "apiVersion: v1\nkind: Config\nusers:\n- name: ci\n  user:\n    token: kube-token-KNOWN-77ab12cd",
  "aws-key-id": "ASIAKNOWNKEY00000001",
  "aws-secret": "aws-secret-KNOWN-0123456789abcdef0123456789abcdef01",
  "aws-token": "aws-session-KNOWN-token-value-1234567890",
  "cosign-key":
    "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nKNOWN-cosign\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----",
  "cosign-password": "cosign-password-KNOWN-99",
} as const;
const DEPLOY_FAILURE = [
  "deploy FAILED [smoke]: smoke test failed: backend /readyz answered 503; rolled back to v2 (commit 0f0f0f0)",
  "  event Pod/backend-7c9: Unhealthy: Readiness probe failed",
  `  log backend-7c9/backend: could not connect with token ${SECRETS.kubeconfig.split("token: ")[1]}`,
].join("\n");

let slackBodies: unknown[] = [];
let slackUrl = "";
let slackServer: http.Server;
let double: EngineDouble;

beforeAll(async () => {
  await renderOverlays();
  slackServer = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      slackBodies.push(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((r) => slackServer.listen(0, "127.0.0.1", r));
  slackUrl = `http://127.0.0.1:${(slackServer.address() as AddressInfo).port}/services/T000/B000/XXXX`;
}, 120_000);

afterAll(async () => new Promise<void>((r) => slackServer.close(() => r())));

afterEach(async () => {
  await double?.stop();
  slackBodies = [];
  vi.restoreAllMocks();
});

async function startDouble(scenario: Scenario = {}, options: EngineDoubleOptions = {}): Promise<EngineDouble> {
  double = new EngineDouble({
    plaintextAllowed: [...Object.keys(SECRETS), "slack-webhook"],
    ...ciAnswers(scenario, () => double),
    ...options,
  });
  await double.start();
  return double;
}

const repo = (): Directory => dag.host().directory("/repo");
const secret = (name: keyof typeof SECRETS): Secret => dag.setSecret(name, SECRETS[name]);

interface CiOptions {
  branch?: string;
  sha?: string;
  registry?: boolean;
  kubeconfig?: boolean;
  slack?: boolean;
  aws?: boolean;
  cosign?: boolean;
  deployTimeout?: string;
}

/** `ci` as the CI files call it: publishing arguments, the checkout as --git, run URL. */
function ci(o: CiOptions = {}): Promise<Directory> {
  const registry = o.registry ?? true;
  const aws = o.aws
    ? {
        "aws-access-key-id": secret("aws-key-id"),
        "aws-secret-access-key": secret("aws-secret"),
        "aws-session-token": secret("aws-token"),
        "aws-region": "us-east-1",
        "eks-cluster": "prestamos",
      }
    : {};
  return callCi(new Prestamos(repo()), {
    branch: o.branch ?? "dev",
    sha: o.sha ?? SHA,
    "source-url": SOURCE_URL,
    "build-date": BUILD_DATE,
    ...(registry
      ? { registry: REGISTRY, "registry-username": "octocat", "registry-password": secret("registry-password") }
      : {}),
    kubeconfig: o.kubeconfig ? secret("kubeconfig") : undefined,
    "slack-webhook": o.slack ? dag.setSecret("slack-webhook", slackUrl) : undefined,
    ...aws,
    "deploy-timeout": o.deployTimeout,
    "run-url": RUN_URL,
    ...(o.cosign ? { "cosign-key": secret("cosign-key"), "cosign-password": secret("cosign-password") } : {}),
    git: dag.git("https://github.com/acme/prestamos.git"),
  });
}

/** Runs `ci` to completion: the summary (printed once) and the returned Directory's chain. */
async function run(o: CiOptions = {}): Promise<{ summary: string; artifacts: readonly Step[] }> {
  const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
  const id = await session(async () => (await ci(o)).id());
  expect(log).toHaveBeenCalledTimes(1);
  return { summary: String(log.mock.calls[0]?.[0]), artifacts: double.chainOf(id) };
}

async function failure(o: CiOptions = {}): Promise<string> {
  const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
  const error = await session(() => ci(o)).then(
    () => {
      throw new Error("expected ci to fail");
    },
    (e: unknown) => e as Error,
  );
  expect(log).not.toHaveBeenCalled();
  return error.message;
}

const steps = (chain: readonly Step[], field: string): Step[] => chain.filter((s) => s.field === field);

/** Every step of a chain and of the chains behind the ids in its arguments. */
function deepSteps(chain: readonly Step[], seen = new Set<string>()): Step[] {
  return chain.flatMap((s) => [
    s,
    ...Object.values(s.args).flatMap((v) =>
      double.isId(v) && !seen.has(v) ? (seen.add(v), deepSteps(double.chainOf(v), seen)) : [],
    ),
  ]);
}

const published = (): RecordedQuery[] => double.queries.filter((q) => q.leaf === "publish");
const publishedTo = (prefix: string): string[] =>
  published()
    .map((q) => String(q.path.at(-1)?.args.address))
    .filter((a) => a.startsWith(prefix));
const deployExecs = (): RecordedQuery[] =>
  double.queries.filter((q) => steps(q.path, "withExec").some((s) => isDeployerExec(s.args.args as string[])));
const argvOf = (q: RecordedQuery): string[] =>
  steps(q.path, "withExec")
    .map((s) => s.args.args as string[])
    .find(isDeployerExec) ?? [];
const flag = (argv: readonly string[], name: string): string | undefined => argv[argv.indexOf(name) + 1];
const file = (artifacts: readonly Step[], path: string): string | undefined =>
  steps(artifacts, "withNewFile").find((s) => s.args.path === path)?.args.contents as string | undefined;

describe("ci: a check (no registry)", () => {
  it("runs the gate with the image scan, publishes and deploys nothing, reads no git facts and no secret", async () => {
    await startDouble();
    const { summary, artifacts } = await run({ registry: false, sha: undefined });
    for (const step of [
      "lint",
      "test",
      "build-backend",
      "build-frontend",
      "manifests",
      "scan-config",
      "scan-images",
      "smoke",
    ]) {
      expect(summary).toMatch(new RegExp(`^${step} +passed +\\d`, "m"));
    }
    expect(summary).toMatch(
      /^scan-images +passed .* backend: passed \(0 fixable HIGH\/CRITICAL, 0 unfixed\); frontend: passed/m,
    );
    expect(summary).toMatch(/^publish +skipped \(no registry credentials\)/m);
    expect(summary).toMatch(/^deploy +skipped \(branch dev does not deploy|^deploy +skipped \(no --kubeconfig\)/m);
    expect(published()).toEqual([]);
    expect(
      double.queries.some((q) => steps(q.path, "withExec").some((s) => (s.args.args as string[])[3] === "git-facts")),
    ).toBe(false);
    expect(double.queries.filter((q) => q.leaf === "plaintext")).toEqual([]);
    expect(file(artifacts, "summary.txt")).toBe(`${summary}\n`);
    expect(file(artifacts, "release.json")).toBeUndefined();
  });

  it("scans both built images with the gate's pinned Trivy: report and SBOM per image, in the artifacts", async () => {
    await startDouble();
    const { artifacts } = await run({ registry: false, sha: undefined });
    const trivy = double.queries.filter(
      (q) =>
        q.leaf === "contents" && q.path.some((s) => s.field === "from" && s.args.address === "aquasec/trivy:0.44.1"),
    );
    const argv = trivy.map((q) => steps(q.path, "withExec").at(-1)?.args.args as string[]);
    expect(argv).toContainEqual([
      "trivy",
      "image",
      "--input",
      "/scan/backend.tar",
      "--scanners",
      "vuln",
      "--format",
      "json",
      "--output",
      "/scan/backend-trivy.json",
      "--exit-code",
      "0",
      "--no-progress",
    ]);
    expect(argv).toContainEqual([
      "trivy",
      "image",
      "--input",
      "/scan/frontend.tar",
      "--format",
      "cyclonedx",
      "--output",
      "/scan/frontend.cdx.json",
      "--no-progress",
    ]);
    for (const q of trivy)
      expect(double.render(q.path)).toMatch(
        /withMountedFile\(path: "\/scan\/(backend|frontend)\.tar", source: <.*dockerBuild\(dockerfile: "(backend|frontend)\.Dockerfile".*\.asTarball>/,
      );
    expect(steps(artifacts, "withDirectory").find((s) => s.args.path === "scan")).toBeDefined();
  });

  it("fails scan-images on a fixable HIGH/CRITICAL vulnerability and blocks publish", async () => {
    await startDouble({ trivy: { backend: "fixable-high.json" } });
    const message = await failure({ branch: "feature/x" });
    expect(message).toMatch(/^scan-images +failed .* fixable HIGH\/CRITICAL vulnerabilities$/m);
    expect(message).toMatch(/^publish +skipped \(gate failed\)/m);
    expect(message).toMatch(
      /scan-images output \(last lines\):\n {2}fixable HIGH\/CRITICAL vulnerabilities\n {2}backend: failed \(\d+ fixable HIGH\/CRITICAL: CVE-/,
    );
    expect(published()).toEqual([]);
  });
});

describe("ci: a release on dev", () => {
  it("deploys dev after publish, with the published digests, then publishes the record; one Slack message", async () => {
    await startDouble();
    const { summary, artifacts } = await run({ kubeconfig: true, slack: true, aws: true, deployTimeout: "12m" });

    // Publish after the gate, deploy after publish, the record after the deploy.
    const images = published().filter((q) => !String(q.path.at(-1)?.args.address).includes("/releases:"));
    expect(images).toHaveLength(4);
    const [deploy] = deployExecs();
    expect(deployExecs()).toHaveLength(1);
    expect(deploy?.start).toBeGreaterThanOrEqual(Math.max(...images.map((q) => q.end)));
    const record = published().filter((q) => String(q.path.at(-1)?.args.address).includes("/releases:"));
    expect(record.map((q) => q.path.at(-1)?.args.address)).toEqual([`${REGISTRY}/releases:tree-${TREE}`]);
    expect(record[0]?.start).toBeGreaterThanOrEqual(deploy?.end ?? Infinity);

    // The deployer gets the digests publish returned, the environment, the commit and the EKS access.
    const argv = argvOf(deploy as RecordedQuery);
    expect(argv.slice(0, CLI_COMMAND.length)).toEqual([...CLI_COMMAND]);
    const digest = (image: string) =>
      images.map((q) => String(q.path.at(-1)?.args.address)).find((a) => a.startsWith(`${REGISTRY}/${image}:`));
    expect(flag(argv, "--environment")).toBe("dev");
    expect(flag(argv, "--backend-image")).toMatch(new RegExp(`^${REGISTRY}/backend@sha256:[0-9a-f]{64}$`));
    expect(flag(argv, "--frontend-image")).toMatch(new RegExp(`^${REGISTRY}/frontend@sha256:[0-9a-f]{64}$`));
    expect(digest("backend")).toBeDefined();
    expect(flag(argv, "--commit")).toBe(SHA);
    expect([flag(argv, "--eks-cluster"), flag(argv, "--aws-region"), flag(argv, "--timeout")]).toEqual([
      "prestamos",
      "us-east-1",
      "12m",
    ]);
    expect(steps(deploy?.path ?? [], "withSecretVariable").map((s) => s.args.name)).toEqual([
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
      "AWS_SESSION_TOKEN",
    ]);
    // The overlay it applies was rendered with those digests pinned.
    const renders = double.queries.filter(
      (q) => q.leaf === "stdout" && steps(q.path, "withExec").some((s) => (s.args.args as string[])[1] === "kustomize"),
    );
    const devRender = renders.find((q) => double.render(q.path).includes("k8s/overlays/dev/kustomization.yaml"));
    expect(double.render(devRender?.path ?? [])).toContain(`digest: ${flag(argv, "--backend-image")?.split("@")[1]}`);

    // Summary: every step with its outcome; the deploy's line; the record's reference.
    expect(summary).toMatch(
      /^prestamos CI PASSED \(branch dev, commit 1a2b3c4, environment development \(challenge-dev\)\)$/m,
    );
    expect(summary).toMatch(/^deploy +passed +[\d.]+m?s +deployed v3 \(commit 1a2b3c4\) to challenge-dev in 61\.2s$/m);
    expect(summary).toMatch(
      new RegExp(`^record +passed .* published ${REGISTRY}/releases:tree-${TREE}@sha256:[0-9a-f]{64}$`, "m"),
    );
    expect(summary).toMatch(/^slack: sent$/m);

    // The record: what was published is what the run returns, and promotion would accept it.
    const pushed = steps(record[0]?.path ?? [], "withNewFile")[0]?.args.contents as string;
    expect(file(artifacts, "release.json")).toBe(pushed);
    const parsed = parseReleaseRecord(pushed);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.record.git).toEqual({
      commit: SHA,
      tree: TREE,
      branch: "dev",
      author: "Ada Lovelace <ada@example.com>",
    });
    expect(parsed.record.deployment).toMatchObject({
      environment: "dev",
      namespace: "challenge-dev",
      outcome: "succeeded",
      smokeTest: "passed",
    });
    expect(parsed.record.images.backend.reference).toBe(flag(argv, "--backend-image"));
    expect(parsed.record.steps.map((s) => s.name)).toEqual([
      "lint",
      "test",
      "build-backend",
      "build-frontend",
      "manifests",
      "scan-config",
      "scan-images",
      "smoke",
      "publish",
      "deploy",
    ]);
    expect(parsed.record.tests.reports.map((r) => r.file)).toEqual([
      "backend-postgres-junit.xml",
      "frontend-junit.xml",
      "ci-junit.xml",
      "k8s-junit.xml",
      "platform-junit.xml",
      "docs-junit.xml",
    ]);
    expect(parsed.record.tests.total).toBe(parsed.record.tests.reports.reduce((sum, r) => sum + r.total, 0));
    expect(parsed.record.run.url).toBe(RUN_URL);
    expect(file(artifacts, "deploy-challenge-dev.log")).toBe(deployLog("challenge-dev"));
    expect(JSON.parse(file(artifacts, "badge-challenge-dev.json") ?? "{}")).toMatchObject({
      label: "challenge-dev",
      message: expect.stringMatching(/^1a2b3c4 · \d{4}-\d\d-\d\d$/),
      color: "brightgreen",
    });

    // One Slack message; secrets read only once the deploy is over, to scrub the record and the report; no secret value in any other query.
    expect(slackBodies).toHaveLength(1);
    expect(JSON.stringify(slackBodies[0])).toContain("deployed v3 (commit 1a2b3c4) to challenge-dev");
    const reads = double.queries.filter((q) => q.leaf === "plaintext");
    expect(Math.min(...reads.map((q) => q.start))).toBeGreaterThanOrEqual(deploy?.end ?? Infinity);
    expect(reads.length).toBeGreaterThan(0);
    for (const value of Object.values(SECRETS)) {
      for (const q of double.queries.filter((x) => x.text.includes(value))) {
        expect(q.path[0]?.field).toBe("setSecret");
        expect(["id", "plaintext"]).toContain(q.leaf);
      }
    }
  });

  it("a failed deploy: the CLI's error lines in the summary and Slack (scrubbed), no record published, the run fails", async () => {
    await startDouble(
      {},
      {
        exitCodeFor: (argv) => (isDeployerExec(argv) ? 1 : 0),
        execOutputFor: (argv) =>
          isDeployerExec(argv)
            ? { stdout: "▶ validate\n✔ validate (0.4s)\n", stderr: `${DEPLOY_FAILURE}\n` }
            : undefined,
      },
    );
    const message = await failure({ kubeconfig: true, slack: true });
    expect(message).toMatch(/^prestamos CI FAILED/);
    expect(message).toMatch(
      /^deploy +failed +\S+ +deploy FAILED \[smoke\]: smoke test failed: backend \/readyz answered 503; rolled back to v2 \(commit 0f0f0f0\)$/m,
    );
    expect(message).toContain("deploy output (last lines):\n");
    expect(message).toContain(
      "  deploy FAILED [smoke]: smoke test failed: backend /readyz answered 503; rolled back to v2 (commit 0f0f0f0)",
    );
    expect(message).toMatch(
      /^record +passed .* release\.json written, not published: dev's deploy or smoke test failed$/m,
    );
    expect(message).not.toContain("kube-token-KNOWN-77ab12cd");
    expect(publishedTo(`${REGISTRY}/releases:`)).toEqual([]);
    expect(slackBodies).toHaveLength(1);
    const slack = JSON.stringify(slackBodies[0]);
    expect(slack).toContain("deploy FAILED [smoke]");
    expect(slack).not.toContain("kube-token-KNOWN-77ab12cd");
  });

  it("without a kubeconfig: publishes the images, writes release.json, publishes no record", async () => {
    await startDouble();
    const { summary, artifacts } = await run({});
    expect(summary).toMatch(/^deploy +skipped \(no --kubeconfig\)/m);
    expect(summary).toMatch(/^record +passed .* not published: dev is not deployed \(no --kubeconfig\)$/m);
    expect(publishedTo(`${REGISTRY}/releases:`)).toEqual([]);
    expect(parseReleaseRecord(file(artifacts, "release.json") ?? "").ok).toBe(true);
  });

  it("signs the published images by digest when a cosign key is given, before the deploy", async () => {
    await startDouble();
    const { summary } = await run({ kubeconfig: true, cosign: true });
    expect(summary).toMatch(/^sign +passed .* both images signed by digest \(cosign\)$/m);
    const sign = double.queries.find((q) =>
      steps(q.path, "withExec").some((s) => (s.args.args as string[])[0] === "sign"),
    );
    const argv = steps(sign?.path ?? [], "withExec").at(-1)?.args.args as string[];
    expect(argv.filter((a) => a.includes("@sha256:")).sort()).toEqual(
      [
        flag(argvOf(deployExecs()[0] as RecordedQuery), "--backend-image"),
        flag(argvOf(deployExecs()[0] as RecordedQuery), "--frontend-image"),
      ].sort(),
    );
    expect(sign?.end).toBeLessThanOrEqual(deployExecs()[0]?.start ?? 0);
  });
});

describe("ci: refusals before any step", () => {
  it.each([
    [
      "a --sha other than the checkout",
      { sha: "ffffffffffffffffffffffffffffffffffffffff" },
      {},
      /--sha ffffffff.* is not the checked-out commit 1a2b3c4d/,
    ],
    [
      "a source that differs from the commit",
      {},
      { changes: [" M backend/loans/views.py"] },
      /the source differs from commit 1a2b3c4 \( M backend\/loans\/views\.py\)/,
    ],
  ] as const)("refuses %s", async (_case, options, scenario, message) => {
    await startDouble(scenario);
    await expect(session(() => ci({ ...options, kubeconfig: true }))).rejects.toThrow(message);
    expect(double.queries.some((q) => q.leaf === "sync" || q.leaf === "publish")).toBe(false);
    expect(deployExecs()).toEqual([]);
  });

  /** A dev release with registry credentials, plus `extra`. */
  const release = (extra: Record<string, unknown>) => () =>
    callCi(new Prestamos(repo()), {
      branch: "dev",
      sha: SHA,
      "source-url": SOURCE_URL,
      "build-date": BUILD_DATE,
      registry: REGISTRY,
      "registry-username": "u",
      "registry-password": secret("registry-password"),
      ...extra,
    });
  it.each([
    [
      "AWS credentials without a kubeconfig",
      release({ "aws-access-key-id": secret("aws-key-id"), "aws-secret-access-key": secret("aws-secret") }),
      /--aws-access-key-id, --aws-secret-access-key need\(s\) --kubeconfig/,
    ],
    [
      "an AWS key id without its secret",
      release({ kubeconfig: secret("kubeconfig"), "aws-access-key-id": secret("aws-key-id") }),
      /--aws-access-key-id and --aws-secret-access-key come together/,
    ],
    [
      "a bad region",
      release({
        kubeconfig: secret("kubeconfig"),
        "aws-access-key-id": secret("aws-key-id"),
        "aws-secret-access-key": secret("aws-secret"),
        "aws-region": "US East",
      }),
      /--aws-region "US East" is not an AWS region/,
    ],
    [
      "a bad deploy timeout",
      release({ kubeconfig: secret("kubeconfig"), "deploy-timeout": "soon" }),
      /--deploy-timeout "soon" is not a duration/,
    ],
    [
      "a kube API service without a kubeconfig",
      release({ "kube-api": dag.host().service([{ frontend: 32771, backend: 32771 }]) }),
      /--kube-api need\(s\) --kubeconfig/,
    ],
    [
      "a cosign key on main",
      release({ branch: "main", kubeconfig: secret("kubeconfig"), "cosign-key": secret("cosign-key") }),
      /--cosign-key on main: main promotes the images dev built and signed/,
    ],
    [
      "a run URL with credentials",
      release({ "run-url": "https://user:pw@ci.example.com/run/1" }),
      /--run-url .* must be the CI run's http\(s\) URL/,
    ],
  ] as const)("refuses %s before any engine work", async (_case, call, message) => {
    await startDouble();
    await expect(session(() => call())).rejects.toThrow(message);
    expect(double.queries.filter((q) => !["setSecret", "host", "git"].includes(q.path[0]?.field ?? ""))).toEqual([]);
  });
});

describe("ci: promotion on main", () => {
  const builtOrPublished = () =>
    double.queries.filter(
      (q) =>
        q.leaf !== "id" &&
        deepSteps(q.path).some((s) => s.field === "dockerBuild" || s.field === "publish" || s.field === "asTarball"),
    );

  it("deploys dev's digests to prod without building or publishing anything", async () => {
    const record = devRecord();
    await startDouble({ record: serializeRecord(record) });
    const { summary, artifacts } = await run({ branch: "main", kubeconfig: true, slack: true });

    expect(builtOrPublished()).toEqual([]);
    expect(published()).toEqual([]);
    const pull = double.queries.find(
      (q) => q.leaf === "contents" && steps(q.path, "from")[0]?.args.address === `${REGISTRY}/releases:tree-${TREE}`,
    );
    expect(steps(pull?.path ?? [], "withRegistryAuth")[0]?.args).toMatchObject({
      address: "ghcr.io",
      username: "octocat",
    });
    const argv = argvOf(deployExecs()[0] as RecordedQuery);
    expect(flag(argv, "--environment")).toBe("prod");
    expect(flag(argv, "--backend-image")).toBe(record.images.backend.reference);
    expect(flag(argv, "--frontend-image")).toBe(record.images.frontend.reference);
    expect(flag(argv, "--commit")).toBe(record.git.commit);

    expect(summary).toMatch(
      /^prestamos CI PASSED \(branch main, commit 1a2b3c4, environment production \(challenge-prd\)\)$/m,
    );
    expect(summary).toMatch(
      /^promote +passed .* promoting commit 1a2b3c4 \(tree 9e1c5b0f2d7a\), deployed to dev at 2026-05-01T10:14:05\.000Z$/m,
    );
    expect(summary).toMatch(/^deploy +passed .* deployed v3 \(commit 1a2b3c4\) to challenge-prd in 61\.2s$/m);
    expect(summary).not.toMatch(/^(lint|test|publish|record) /m);
    expect(summary).toContain(`images:\n  ${record.images.backend.reference}\n  ${record.images.frontend.reference}`);
    expect(file(artifacts, "release.json")).toBe(serializeRecord(record));
    expect(JSON.parse(file(artifacts, "badge-challenge-prd.json") ?? "{}")).toMatchObject({
      label: "challenge-prd",
      color: "brightgreen",
    });
    expect(slackBodies).toHaveLength(1);
  });

  it.each([
    [
      "no record (main changed outside dev)",
      undefined,
      /promotion refused \[no-record\]: no release record for tree 9e1c5b0f/,
    ],
    [
      "a record of a failed dev deploy",
      serializeRecord(
        devRecord({
          deployment: {
            environment: "dev",
            namespace: "challenge-dev",
            outcome: "failed",
            smokeTest: "failed",
            finishedAt: "2026-05-01T10:14:05.000Z",
            detail: "smoke test failed",
          },
        }),
      ),
      /promotion refused \[dev-failed\]: dev failed for commit 1a2b3c4/,
    ],
    [
      "a record written by another branch",
      serializeRecord(devRecord({ git: { commit: SHA, tree: TREE, branch: "feature-x", author: "A <a@b>" } })),
      /promotion refused \[not-from-dev\]/,
    ],
    ["a record that is not JSON", "not json", /promotion refused \[malformed-record\]/],
    [
      "a registry that denies the pull",
      new Error("failed to resolve source metadata: pull access denied: 401 Unauthorized"),
      /could not read the release record ghcr\.io\/acme\/prestamos\/releases:tree-9e1c5b0f.*: failed to resolve source metadata: pull access denied/,
    ],
  ] as const)(
    "refuses production for %s: no deploy, nothing built, the reason in the summary and Slack",
    async (_case, record, reason) => {
      await startDouble({ record });
      const message = await failure({ branch: "main", kubeconfig: true, slack: true });
      expect(message).toMatch(/^promote +failed/m);
      expect(message).toMatch(reason);
      expect(message).toMatch(/^deploy +skipped \(promotion refused\)/m);
      expect(deployExecs()).toEqual([]);
      expect(builtOrPublished()).toEqual([]);
      expect(slackBodies).toHaveLength(1);
      expect(JSON.stringify(slackBodies[0])).toMatch(/promote/);
    },
  );

  it("refuses a checkout whose commit is not --sha (git is the source of the tree hash)", async () => {
    await startDouble({ record: serializeRecord(devRecord()), gitCommit: "2222222222222222222222222222222222222222" });
    await expect(session(() => ci({ branch: "main", kubeconfig: true }))).rejects.toThrow(
      /--sha 1a2b3c4d.* is not the checked-out commit 22222222/,
    );
    expect(
      double.queries.some(
        (q) =>
          q.leaf === "contents" &&
          q.path.some((s) => s.field === "from" && String(s.args.address).includes("releases:")),
      ),
    ).toBe(false);
  });
});

describe("ci: Slack", () => {
  it("a webhook that fails does not fail a green run, and the summary says so", async () => {
    await startDouble();
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    await session(async () =>
      (
        await callCi(new Prestamos(repo()), {
          "slack-webhook": dag.setSecret("slack-webhook", "http://127.0.0.1:9/hooks"),
        })
      ).id(),
    );
    expect(String(log.mock.calls[0]?.[0])).toMatch(/prestamos CI PASSED[\s\S]*\nslack: not sent \(/);
    expect(String(log.mock.calls[0]?.[0])).not.toContain("127.0.0.1:9/hooks");
  });
});
