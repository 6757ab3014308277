/**
 * Contract tests: the real module class, driven through the real SDK against the engine
 * double. Assertions are made on the GraphQL queries the module sent.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

import { dag, type Directory } from "@dagger.io/dagger";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import {
  backendTestCommands,
  frontendLintCommands,
  frontendTestCommands,
  pythonLintCommands,
  rootTypecheckCommands,
} from "../../src/commands";
import { NODE_IMAGE, POSTGRES_IMAGE, PYTHON_IMAGE } from "../../src/images";
import { Prestamos } from "../../src/index";
import { EngineDouble, type RecordedQuery, type Step } from "./engine-double";
import { session } from "./session";

const SHA = "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d";
const REGISTRY_PASSWORD = "registry-password-KNOWN-3f9c";
const KUBECONFIG = "apiVersion: v1\nkind: Config\n# KNOWN-kubeconfig-77ab";

function repo(): Directory {
  return dag.host().directory("/repo");
}

function steps(q: RecordedQuery, field: string): Step[] {
  return q.path.filter((s) => s.field === field);
}

/** All withExec argv arrays seen in any recorded chain (deduplicated). */
function execArgvs(double: EngineDouble): string[][] {
  const seen = new Map<string, string[]>();
  for (const q of double.queries) {
    for (const s of steps(q, "withExec")) {
      const argv = s.args.args as string[];
      seen.set(JSON.stringify(argv), argv);
    }
  }
  return [...seen.values()];
}

/** Queries whose chain contains a withExec with exactly this argv. */
function queriesRunning(double: EngineDouble, argv: readonly string[]): RecordedQuery[] {
  const key = JSON.stringify(argv);
  return double.queries.filter((q) => steps(q, "withExec").some((s) => JSON.stringify(s.args.args) === key));
}

/** The step right before the first withExec running `argv`, walking back through env/workdir. */
function stepsBefore(q: RecordedQuery, argv: readonly string[]): Step[] {
  const key = JSON.stringify(argv);
  const index = q.path.findIndex((s) => s.field === "withExec" && JSON.stringify(s.args.args) === key);
  return q.path.slice(0, index);
}

function fromAddresses(double: EngineDouble): Set<string> {
  const out = new Set<string>();
  for (const q of double.queries) for (const s of steps(q, "from")) out.add(String(s.args.address));
  return out;
}

function renderedAll(double: EngineDouble): string {
  return double.queries.map((q) => double.render(q.path)).join("\n");
}

let slackBodies: unknown[] = [];
let slackUrl = "";
let slackServer: http.Server;

beforeAll(async () => {
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
});

afterAll(async () => {
  await new Promise<void>((r) => slackServer.close(() => r()));
});

let double: EngineDouble;
async function startDouble(options: ConstructorParameters<typeof EngineDouble>[0] = {}): Promise<EngineDouble> {
  double = new EngineDouble({ plaintextAllowed: ["slack-webhook"], ...options });
  await double.start();
  return double;
}

afterEach(async () => {
  await double?.stop();
  slackBodies = [];
  vi.restoreAllMocks();
});

describe("lint", () => {
  it("runs every lint command from commands.ts in pinned images with dependency caches", async () => {
    await startDouble();
    const report = await session(() => new Prestamos(repo()).lint());

    expect(fromAddresses(double)).toEqual(new Set([PYTHON_IMAGE, NODE_IMAGE]));
    const argvs = execArgvs(double);
    for (const spec of [...pythonLintCommands(), ...frontendLintCommands(), ...rootTypecheckCommands()]) {
      expect(argvs).toContainEqual([...spec.argv]);
      const q = queriesRunning(double, spec.argv)[0] as RecordedQuery;
      const before = stepsBefore(q, spec.argv);
      const workdir = before.filter((s) => s.field === "withWorkdir").at(-1);
      expect(workdir?.args.path).toBe(spec.cwd === "." ? "/src" : `/src/${spec.cwd}`);
      const exec = steps(q, "withExec").find((s) => JSON.stringify(s.args.args) === JSON.stringify(spec.argv));
      expect(exec?.args.expect).toBe("ANY");
      expect(q.leaf).toBe("exitCode");
    }
    const all = renderedAll(double);
    expect(all).toContain('withMountedCache(path: "/root/.cache/pip", cache: <cacheVolume(key: "prestamos-pip")>)');
    expect(all).toContain('withMountedCache(path: "/root/.npm", cache: <cacheVolume(key: "prestamos-npm")>)');
    expect(argvs).toContainEqual(["pip", "install", "-r", "backend/requirements-dev.txt"]);
    expect(argvs).toContainEqual(["npm", "ci", "--no-audit", "--no-fund"]);
    expect(report).toContain("ruff check: passed");
  });

  it("runs the lint checks concurrently and fails naming the failing check", async () => {
    await startDouble({ delayMs: 20, exitCodeFor: (argv) => (argv[0] === "ruff" && argv[1] === "check" ? 1 : 0) });
    await expect(session(() => new Prestamos(repo()).lint())).rejects.toThrow(/lint failed: ruff check \(exit 1\)/);
    expect(double.maxInFlight).toBeGreaterThan(1);
  });
});

describe("test", () => {
  it("binds a healthy PostgreSQL service as db and runs the exact test argv from commands.ts", async () => {
    await startDouble();
    await session(() => new Prestamos(repo()).testReports().then((d) => d.id()));

    const backendSpecs = backendTestCommands("/reports", "postgres");
    const q = queriesRunning(double, backendSpecs[0]?.argv ?? [])[0] as RecordedQuery;
    const binding = steps(q, "withServiceBinding")[0];
    expect(binding?.args.alias).toBe("db");
    const service = double.render(double.chainOf(String(binding?.args.service)));
    expect(service).toContain(`from(address: "${POSTGRES_IMAGE}")`);
    expect(service).toContain("withExposedPort(port: 5432)");
    expect(service).toMatch(/withDockerHealthcheck\(args: \["pg_isready", "-U", "postgres", "-d", "prestamos"\]/);
    expect(service).toContain("asService(useEntrypoint: true)");
    const env = steps(q, "withEnvVariable").map((s) => `${String(s.args.name)}=${String(s.args.value)}`);
    expect(env).toContain("DATABASE_URL=postgres://postgres:postgres@db:5432/prestamos");

    // Every backend command, in order, in one chain, with its own env, tolerant of failure.
    const last = queriesRunning(double, backendSpecs.at(-1)?.argv ?? [])[0] as RecordedQuery;
    const chainArgv = steps(last, "withExec").map((s) => JSON.stringify(s.args.args));
    const expectedArgv = backendSpecs.map((s) => JSON.stringify(s.argv));
    expect(chainArgv.slice(-expectedArgv.length)).toEqual(expectedArgv);
    for (const spec of backendSpecs) {
      for (const [name, value] of Object.entries(spec.env ?? {})) expect(env.concat(steps(last, "withEnvVariable").map((s) => `${String(s.args.name)}=${String(s.args.value)}`))).toContain(`${name}=${value}`);
    }
    for (const s of steps(last, "withExec").slice(-expectedArgv.length)) expect(s.args.expect).toBe("ANY");

    for (const spec of frontendTestCommands("/reports")) {
      const fq = queriesRunning(double, spec.argv)[0] as RecordedQuery;
      expect(fq).toBeDefined();
      expect(steps(fq, "from")[0]?.args.address).toBe(NODE_IMAGE);
      expect(steps(fq, "withServiceBinding")).toHaveLength(0);
    }
    const all = renderedAll(double);
    expect(all).toContain('withMountedCache(path: "/root/.cache/pip"');
    expect(all).toContain('withMountedCache(path: "/root/.npm"');
    // Reports come from /reports of both chains, plus a status file.
    expect(all).toMatch(/withDirectory\(path: "\.", source: <.*directory\(path: "\/reports"\)>\)/);
    expect(all).toContain('withNewFile(path: "status.json"');
  });

  it("test fails with the failing command while test-reports still returns the reports", async () => {
    const djangoArgv = backendTestCommands("/reports", "postgres")[0]?.argv ?? [];
    const failing = (argv: readonly string[]) => (JSON.stringify(argv) === JSON.stringify(djangoArgv) ? 3 : 0);
    await startDouble({ exitCodeFor: failing });
    await expect(session(() => new Prestamos(repo()).test())).rejects.toThrow(/tests failed: django tests \(postgres\) \(exit 3\)/);

    double.reset();
    const id = await session(() => new Prestamos(repo()).testReports().then((d) => d.id()));
    const reports = double.render(double.chainOf(id));
    expect(reports).toContain("status.json");
    expect(reports).toContain('\\"exitCode\\": 3');
    // Coverage XML is still produced after the failing test run.
    expect(execArgvs(double)).toContainEqual([...(backendTestCommands("/reports", "postgres")[1]?.argv ?? [])]);
  });
});

describe("images", () => {
  it("builds from the repo-root Dockerfiles with commit labels and build args", async () => {
    await startDouble();
    await session(async () => {
      const p = new Prestamos(repo());
      await p.backend(SHA, "1.4.0").sync();
      await p.frontend(SHA).sync();
    });
    const builds = double.queries.filter((q) => q.leaf === "sync").map((q) => double.render(q.path));
    const backend = builds.find((b) => b.includes('"backend.Dockerfile"')) ?? "";
    const frontend = builds.find((b) => b.includes('"frontend.Dockerfile"')) ?? "";
    expect(backend).toContain(`host.directory(path: "/repo")`);
    expect(backend).toContain(`{name: "VCS_REF", value: "${SHA}"}`);
    expect(backend).toContain('{name: "VERSION", value: "1.4.0"}');
    expect(backend).toContain(`withLabel(name: "org.opencontainers.image.revision", value: "${SHA}")`);
    expect(backend).toContain('withLabel(name: "org.opencontainers.image.version", value: "1.4.0")');
    expect(frontend).toContain('withLabel(name: "org.opencontainers.image.version", value: "1a2b3c4")');
    expect(frontend).toContain('withLabel(name: "org.opencontainers.image.title", value: "prestamos-frontend")');
  });

  it("rejects a bad sha before any engine work", async () => {
    await startDouble();
    await expect(session(async () => new Prestamos(repo()).backend("not-a-sha"))).rejects.toThrow(/--sha "not-a-sha"/);
    expect(double.queries).toHaveLength(0);
  });
});

describe("publish", () => {
  it("pushes both images with <sha> and <branch>-<sha> tags, never latest, secrets only as IDs", async () => {
    await startDouble();
    const refs = await session(() =>
      new Prestamos(repo()).publish(
        "ghcr.io/acme/prestamos",
        "octocat",
        dag.setSecret("registry-password", REGISTRY_PASSWORD),
        SHA,
        "Feature/Login_Page",
      ),
    );
    const published = double.queries.filter((q) => q.leaf === "publish").map((q) => String(q.path.at(-1)?.args.address));
    expect(published.sort()).toEqual(
      [
        "ghcr.io/acme/prestamos/backend:1a2b3c4",
        "ghcr.io/acme/prestamos/backend:feature-login_page-1a2b3c4",
        "ghcr.io/acme/prestamos/frontend:1a2b3c4",
        "ghcr.io/acme/prestamos/frontend:feature-login_page-1a2b3c4",
      ].sort(),
    );
    expect(published.join(" ")).not.toMatch(/latest/);
    expect(refs).toHaveLength(4);
    for (const ref of refs) expect(ref).toMatch(/^ghcr\.io\/acme\/prestamos\/(backend|frontend):[a-z0-9_.-]+@sha256:[0-9a-f]{64}$/);

    for (const q of double.queries.filter((x) => x.leaf === "publish")) {
      const auth = steps(q, "withRegistryAuth")[0];
      expect(auth?.args.address).toBe("ghcr.io");
      expect(auth?.args.username).toBe("octocat");
      expect(double.render(double.chainOf(String(auth?.args.secret)))).toBe(
        `setSecret(name: "registry-password", plaintext: "${REGISTRY_PASSWORD}")`,
      );
    }
    assertSecretOnlyInSetSecret(REGISTRY_PASSWORD);
    expect(double.refusals).toEqual([]);
  });

  it("rejects a bad registry address before any engine work", async () => {
    await startDouble();
    await expect(
      session(() =>
        new Prestamos(repo()).publish("https://ghcr.io/acme/app:latest", "u", dag.setSecret("p", "x"), SHA, "main"),
      ),
    ).rejects.toThrow(/must not include a scheme/);
    expect(double.queries).toHaveLength(0);
  });
});

/** The plaintext may appear only in the queries that create the secret. */
function assertSecretOnlyInSetSecret(plaintext: string): void {
  const carrying = double.queries.filter((q) => q.text.includes(plaintext));
  expect(carrying.length).toBeGreaterThan(0);
  for (const q of carrying) {
    expect(q.path[0]?.field).toBe("setSecret");
    expect(q.leaf).toBe("id");
  }
}

describe("ci", () => {
  it("with no arguments runs lint, tests and both builds concurrently and returns the summary", async () => {
    // Evaluations take time like real work; id lookups are quick. Image builds (sync) last
    // long enough to cover the test container's set-up steps even on a loaded machine, so
    // the overlap below depends on how `ci` schedules the steps, not on timing luck.
    await startDouble({ delayFor: (leaf) => (leaf === "sync" ? 1500 : leaf === "exitCode" ? 120 : 2) });
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const summary = await session(() => new Prestamos(repo()).ci());

    expect(summary).toMatch(/prestamos CI PASSED/);
    for (const step of ["lint", "test", "build-backend", "build-frontend"]) expect(summary).toMatch(new RegExp(`^${step} +passed`, "m"));
    expect(summary).toMatch(/^publish +skipped \(no registry credentials\)/m);
    expect(summary).toMatch(/^deploy +skipped \(no --branch\)/m);
    expect(log).toHaveBeenCalledWith(summary);
    expect(double.queries.some((q) => q.leaf === "publish")).toBe(false);

    // The Django test run and the image builds were in flight at the same time.
    const djangoArgv = backendTestCommands("/reports", "postgres")[0]?.argv ?? [];
    const tests = queriesRunning(double, djangoArgv).filter((q) => q.leaf === "exitCode");
    const builds = double.queries.filter((q) => q.leaf === "sync" && steps(q, "dockerBuild").length > 0);
    expect(tests.length).toBeGreaterThan(0);
    expect(builds).toHaveLength(2);
    const overlaps = tests.some((t) => builds.some((b) => t.start < b.end && b.start < t.end));
    expect(overlaps).toBe(true);
    expect(double.maxInFlight).toBeGreaterThanOrEqual(3);
  });

  it("throws (non-zero exit) when the tests fail, still running the builds and producing the summary", async () => {
    const djangoArgv = backendTestCommands("/reports", "postgres")[0]?.argv ?? [];
    await startDouble({ exitCodeFor: (argv) => (JSON.stringify(argv) === JSON.stringify(djangoArgv) ? 1 : 0) });
    vi.spyOn(console, "log").mockImplementation(() => undefined);
    const secret = () => dag.setSecret("registry-password", REGISTRY_PASSWORD);
    const error = await session(() =>
      new Prestamos(repo()).ci("dev", SHA, undefined, "ghcr.io/acme/prestamos", "octocat", secret(), undefined, dag.setSecret("slack-webhook", slackUrl)),
    ).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(Error);
    const message = error?.message ?? "";
    expect(message).toMatch(/prestamos CI FAILED/);
    expect(message).toMatch(/^test +failed .*django tests \(postgres\) \(exit 1\)/m);
    expect(message).toMatch(/^build-backend +passed/m);
    expect(message).toMatch(/^build-frontend +passed/m);
    expect(message).toMatch(/^publish +skipped \(gate failed\)/m);
    expect(message).toMatch(/slack: sent/);
    expect(double.queries.some((q) => q.leaf === "publish")).toBe(false);
    expect(JSON.stringify(slackBodies)).toContain("FAILED");
  });

  it("on dev with credentials publishes after the gate, plans deploy to challenge-dev and notifies Slack", async () => {
    await startDouble();
    vi.spyOn(console, "log").mockImplementation(() => undefined);
    const summary = await session(() =>
      new Prestamos(repo()).ci(
        "dev",
        SHA,
        undefined,
        "ghcr.io/acme/prestamos",
        "octocat",
        dag.setSecret("registry-password", REGISTRY_PASSWORD),
        dag.setSecret("kubeconfig", KUBECONFIG),
        dag.setSecret("slack-webhook", slackUrl),
      ),
    );
    expect(summary).toMatch(/environment dev \(challenge-dev\)/);
    expect(summary).toMatch(/^publish +passed/m);
    expect(summary).toMatch(/^deploy +skipped \(not implemented yet\)/m);
    expect(summary).toMatch(/ghcr\.io\/acme\/prestamos\/backend:dev-1a2b3c4@sha256:[0-9a-f]{64}/);
    expect(summary).toMatch(/slack: sent/);

    // Publish starts only after every gate query finished.
    const firstPublish = Math.min(...double.queries.filter((q) => q.leaf === "publish").map((q) => q.start));
    const gateEnd = Math.max(...double.queries.filter((q) => q.leaf === "exitCode" || (q.leaf === "sync" && q.path.some((s) => s.field === "dockerBuild") && !q.path.some((s) => s.field === "withRegistryAuth"))).map((q) => q.end));
    expect(firstPublish).toBeGreaterThanOrEqual(gateEnd);

    expect(slackBodies).toHaveLength(1);
    const body = JSON.stringify(slackBodies[0]);
    expect(body).toContain("PASSED");
    expect(body).toContain("@sha256:");
    // Only the Slack webhook's plaintext was read; the kubeconfig and password never were.
    const plaintextReads = double.queries.filter((q) => q.leaf === "plaintext").map((q) => double.render(q.path));
    expect(plaintextReads).toEqual([`setSecret(name: "slack-webhook", plaintext: "${slackUrl}").plaintext`]);
    assertSecretOnlyInSetSecret(REGISTRY_PASSWORD);
    expect(double.queries.filter((q) => q.text.includes("KNOWN-kubeconfig"))).toEqual([]);
    expect(summary).not.toContain(slackUrl);
  });

  it("rejects a deploy request on a branch that does not deploy before any engine work", async () => {
    await startDouble();
    await expect(
      session(() =>
        new Prestamos(repo()).ci("feature/x", SHA, undefined, "ghcr.io/acme/prestamos", "u", dag.setSecret("p", "x"), dag.setSecret("k", "y")),
      ),
    ).rejects.toThrow(/branch "feature\/x" does not deploy/);
    expect(double.queries).toHaveLength(0);
  });

  it("reports a Slack failure without hiding the run's result", async () => {
    await startDouble();
    vi.spyOn(console, "log").mockImplementation(() => undefined);
    const summary = await session(() =>
      new Prestamos(repo()).ci(undefined, undefined, undefined, undefined, undefined, undefined, undefined, dag.setSecret("slack-webhook", "http://127.0.0.1:9/unreachable")),
    );
    expect(summary).toMatch(/prestamos CI PASSED/);
    expect(summary).toMatch(/slack: not sent/);
  });
});
