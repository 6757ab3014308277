/**
 * The deploy CLI: argument building and parsing (one source of truth with the Dagger
 * stage), clear errors with exit code 2, no side effects on import, and a real native run
 * (`node --import tsx ci/src/deploy/cli.ts deploy …`) against the API double.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { readFileSync } from "node:fs";

import { afterEach, describe, expect, it, vi } from "vitest";

import { parseManifests } from "../../src/manifests/render";

import {
  CLI_COMMAND,
  deployArgs,
  parseArgs,
  releasesArgs,
  renderArgs,
  type DeployOptions,
} from "../../src/deploy/args";
import { runCli } from "../../src/deploy/cli";
import { COMMIT_A, imagesFor, renderRelease, REPO_ROOT, startCluster, TOKEN, type Cluster } from "./fixtures";

vi.setConfig({ testTimeout: 60_000 });

const A = imagesFor("a");
const OPTIONS: DeployOptions = {
  environment: "prod",
  kubeconfig: "/run/secrets/kubeconfig",
  apiHost: "kubernetes",
  eksCluster: "prestamos",
  awsRegion: "us-east-1",
  manifests: "/work/manifests.yaml",
  backendImage: A.backend,
  frontendImage: A.frontend,
  commit: COMMIT_A,
  dryRun: true,
  timeout: "15m",
};

describe("arguments", () => {
  it("build and parse back to the same options", () => {
    const argv = deployArgs(OPTIONS);
    expect(argv.slice(0, 3)).toEqual(["deploy", "--environment", "prod"]);
    expect(parseArgs(argv)).toEqual({ command: "deploy", options: { ...OPTIONS, context: undefined } });
    const access = { environment: "dev" as const, kubeconfig: "k", context: "minikube" };
    expect(parseArgs(releasesArgs(access))).toEqual({
      command: "releases",
      options: { ...access, apiHost: undefined, eksCluster: undefined, awsRegion: undefined },
    });
    expect(
      parseArgs([
        "deploy",
        "--environment=dev",
        "--kubeconfig=k",
        "--manifests=m",
        `--backend-image=${A.backend}`,
        `--frontend-image=${A.frontend}`,
        "--commit=ABCDEF1",
      ]),
    ).toMatchObject({
      options: { environment: "dev", commit: "abcdef1", dryRun: false },
    });
  });

  const base = deployArgs({ ...OPTIONS, dryRun: false, timeout: undefined });
  const without = (flag: string) => base.filter((a, i) => a !== flag && base[i - 1] !== flag);
  it.each([
    [["deploy", "--environment", "staging", "--kubeconfig", "k"], /--environment "staging" is not one of dev, prod/],
    [without("--commit"), /--commit is required/],
    [[...base, "--timeout", "soon"], /--timeout "soon" is not a duration/],
    [[...base, "--force"], /unknown argument "--force"/],
    [
      [...without("--backend-image"), "--backend-image", "ghcr.io/acme/prestamos/backend:1a2b3c4"],
      /has no digest: prod deploys images by digest/,
    ],
    [[...without("--commit"), "--commit", "HEAD"], /--commit "head" is not a commit SHA/],
    [["deploy", "--environment"], /--environment needs a value/],
    [["deploy", "--environment", "dev", "--environment", "prod"], /--environment was given twice/],
    [["releases", "--environment", "dev", "--kubeconfig", "k", "--dry-run"], /releases does not take --dry-run/],
    [["render", "--environment", "prod", "--backend-image", "r/b:1", "--frontend-image", "r/f:1"], /has no digest/],
    [["render", "--environment", "dev", "--kubeconfig", "k"], /render does not take --kubeconfig/],
    [["rollback"], /unknown command "rollback"/],
  ])("refuses %j", async (argv, message) => {
    const err: string[] = [];
    const code = await runCli(argv as string[], { out: () => undefined, err: (l) => err.push(l), env: {} });
    expect(code).toBe(2);
    expect(err.join("\n")).toMatch(message);
  });

  it("render writes the overlay with the images pinned, from the repository root", async () => {
    const output = path.join(mkdtempSync(path.join(tmpdir(), "render-")), "dev.yaml");
    const cwd = process.cwd();
    process.chdir(REPO_ROOT);
    try {
      const images = { backendImage: "prestamos-backend:dev-1a2b3c4", frontendImage: "prestamos-frontend:dev-1a2b3c4" };
      expect(parseArgs(renderArgs({ environment: "dev", ...images, output }))).toEqual({
        command: "render",
        options: { environment: "dev", ...images, output },
      });
      expect(
        await runCli(renderArgs({ environment: "dev", ...images, output }), {
          out: () => undefined,
          err: () => undefined,
          env: {},
        }),
      ).toBe(0);
    } finally {
      process.chdir(cwd);
    }
    const images = parseManifests(readFileSync(output, "utf8")).flatMap(
      (o) => JSON.stringify(o).match(/"image":"[^"]+"/g) ?? [],
    );
    expect(new Set(images)).toEqual(
      new Set([
        '"image":"prestamos-backend:dev-1a2b3c4"',
        '"image":"prestamos-frontend:dev-1a2b3c4"',
        expect.stringMatching(/postgres/) as unknown as string,
      ]),
    );
  });

  it("reports an unreadable kubeconfig as an argument error", async () => {
    const err: string[] = [];
    const argv = deployArgs({
      ...OPTIONS,
      environment: "dev",
      kubeconfig: "/nonexistent/kubeconfig",
      manifests: "/nonexistent/m.yaml",
    });
    expect(await runCli(argv, { out: () => undefined, err: (l) => err.push(l), env: {} })).toBe(2);
    expect(err.join("\n")).toMatch(/cannot read the (rendered manifests|kubeconfig) \/nonexistent\/.* \(ENOENT\)/);
  });
});

describe("the CLI module", () => {
  it("does nothing when imported (the Dagger runtime imports every .ts under ci/src)", async () => {
    const write = vi.spyOn(process.stdout, "write");
    const before = process.exitCode;
    await import("../../src/deploy/cli");
    expect(write).not.toHaveBeenCalled();
    expect(process.exitCode).toBe(before);
    write.mockRestore();
  });
});

describe("a native run", () => {
  let cluster: Cluster;
  afterEach(async () => cluster?.double.stop());

  function runNative(
    argv: string[],
    env: NodeJS.ProcessEnv = {},
  ): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      // The container's command, run from ci/ as the deployer container does.
      const [node, ...rest] = CLI_COMMAND;
      expect(node).toBe("node");
      const child = spawn(process.execPath, [...rest, ...argv], {
        cwd: path.join(REPO_ROOT, "ci"),
        env: { ...process.env, ...env },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
      child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
  }

  it("deploys with the arguments the Dagger stage builds, then lists the release", async () => {
    cluster = await startCluster("dev");
    const dir = mkdtempSync(path.join(tmpdir(), "deploy-cli-"));
    const kubeconfig = path.join(dir, "kubeconfig");
    const manifests = path.join(dir, "manifests.yaml");
    writeFileSync(kubeconfig, cluster.access.kubeconfig, { mode: 0o600 });
    writeFileSync(manifests, await renderRelease("dev", A));
    const access = { environment: "dev" as const, kubeconfig };
    const deployRun = await runNative(
      deployArgs({
        ...access,
        manifests,
        backendImage: A.backend,
        frontendImage: A.frontend,
        commit: COMMIT_A,
        timeout: "2m",
      }),
    );
    expect(deployRun.stderr).toBe("");
    expect(deployRun.code).toBe(0);
    expect(deployRun.stdout).toMatch(/^deployed v1 \(commit 1111111\) to challenge-dev in \d+\.\ds$/m);
    expect(deployRun.stdout).not.toContain(TOKEN);

    const list = await runNative(releasesArgs(access));
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^v1 {2}succeeded {4}1111111aaaaa/m);

    cluster.double.rejectAll = true;
    const refused = await runNative(releasesArgs(access));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^deploy FAILED \[access\]: 401 Unauthorized/);
  });
});
