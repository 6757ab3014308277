/**
 * Contract tests of the terminal functions around the deploy engine: `deploy`, `status`,
 * `promote` (and `scan-images`), through the real module class and SDK against the engine
 * double. Refusals must happen before any engine work; credentials stay Secrets.
 */
import { dag, type Directory } from "@dagger.io/dagger";
import { afterEach, beforeAll, describe, expect, it } from "vitest";

import { CLI_COMMAND, deployArgs, releasesArgs } from "../../src/deploy/args";
import { Prestamos } from "../../src/index";
import { serializeRecord } from "../../src/release/record";
import { KUBECONFIG_PATH, MANIFESTS_PATH } from "../../src/stages/deploy";
import { devRecord, REGISTRY, TREE } from "../release/fixtures";
import { ciAnswers, isDeployerExec, renderOverlays, SHA, type Scenario } from "./ci-answers";
import { EngineDouble, type EngineDoubleOptions, type RecordedQuery, type Step } from "./engine-double";
import { session } from "./session";

const KUBECONFIG = "apiVersion: v1\nkind: Config\n# KNOWN-kubeconfig-deploy-fn";
const DIGEST = `sha256:${"d".repeat(64)}`;
const IMAGES = { backend: `${REGISTRY}/backend@${DIGEST}`, frontend: `${REGISTRY}/frontend@${DIGEST}` };

let double: EngineDouble;
beforeAll(renderOverlays, 120_000);
afterEach(async () => double?.stop());

async function startDouble(scenario: Scenario = {}, options: EngineDoubleOptions = {}): Promise<EngineDouble> {
  double = new EngineDouble({ ...ciAnswers(scenario, () => double), ...options });
  await double.start();
  return double;
}

const repo = (): Directory => dag.host().directory("/repo");
const p = () => new Prestamos(repo());
const kubeconfig = () => dag.setSecret("kubeconfig", KUBECONFIG);
const steps = (chain: readonly Step[], field: string): Step[] => chain.filter((s) => s.field === field);
const deployer = (): RecordedQuery[] =>
  double.queries.filter(
    (q) => q.leaf === "stdout" && steps(q.path, "withExec").some((s) => (s.args.args as string[])[0] === "node"),
  );
const lastArgv = (q: RecordedQuery | undefined): string[] =>
  (steps(q?.path ?? [], "withExec").at(-1)?.args.args as string[]) ?? [];
const engineWork = () => double.queries.filter((q) => !["setSecret", "host", "git"].includes(q.path[0]?.field ?? ""));

describe("deploy", () => {
  it("renders the overlay with the images pinned, then runs the engine with them; returns its log", async () => {
    await startDouble();
    const log = await session(() =>
      p().deploy(
        "prod",
        IMAGES.backend,
        IMAGES.frontend,
        SHA,
        kubeconfig(),
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        "prestamos-prd",
        undefined,
        true,
        "20m",
      ),
    );
    expect(log).toMatch(/deployed v3 \(commit 1a2b3c4\) to challenge-prd/);
    const [query] = deployer();
    expect(lastArgv(query)).toEqual([
      ...CLI_COMMAND,
      ...deployArgs({
        environment: "prod",
        kubeconfig: KUBECONFIG_PATH,
        context: "prestamos-prd",
        manifests: MANIFESTS_PATH,
        backendImage: IMAGES.backend,
        frontendImage: IMAGES.frontend,
        commit: SHA,
        dryRun: true,
        timeout: "20m",
      }),
    ]);
    const manifests = steps(query?.path ?? [], "withMountedFile").find((s) => s.args.path === MANIFESTS_PATH);
    const file = double.render(double.chainOf(String(manifests?.args.source)));
    expect(file).toContain('withNewFile(path: "manifests.yaml", contents: "apiVersion');
    const render = double.queries.find(
      (q) => q.leaf === "stdout" && steps(q.path, "withExec").some((s) => (s.args.args as string[])[1] === "kustomize"),
    );
    expect(double.render(render?.path ?? [])).toContain(`digest: ${DIGEST}`);
    expect(
      double.queries
        .filter((q) => q.text.includes("KNOWN-kubeconfig-deploy-fn"))
        .every((q) => q.path[0]?.field === "setSecret" && q.leaf === "id"),
    ).toBe(true);
  });

  it("fails with the engine's exit and output when the deploy fails", async () => {
    await startDouble(
      {},
      {
        exitCodeFor: (argv) => (isDeployerExec(argv) ? 1 : 0),
        execOutputFor: () => ({ stderr: "deploy FAILED [access]: 403 forbidden" }),
      },
    );
    const error = await session(() =>
      p().deploy("dev", "prestamos-backend:dev-1a2b3c4", "prestamos-frontend:dev-1a2b3c4", SHA, kubeconfig()),
    ).then(
      () => undefined,
      (e: unknown) => e as Error & { stderr?: string; exitCode?: number },
    );
    expect(error?.exitCode).toBe(1);
    expect(error?.stderr).toBe("deploy FAILED [access]: 403 forbidden");
  });

  it("binds a host API server as kubernetes (minikube) and passes EKS access", async () => {
    await startDouble();
    await session(() =>
      p().deploy(
        "dev",
        "prestamos-backend:dev-1a2b3c4",
        "prestamos-frontend:dev-1a2b3c4",
        SHA,
        kubeconfig(),
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        "minikube",
        dag.host().service([{ frontend: 32771, backend: 32771 }], { host: "localhost" }),
      ),
    );
    const [query] = deployer();
    expect(steps(query?.path ?? [], "withServiceBinding")[0]?.args.alias).toBe("kubernetes");
    const argv = lastArgv(query);
    expect(argv.slice(argv.indexOf("--api-host"), argv.indexOf("--api-host") + 2)).toEqual([
      "--api-host",
      "kubernetes",
    ]);
  });

  it.each([
    [
      "a prod tag without digest",
      () => p().deploy("prod", `${REGISTRY}/backend:1a2b3c4`, IMAGES.frontend, SHA, kubeconfig()),
      /--backend-image ".*backend:1a2b3c4" has no digest: prod deploys images by digest/,
    ],
    [
      "an unknown environment",
      () => p().deploy("staging", IMAGES.backend, IMAGES.frontend, SHA, kubeconfig()),
      /--environment "staging" is not one of dev, prod/,
    ],
    [
      "a bad commit",
      () => p().deploy("dev", IMAGES.backend, IMAGES.frontend, "main", kubeconfig()),
      /--sha "main" is not a commit SHA/,
    ],
    [
      "a region without AWS credentials",
      () =>
        p().deploy(
          "prod",
          IMAGES.backend,
          IMAGES.frontend,
          SHA,
          kubeconfig(),
          undefined,
          undefined,
          undefined,
          "us-east-1",
        ),
      /need AWS credentials/,
    ],
    [
      "a bad timeout",
      () =>
        p().deploy(
          "prod",
          IMAGES.backend,
          IMAGES.frontend,
          SHA,
          kubeconfig(),
          undefined,
          undefined,
          undefined,
          undefined,
          undefined,
          undefined,
          undefined,
          false,
          "soon",
        ),
      /--deploy-timeout "soon"/,
    ],
  ] as const)("refuses %s before any engine work", async (_case, call, message) => {
    await startDouble();
    await expect(session(() => call())).rejects.toThrow(message);
    expect(engineWork()).toEqual([]);
  });
});

describe("status", () => {
  it("lists the namespace's deploys with the read-only command", async () => {
    await startDouble({}, { stdoutFor: () => "v1  succeeded  1a2b3c4" });
    const out = await session(() =>
      p().status("dev", kubeconfig(), undefined, undefined, undefined, undefined, undefined, "minikube"),
    );
    expect(out).toBe("v1  succeeded  1a2b3c4");
    expect(lastArgv(deployer()[0])).toEqual([
      ...CLI_COMMAND,
      ...releasesArgs({ environment: "dev", kubeconfig: KUBECONFIG_PATH, context: "minikube" }),
    ]);
  });

  it("refuses an unknown environment before any engine work", async () => {
    await startDouble();
    await expect(session(() => p().status("qa", kubeconfig()))).rejects.toThrow(
      /--environment "qa" is not one of dev, prod/,
    );
    expect(engineWork()).toEqual([]);
  });
});

describe("promote", () => {
  const promote = (o: { tree?: string; commit?: string; dryRun?: boolean } = {}) =>
    p().promote(
      REGISTRY,
      "octocat",
      dag.setSecret("registry-password", "pw-KNOWN"),
      kubeconfig(),
      o.tree,
      o.commit,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      o.dryRun ?? false,
      undefined,
      dag.git("https://github.com/acme/prestamos.git"),
    );

  it("deploys the record's digests to prod, by tree hash, without building", async () => {
    const record = devRecord();
    await startDouble({ record: serializeRecord(record) });
    const out = await session(() => promote({ tree: TREE, dryRun: true }));
    expect(out.split("\n")[0]).toBe(
      "promoting commit 1a2b3c4 (tree 9e1c5b0f2d7a), deployed to dev at 2026-05-01T10:14:05.000Z",
    );
    const argv = lastArgv(deployer()[0]);
    expect(argv[argv.indexOf("--backend-image") + 1]).toBe(record.images.backend.reference);
    expect(argv[argv.indexOf("--environment") + 1]).toBe("prod");
    expect(argv).toContain("--dry-run");
    expect(double.queries.some((q) => q.path.some((s) => s.field === "dockerBuild" || s.field === "publish"))).toBe(
      false,
    );
    expect(
      double.queries.some((q) => steps(q.path, "withExec").some((s) => (s.args.args as string[])[3] === "git-facts")),
    ).toBe(false);
  });

  it("finds a commit's tree with git, then promotes it", async () => {
    await startDouble({ record: serializeRecord(devRecord()) });
    await session(() => promote({ commit: SHA }));
    const facts = double.queries.find((q) =>
      steps(q.path, "withExec").some((s) => (s.args.args as string[])[3] === "git-facts"),
    );
    expect(lastArgv(facts).at(-1)).toBe(SHA);
    expect(deployer()).toHaveLength(1);
  });

  it.each([
    ["no record", undefined, /promotion refused \[no-record\]/],
    [
      "a record from a failed scan",
      serializeRecord(
        devRecord({ scans: { ...devRecord().scans, backend: { ...devRecord().scans.backend, verdict: "failed" } } }),
      ),
      /promotion refused \[scan-failed\]/,
    ],
  ] as const)("refuses %s and deploys nothing", async (_case, record, message) => {
    await startDouble({ record });
    await expect(session(() => promote({ tree: TREE }))).rejects.toThrow(message);
    expect(deployer()).toEqual([]);
  });

  it.each([
    ["neither tree nor commit", {}, /give exactly one of --tree/],
    ["a tree that is not a hash", { tree: "main" }, /tree hash "main" is not a git tree hash/],
  ])("refuses %s before any engine work", async (_case, o, message) => {
    await startDouble();
    await expect(session(() => promote(o))).rejects.toThrow(message);
    expect(engineWork()).toEqual([]);
  });
});

describe("scan-images", () => {
  it("returns both reports and SBOMs; fails on a fixable HIGH/CRITICAL vulnerability", async () => {
    await startDouble();
    const id = await session(async () => (await p().scanImages()).id());
    const files = steps(double.chainOf(id), "withFile").map((s) => s.args.path);
    expect(files).toEqual(["backend-trivy.json", "backend.cdx.json", "frontend-trivy.json", "frontend.cdx.json"]);
    await double.stop();
    await startDouble({ trivy: { frontend: "fixable-high.json" } });
    await expect(session(async () => (await p().scanImages()).id())).rejects.toThrow(
      /fixable HIGH\/CRITICAL vulnerabilities\n.*\nfrontend: failed/,
    );
  });
});
