/**
 * Contract tests: the real module class, driven through the real SDK against the engine
 * double. Assertions are made on the GraphQL queries the module sent. Commands, images and
 * flags are pinned here literally, not rebuilt from ci/src, so a changed command fails.
 */
import { dag, type Directory } from "@dagger.io/dagger";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { Prestamos } from "../../src/index";
import { callCi, ciAnswers, fileChain, renderedContents, renderOverlays } from "./ci-answers";
import { EngineDouble, type RecordedQuery, type Step } from "./engine-double";
import { session } from "./session";

const SHA = "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d";
const SOURCE_URL = "https://github.com/acme/prestamos";
const BUILD_DATE = "2025-06-01T12:00:00Z";
const REGISTRY_PASSWORD = "registry-password-KNOWN-3f9c";
const KUBECONFIG = "apiVersion: v1\nkind: Config\n# KNOWN-kubeconfig-77ab";

const PYTHON_IMAGE = "python:3.13.12-slim-bookworm";
const NODE_IMAGE = "node:24.13.1-bookworm-slim";
const POSTGRES_IMAGE = "postgres:17.11-bookworm";
const KUBECTL_IMAGE = "registry.k8s.io/kubectl:v1.32.4";
const TRIVY_IMAGE = "aquasec/trivy:0.44.1";

/** Every command of the gate, with the steps its failure must fail. */
const GATE_COMMANDS: ReadonlyArray<{ name: string; argv: string[]; steps: string[] }> = [
  { name: "ruff check", argv: ["ruff", "check", "."], steps: ["lint"] },
  { name: "ruff format", argv: ["ruff", "format", "--check", "."], steps: ["lint"] },
  { name: "eslint", argv: ["npm", "run", "lint"], steps: ["lint"] },
  { name: "tsc (frontend)", argv: ["npm", "run", "typecheck"], steps: ["lint"] },
  { name: "tsc (root)", argv: ["npx", "tsc", "-p", "tsconfig.json", "--noEmit"], steps: ["lint"] },
  { name: "tsc (ci module)", argv: ["npx", "tsc", "-p", "ci/tsconfig.json", "--noEmit"], steps: ["lint"] },
  { name: "prettier --check", argv: ["npx", "prettier", "--check", "."], steps: ["lint"] },
  {
    name: "django tests (postgres)",
    argv: ["python", "-m", "coverage", "run", "manage.py", "test", "--noinput"],
    steps: ["test"],
  },
  {
    name: "coverage xml (postgres)",
    argv: ["python", "-m", "coverage", "xml", "-o", "/reports/backend-postgres-coverage.xml"],
    steps: ["test"],
  },
  {
    name: "coverage report (postgres)",
    argv: ["python", "-m", "coverage", "report", "--fail-under=90"],
    steps: ["test"],
  },
  {
    name: "django check --deploy",
    argv: ["python", "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
    steps: ["test"],
  },
  {
    name: "makemigrations --check",
    argv: ["python", "manage.py", "makemigrations", "--check", "--dry-run"],
    steps: ["test"],
  },
  {
    name: "vitest (frontend)",
    argv: [
      "npx",
      "vitest",
      "run",
      "--reporter=default",
      "--reporter=junit",
      "--outputFile.junit=/reports/frontend-junit.xml",
      "--coverage.enabled",
      "--coverage.reportsDirectory=/reports/frontend-coverage",
    ],
    steps: ["test"],
  },
  ...["ci", "k8s", "platform", "docs"].map((project) => ({
    name: `vitest (${project})`,
    argv: [
      "npx",
      "vitest",
      "run",
      "--project",
      project,
      "--reporter=default",
      "--reporter=junit",
      `--outputFile.junit=/reports/${project}-junit.xml`,
    ],
    steps: ["test"],
  })),
  {
    name: "kustomize k8s/overlays/dev",
    argv: ["kubectl", "kustomize", "k8s/overlays/dev"],
    steps: ["manifests", "scan-config"],
  },
  {
    name: "kustomize k8s/overlays/prod",
    argv: ["kubectl", "kustomize", "k8s/overlays/prod"],
    steps: ["manifests", "scan-config"],
  },
  {
    name: "trivy config /scan",
    argv: [
      "trivy",
      "config",
      "--skip-policy-update",
      "--severity",
      "UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL",
      "--exit-code",
      "1",
      "--ignorefile",
      ".trivyignore",
      "--format",
      "table",
      "/scan",
    ],
    steps: ["scan-config"],
  },
  { name: "migrate", argv: ["python", "manage.py", "migrate", "--noinput"], steps: ["smoke"] },
  { name: "smoke checks", argv: ["npx", "tsx", "scripts/smoke.ts", "http://frontend:8080"], steps: ["smoke"] },
];

const GATE_STEPS = [
  "lint",
  "test",
  "build-backend",
  "build-frontend",
  "manifests",
  "scan-config",
  "scan-images",
  "smoke",
];

const commandArgv = (name: string): string[] => {
  const command = GATE_COMMANDS.find((c) => c.name === name);
  if (!command) throw new Error(`no gate command ${name}`);
  return command.argv;
};

function repo(): Directory {
  return dag.host().directory("/repo");
}

function steps(q: RecordedQuery | readonly Step[], field: string): Step[] {
  const path = Array.isArray(q) ? (q as readonly Step[]) : (q as RecordedQuery).path;
  return path.filter((s) => s.field === field);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** All withExec steps seen in any recorded chain. */
function execSteps(double: EngineDouble): Step[] {
  return double.queries.flatMap((q) => steps(q, "withExec"));
}

/** Queries whose chain contains a withExec with exactly this argv. */
function queriesRunning(double: EngineDouble, argv: readonly string[]): RecordedQuery[] {
  return double.queries.filter((q) => steps(q, "withExec").some((s) => same(s.args.args, argv)));
}

function fromAddresses(double: EngineDouble): Set<string> {
  const out = new Set<string>();
  const visit = (chain: readonly Step[]) => {
    for (const s of chain) {
      if (s.field === "from") out.add(String(s.args.address));
      for (const value of Object.values(s.args)) if (double.isId(value)) visit(double.chainOf(value));
    }
  };
  for (const q of double.queries) visit(q.path);
  return out;
}

/** True once an evaluation running each named gate command is in flight. */
function allInFlight(names: readonly string[]) {
  return (inFlight: readonly RecordedQuery[]) =>
    names.every((name) => inFlight.some((q) => steps(q, "withExec").some((s) => same(s.args.args, commandArgv(name)))));
}

function renderedAll(double: EngineDouble): string {
  return double.queries.map((q) => double.render(q.path)).join("\n");
}

/** The manifests step's files: the real renders (ci-answers.ts). */
function manifestsContents(chain: readonly Step[]): string | undefined {
  return renderedContents(double, chain);
}

beforeAll(async () => {
  await renderOverlays();
}, 120_000);

let double: EngineDouble;
async function startDouble(options: ConstructorParameters<typeof EngineDouble>[0] = {}): Promise<EngineDouble> {
  double = new EngineDouble({
    plaintextAllowed: ["slack-webhook", "registry-password", "kubeconfig"],
    ...ciAnswers({}, () => double),
    ...options,
  });
  await double.start();
  return double;
}

afterEach(async () => {
  await double?.stop();
  vi.restoreAllMocks();
});

/** `ci` with publishing arguments (dev branch), the checkout as the repository. */
function ciPublishing(p: Prestamos, extra: { branch?: string } = {}) {
  return callCi(p, {
    branch: extra.branch ?? "dev",
    sha: SHA,
    "source-url": SOURCE_URL,
    "build-date": BUILD_DATE,
    registry: "ghcr.io/acme/prestamos",
    "registry-username": "octocat",
    "registry-password": dag.setSecret("registry-password", REGISTRY_PASSWORD),
    git: dag.git("https://github.com/acme/prestamos.git"),
  });
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (e: unknown) => e as Error,
  );
}

describe("lint", () => {
  it("runs every static check in pinned images, each with the default expectation", async () => {
    await startDouble();
    const report = await session(() => new Prestamos(repo()).lint());
    expect(fromAddresses(double)).toEqual(new Set([PYTHON_IMAGE, NODE_IMAGE]));
    for (const name of [
      "ruff check",
      "ruff format",
      "eslint",
      "tsc (frontend)",
      "tsc (root)",
      "tsc (ci module)",
      "prettier --check",
    ]) {
      const argv = commandArgv(name);
      const q = queriesRunning(double, argv)[0];
      expect(q, name).toBeDefined();
      const exec = steps(q as RecordedQuery, "withExec").find((s) => same(s.args.args, argv));
      expect(exec?.args.expect, name).toBeUndefined();
      expect(report).toContain(`${name}: passed`);
    }
    const workdirOf = (argv: string[]) => {
      const q = queriesRunning(double, argv)[0] as RecordedQuery;
      const index = q.path.findIndex((s) => s.field === "withExec" && same(s.args.args, argv));
      return q.path
        .slice(0, index)
        .filter((s) => s.field === "withWorkdir")
        .at(-1)?.args.path;
    };
    expect(workdirOf(commandArgv("ruff check"))).toBe("/src/backend");
    expect(workdirOf(commandArgv("eslint"))).toBe("/src/frontend");
    expect(workdirOf(commandArgv("tsc (ci module)"))).toBe("/src");
    expect(workdirOf(commandArgv("prettier --check"))).toBe("/src");
    const all = renderedAll(double);
    expect(all).toContain('withMountedCache(path: "/root/.cache/pip", cache: <cacheVolume(key: "prestamos-pip")>)');
    expect(all).toContain('withMountedCache(path: "/root/.npm", cache: <cacheVolume(key: "prestamos-npm")>)');
    // The npm ci layer sees only the manifests npm reads: not ci/ or docs/ package files.
    expect(all).toContain('include: ["package.json", "package-lock.json", "frontend/package.json"]');
    expect(execSteps(double).map((s) => s.args.args)).toContainEqual(["npm", "ci", "--no-audit", "--no-fund"]);
  });

  it("runs the checks concurrently", async () => {
    const names = [
      "ruff check",
      "ruff format",
      "eslint",
      "tsc (frontend)",
      "tsc (root)",
      "tsc (ci module)",
      "prettier --check",
    ];
    await startDouble({ holdEvaluationsUntil: { ready: allInFlight(names), timeoutMs: 30_000 } });
    await session(() => new Prestamos(repo()).lint());
    expect(double.holdOutcome).toBe("ready");
  }, 60_000);
});

describe("test", () => {
  it("binds PostgreSQL as db, ready by a TCP healthcheck, and runs every suite with the default expectation", async () => {
    await startDouble();
    await session(() => new Prestamos(repo()).test().then((d) => d.id()));

    const q = queriesRunning(double, commandArgv("django tests (postgres)"))[0] as RecordedQuery;
    const binding = steps(q, "withServiceBinding")[0];
    expect(binding?.args.alias).toBe("db");
    const service = double.render(double.chainOf(String(binding?.args.service)));
    expect(service).toContain(`from(address: "${POSTGRES_IMAGE}")`);
    expect(service).toContain("withExposedPort(port: 5432)");
    expect(service).toContain(
      'withDockerHealthcheck(args: ["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-U", "postgres", "-d", "prestamos"]',
    );
    expect(service).toContain("asService(useEntrypoint: true)");
    const env = steps(q, "withEnvVariable").map((s) => `${String(s.args.name)}=${String(s.args.value)}`);
    expect(env).toContain("DATABASE_URL=postgres://postgres:postgres@db:5432/prestamos");

    const testCommands = GATE_COMMANDS.filter((c) => c.steps.includes("test"));
    for (const command of testCommands) {
      const found = execSteps(double).filter((s) => same(s.args.args, command.argv));
      expect(found.length, command.name).toBeGreaterThan(0);
      for (const exec of found) expect(exec.args.expect, `${command.name} must fail its step`).toBeUndefined();
    }
    // Coverage threshold and production settings, pinned.
    const report = queriesRunning(double, commandArgv("coverage report (postgres)"))[0] as RecordedQuery;
    expect(steps(report, "withEnvVariable").map((s) => `${String(s.args.name)}=${String(s.args.value)}`)).toContain(
      "DJANGO_SETTINGS_MODULE=config.settings.test",
    );
    const deploy = queriesRunning(double, commandArgv("django check --deploy"))[0] as RecordedQuery;
    expect(steps(deploy, "withEnvVariable").map((s) => `${String(s.args.name)}=${String(s.args.value)}`)).toContain(
      "DJANGO_SETTINGS_MODULE=config.settings.production",
    );
    // JUnit and coverage of every suite end up in the returned directory.
    const all = renderedAll(double);
    expect(all).toMatch(/withDirectory\(path: "\.", source: <.*directory\(path: "\/reports"\)>\)/);
  });

  it("runs the root projects in Node with their prerequisites, kubectl and Trivy from the pinned images", async () => {
    await startDouble();
    await session(() => new Prestamos(repo()).test().then((d) => d.id()));
    const q = queriesRunning(double, commandArgv("vitest (platform)"))[0] as RecordedQuery;
    const chain = double.render(q.path);
    expect(chain).toContain(`from(address: "${NODE_IMAGE}")`);
    // What tests/support/projects.ts requires of the platform project: nginx, Python with venv,
    // the project venv, the PostgreSQL server and openssl (database TLS test), git (hook test).
    expect(chain).toContain(
      'withExec(args: ["sh", "-c", "apt-get update && apt-get install -y --no-install-recommends nginx-light python3 python3-venv git openssl postgresql && rm -rf /var/lib/apt/lists/*"])',
    );
    expect(chain).toContain(
      'withExec(args: ["node", "-e", "import(\'./scripts/setup.mjs\').then((setup) => setup.ensureVenv())"])',
    );
    expect(chain.indexOf("setup.ensureVenv()")).toBeLessThan(chain.indexOf('withExec(args: ["npm", "ci"'));
    expect(chain).toContain(
      `withFile(path: "/usr/local/bin/kubectl", source: <container.from(address: "${KUBECTL_IMAGE}").file(path: "/bin/kubectl")>)`,
    );
    expect(chain).toContain(
      `withFile(path: "/usr/local/bin/trivy", source: <container.from(address: "${TRIVY_IMAGE}").file(path: "/usr/local/bin/trivy")>)`,
    );
    expect(chain).toContain('withEnvVariable(name: "TRIVY_BIN", value: "/usr/local/bin/trivy")');
  });

  it("runs the suites concurrently", async () => {
    // The command that starts each suite's chain.
    const first = [
      "django tests (postgres)",
      "django check --deploy",
      "vitest (frontend)",
      "vitest (ci)",
      "vitest (k8s)",
      "vitest (platform)",
      "vitest (docs)",
    ];
    await startDouble({ holdEvaluationsUntil: { ready: allInFlight(first), timeoutMs: 30_000 } });
    await session(() => new Prestamos(repo()).test().then((d) => d.id()));
    expect(double.holdOutcome).toBe("ready");
  }, 60_000);

  it.each(GATE_COMMANDS.filter((c) => c.steps.includes("test")).map((c) => [c.name, c] as const))(
    "fails when %s fails",
    async (_name, command) => {
      await startDouble({ exitCodeFor: (argv) => (same(argv, command.argv) ? 3 : 0) });
      const error = await failure(session(() => new Prestamos(repo()).test()));
      expect(error.message).toContain(`tests failed: ${command.name} (exit 3)`);
    },
  );

  it("test-reports tolerates failures (expect ANY), keeps every exit code, and never replays a cached run", async () => {
    const djangoArgv = commandArgv("django tests (postgres)");
    await startDouble({ exitCodeFor: (argv) => (same(argv, djangoArgv) ? 3 : 0) });
    const first = await session(() => new Prestamos(repo()).testReports().then((d) => d.id()));
    const reports = double.render(double.chainOf(first));
    expect(reports).toContain("status.json");
    expect(reports).toContain('\\"exitCode\\": 3');
    // Coverage XML is still produced after the failing test run.
    expect(execSteps(double).map((s) => s.args.args)).toContainEqual(commandArgv("coverage xml (postgres)"));
    for (const command of GATE_COMMANDS.filter((c) => c.steps.includes("test"))) {
      for (const exec of execSteps(double).filter((s) => same(s.args.args, command.argv)))
        expect(exec.args.expect, command.name).toBe("ANY");
    }
    const runIds = () =>
      new Set(
        double.queries
          .flatMap((q) => steps(q, "withEnvVariable"))
          .filter((s) => s.args.name === "PRESTAMOS_RUN_ID")
          .map((s) => s.args.value),
      );
    const firstIds = runIds();
    expect(firstIds.size).toBe(1);
    double.reset();
    await session(() => new Prestamos(repo()).testReports().then((d) => d.id()));
    const secondIds = runIds();
    expect(secondIds.size).toBe(1);
    expect([...secondIds][0]).not.toBe([...firstIds][0]);
  });
});

describe("images", () => {
  it("builds from the repo-root Dockerfiles with every OCI label and its build arg", async () => {
    await startDouble();
    await session(async () => {
      const p = new Prestamos(repo());
      await p.backend(SHA, "1.4.0", SOURCE_URL, BUILD_DATE).sync();
      await p.frontend(SHA).sync();
    });
    const builds = double.queries.filter((q) => q.leaf === "sync").map((q) => double.render(q.path));
    const backend = builds.find((b) => b.includes('"backend.Dockerfile"')) ?? "";
    const frontend = builds.find((b) => b.includes('"frontend.Dockerfile"')) ?? "";
    expect(backend).toContain(`host.directory(path: "/repo")`);
    for (const [arg, label, value] of [
      ["VCS_REF", "org.opencontainers.image.revision", SHA],
      ["VERSION", "org.opencontainers.image.version", "1.4.0"],
      ["SOURCE_URL", "org.opencontainers.image.source", SOURCE_URL],
      ["BUILD_DATE", "org.opencontainers.image.created", BUILD_DATE],
    ]) {
      expect(backend).toContain(`{name: "${arg}", value: "${value}"}`);
      expect(backend).toContain(`withLabel(name: "${label}", value: "${value}")`);
    }
    expect(frontend).toContain('withLabel(name: "org.opencontainers.image.version", value: "1a2b3c4")');
    expect(frontend).toContain('withLabel(name: "org.opencontainers.image.title", value: "prestamos-frontend")');
    expect(frontend).not.toContain("org.opencontainers.image.created");
  });

  it("rejects bad label values before any engine work", async () => {
    await startDouble();
    await expect(session(async () => new Prestamos(repo()).backend("not-a-sha"))).rejects.toThrow(/--sha "not-a-sha"/);
    await expect(
      session(async () => new Prestamos(repo()).backend(SHA, undefined, undefined, "yesterday")),
    ).rejects.toThrow(/--build-date/);
    expect(double.queries).toHaveLength(0);
  });
});

describe("manifests", () => {
  it("renders both overlays in the pinned kubectl image and passes schema and policy", async () => {
    await startDouble();
    const id = await session(() => new Prestamos(repo()).manifests().then((d) => d.id()));
    const all = renderedAll(double);
    expect(all).toContain(`from(address: "${KUBECTL_IMAGE}")`);
    for (const overlay of ["dev", "prod"]) {
      const argv = commandArgv(`kustomize k8s/overlays/${overlay}`);
      const exec = execSteps(double).find((s) => same(s.args.args, argv));
      expect(exec?.args.redirectStdout).toBe(`/rendered/${overlay}.yaml`);
      expect(exec?.args.expect).toBeUndefined();
    }
    expect(double.render(double.chainOf(id))).toContain(
      'withNewFile(path: "report.txt", contents: "k8s/overlays/dev: ',
    );
  });

  it("fails with the policy finding when the rendered prod overlay breaks a prod rule", async () => {
    const leak = "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: leak\n  namespace: challenge-prd\n";
    await startDouble({
      contentsFor: (chain) => {
        const out = manifestsContents(chain);
        return out !== undefined &&
          fileChain(double, chain).some((s) => same(s.args.args, commandArgv("kustomize k8s/overlays/prod")))
          ? out + leak
          : out;
      },
    });
    const error = await failure(session(() => new Prestamos(repo()).manifests()));
    expect(error.message).toMatch(
      /manifests failed:\nk8s\/overlays\/prod policy:\n.*\[secret-provenance\] Secret\/leak/s,
    );
  });
});

describe("scan-config", () => {
  it("scans both rendered overlays and both Dockerfiles in the pinned Trivy image with the ignore file", async () => {
    await startDouble();
    await session(() => new Prestamos(repo()).scanConfig());
    const q = queriesRunning(double, commandArgv("trivy config /scan"))[0] as RecordedQuery;
    const chain = double.render(q.path);
    expect(chain).toContain(`from(address: "${TRIVY_IMAGE}")`);
    expect(chain).toContain(
      'withFile(path: "/src/.trivyignore", source: <host.directory(path: "/repo").file(path: ".trivyignore")>)',
    );
    const scanned = steps(q, "withDirectory").find((s) => s.args.path === "/scan");
    const files = double.render(double.chainOf(String(scanned?.args.source)));
    for (const file of ["dev.yaml", "prod.yaml", "backend.Dockerfile", "frontend.Dockerfile"])
      expect(files).toContain(`withFile(path: "${file}"`);
    expect(steps(q, "withExec").at(-1)?.args.expect).toBeUndefined();
    expect(q.leaf).toBe("stdout");
  });
});

describe("smoke", () => {
  it("runs PostgreSQL, migrate, backend and frontend from the built images and checks through nginx", async () => {
    await startDouble();
    await session(() => new Prestamos(repo()).smoke());

    const migrate = queriesRunning(double, commandArgv("migrate"))[0] as RecordedQuery;
    const check = queriesRunning(double, commandArgv("smoke checks"))[0] as RecordedQuery;
    expect(migrate.end).toBeLessThanOrEqual(check.start);
    expect(double.render(migrate.path)).toContain('dockerBuild(dockerfile: "backend.Dockerfile"');
    const dbOfMigrate = steps(migrate, "withServiceBinding").find((s) => s.args.alias === "db");
    const started = double.chainOf(String(dbOfMigrate?.args.service));
    expect(started.at(-1)?.field).toBe("start"); // the db is started once and shared
    expect(double.render(started)).toContain(
      'withDockerHealthcheck(args: ["pg_isready", "-h", "127.0.0.1", "-p", "5432"',
    );

    // Client → frontend service → backend service → the same started db.
    expect(double.render(check.path)).toContain(`from(address: "${NODE_IMAGE}")`);
    const frontendBinding = steps(check, "withServiceBinding").find((s) => s.args.alias === "frontend");
    const frontend = double.chainOf(String(frontendBinding?.args.service));
    const frontendText = double.render(frontend);
    expect(frontendText).toContain('dockerBuild(dockerfile: "frontend.Dockerfile"');
    expect(frontendText).toContain('withEnvVariable(name: "BACKEND_URL", value: "http://backend:8000")');
    expect(frontendText).toContain("withExposedPort(port: 8080)");
    expect(frontend.at(-1)).toEqual({ field: "asService", args: { useEntrypoint: true } });
    const backendBinding = steps(frontend, "withServiceBinding").find((s) => s.args.alias === "backend");
    const backend = double.chainOf(String(backendBinding?.args.service));
    const backendText = double.render(backend);
    expect(backendText).toContain('dockerBuild(dockerfile: "backend.Dockerfile"');
    expect(backendText).toContain(
      'withEnvVariable(name: "DJANGO_SETTINGS_MODULE", value: "config.settings.production")',
    );
    expect(backendText).toContain(
      'withEnvVariable(name: "DATABASE_URL", value: "postgres://postgres:postgres@db:5432/prestamos")',
    );
    expect(backendText).toContain("withExposedPort(port: 8000)");
    expect(backend.at(-1)).toEqual({ field: "asService", args: { useEntrypoint: true } });
    expect(steps(backend, "withServiceBinding").find((s) => s.args.alias === "db")?.args.service).toBe(
      dbOfMigrate?.args.service,
    );
    // The backend service does not run migrate itself: it was done before, once.
    expect(steps(backend, "withExec")).toEqual([]);
    // And the db is stopped afterwards.
    expect(double.queries.some((q) => q.leaf === "stop")).toBe(true);
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
        SOURCE_URL,
        BUILD_DATE,
      ),
    );
    const published = double.queries
      .filter((q) => q.leaf === "publish")
      .map((q) => String(q.path.at(-1)?.args.address));
    expect(published.sort()).toEqual(
      [
        "ghcr.io/acme/prestamos/backend:1a2b3c4",
        "ghcr.io/acme/prestamos/backend:feature-login_page-1a2b3c4",
        "ghcr.io/acme/prestamos/frontend:1a2b3c4",
        "ghcr.io/acme/prestamos/frontend:feature-login_page-1a2b3c4",
      ].sort(),
    );
    expect(refs).toHaveLength(4);
    for (const ref of refs)
      expect(ref).toMatch(/^ghcr\.io\/acme\/prestamos\/(backend|frontend):[a-z0-9_.-]+@sha256:[0-9a-f]{64}$/);
    for (const q of double.queries.filter((x) => x.leaf === "publish")) {
      const auth = steps(q, "withRegistryAuth")[0];
      expect(auth?.args.address).toBe("ghcr.io");
      expect(auth?.args.username).toBe("octocat");
      expect(double.render(double.chainOf(String(auth?.args.secret)))).toBe(
        `setSecret(name: "registry-password", plaintext: "${REGISTRY_PASSWORD}")`,
      );
      expect(double.render(q.path)).toContain(
        `withLabel(name: "org.opencontainers.image.source", value: "${SOURCE_URL}")`,
      );
      expect(double.render(q.path)).toContain(
        `withLabel(name: "org.opencontainers.image.created", value: "${BUILD_DATE}")`,
      );
    }
    assertSecretOnlyInSetSecret(REGISTRY_PASSWORD);
    expect(double.refusals).toEqual([]);
  });

  it("rejects a bad registry address or missing labels before any engine work", async () => {
    await startDouble();
    const p = () => new Prestamos(repo());
    await expect(
      session(() =>
        p().publish(
          "https://ghcr.io/acme/app:latest",
          "u",
          dag.setSecret("p", "x"),
          SHA,
          "main",
          SOURCE_URL,
          BUILD_DATE,
        ),
      ),
    ).rejects.toThrow(/must not include a scheme/);
    await expect(
      session(() => p().publish("ghcr.io/acme/app", "u", dag.setSecret("p", "x"), SHA, "main", "", BUILD_DATE)),
    ).rejects.toThrow(/--source-url is required/);
    expect(double.queries.filter((q) => q.path[0]?.field !== "setSecret")).toHaveLength(0);
  });
});

/** The plaintext may appear only in the queries that create the secret (and `ci`'s read of it, to scrub its report). */
function assertSecretOnlyInSetSecret(plaintext: string): void {
  const carrying = double.queries.filter((q) => q.text.includes(plaintext));
  expect(carrying.length).toBeGreaterThan(0);
  for (const q of carrying) {
    expect(q.path[0]?.field).toBe("setSecret");
    expect(["id", "plaintext"]).toContain(q.leaf);
  }
}

describe("ci", () => {
  it("with no arguments runs the eight gate steps concurrently and prints the summary once", async () => {
    // Evaluations are held until one of each gate step is in flight at the same moment:
    // if `ci` ran its steps one after another, that moment would never come.
    const running = (q: RecordedQuery, argv: string[]) => steps(q, "withExec").some((s) => same(s.args.args, argv));
    const isBuild = (q: RecordedQuery) =>
      q.leaf === "sync" && steps(q, "dockerBuild").length > 0 && steps(q, "withExec").length === 0;
    const everyStep = (inFlight: readonly RecordedQuery[]) =>
      [
        (q: RecordedQuery) => running(q, commandArgv("ruff check")), // lint
        (q: RecordedQuery) => running(q, commandArgv("django tests (postgres)")), // test
        (q: RecordedQuery) => isBuild(q) && double.render(q.path).includes("backend.Dockerfile"), // build-backend
        (q: RecordedQuery) => isBuild(q) && double.render(q.path).includes("frontend.Dockerfile"), // build-frontend
        (q: RecordedQuery) =>
          q.leaf === "contents" &&
          fileChain(double, q.path.slice(0, -1)).some(
            (s) => s.field === "withExec" && (s.args.args as string[])[1] === "kustomize",
          ), // manifests
        (q: RecordedQuery) => running(q, commandArgv("trivy config /scan")), // scan-config
        (q: RecordedQuery) => steps(q, "withExec").some((s) => (s.args.args as string[])[1] === "image"), // scan-images
        (q: RecordedQuery) => q.leaf === "start", // smoke (its database)
      ].every((matches) => inFlight.some(matches));
    await startDouble({ holdEvaluationsUntil: { ready: everyStep, timeoutMs: 30_000 } });
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    await session(async () => (await new Prestamos(repo()).ci()).id());

    expect(double.holdOutcome).toBe("ready");
    expect(log).toHaveBeenCalledTimes(1);
    const summary = String(log.mock.calls[0]?.[0]);
    expect(summary).toMatch(/prestamos CI PASSED/);
    for (const step of GATE_STEPS) expect(summary).toMatch(new RegExp(`^${step} +passed +\\d`, "m"));
    expect(summary).toMatch(/^publish +skipped \(no registry credentials\)/m);
    expect(summary).toMatch(/^deploy +skipped \(no --branch\)/m);
    expect(summary).toMatch(/^gate: .+ wall, longest step \S+ .+ \(critical path \d+\.\d\d × longest step\)$/m);
    expect(double.queries.some((q) => q.leaf === "publish")).toBe(false);
  }, 60_000);

  it.each(GATE_COMMANDS.map((c) => [c.name, c] as const))(
    "a failing %s fails its step(s) and blocks publish",
    async (_name, command) => {
      await startDouble({ exitCodeFor: (argv) => (same(argv, command.argv) ? 1 : 0) });
      const error = await failure(session(() => ciPublishing(new Prestamos(repo()))));
      expect(error.message).toMatch(/prestamos CI FAILED/);
      for (const step of GATE_STEPS) {
        const expected = command.steps.includes(step) ? "failed" : "passed";
        expect(error.message, step).toMatch(new RegExp(`^${step} +${expected}`, "m"));
      }
      expect(error.message).toMatch(/^publish +skipped \(gate failed\)/m);
      expect(error.message).toMatch(/^deploy +skipped \(publish did not pass\)/m);
      expect(error.message).toMatch(/^record +skipped \(publish did not pass\)/m);
      expect(double.queries.some((q) => q.leaf === "publish")).toBe(false);
    },
  );

  it.each([
    ["dev", "dev"],
    ["feature/Login_Page", "feature-login_page"],
  ])("on %s publishes exactly the <sha> and <branch>-<sha> tags, never latest, labelled", async (branch, tag) => {
    await startDouble();
    vi.spyOn(console, "log").mockImplementation(() => undefined);
    await session(async () => (await ciPublishing(new Prestamos(repo()), { branch })).id());
    const published = double.queries.filter(
      (q) => q.leaf === "publish" && !String(q.path.at(-1)?.args.address).includes("/releases:"),
    );
    expect(published.map((q) => String(q.path.at(-1)?.args.address)).sort()).toEqual(
      [
        "ghcr.io/acme/prestamos/backend:1a2b3c4",
        `ghcr.io/acme/prestamos/backend:${tag}-1a2b3c4`,
        "ghcr.io/acme/prestamos/frontend:1a2b3c4",
        `ghcr.io/acme/prestamos/frontend:${tag}-1a2b3c4`,
      ].sort(),
    );
    for (const q of published) expect(double.render(q.path)).toContain(`{name: "SOURCE_URL", value: "${SOURCE_URL}"}`);
    // Publish starts only after every gate query finished.
    const firstPublish = Math.min(...published.map((q) => q.start));
    const gateQueries = double.queries.filter(
      (q) =>
        ["sync", "contents", "start", "stop"].includes(q.leaf) &&
        !steps(q, "withRegistryAuth").length &&
        !q.path.some((s) => s.field === "file" && String(s.args.path).endsWith("junit.xml")),
    );
    expect(firstPublish).toBeGreaterThanOrEqual(
      Math.max(...gateQueries.filter((q) => q.start < firstPublish).map((q) => q.end)),
    );
    assertSecretOnlyInSetSecret(REGISTRY_PASSWORD);
  });

  it("rejects a deploy request on a branch that does not deploy before any engine work", async () => {
    await startDouble();
    await expect(
      session(() =>
        new Prestamos(repo()).ci(
          "feature/x",
          SHA,
          undefined,
          SOURCE_URL,
          BUILD_DATE,
          "ghcr.io/acme/prestamos",
          "u",
          dag.setSecret("p", "x"),
          dag.setSecret("k", KUBECONFIG),
        ),
      ),
    ).rejects.toThrow(/branch "feature\/x" does not deploy/);
    expect(double.queries.filter((q) => q.path[0]?.field !== "setSecret")).toHaveLength(0);
  });
});
