/**
 * One source of truth for every command the pipeline runs inside containers.
 *
 * The Dagger functions run these argv arrays in their containers; the native test
 * scripts (scripts/test-*.ts) import and run the very same arrays on this machine, so a
 * command that is broken fails locally before it can fail in the pipeline.
 *
 * This module is pure: no Dagger, no I/O.
 */

/** A command and the repo-relative folder it runs in. */
export interface CommandSpec {
  /** Short label used in logs and run summaries. */
  readonly name: string;
  /** Working directory, relative to the repository root. */
  readonly cwd: string;
  readonly argv: readonly string[];
  /** Extra environment for this command only (never secrets). */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * A throwaway key that satisfies Django's deploy checks (length, variety, no
 * "django-insecure-" prefix). Used only to run `check --deploy`, never to serve.
 */
export const CHECK_ONLY_SECRET_KEY = "check-only-not-a-secret-9f3Kq2VxL7mZp4Rt8WyB1nHc6DsJ0aEu5GiOoTl";

/** Static checks of the Python code: lint and formatting. */
export function pythonLintCommands(): CommandSpec[] {
  return [
    { name: "ruff check", cwd: "backend", argv: ["ruff", "check", "."] },
    { name: "ruff format", cwd: "backend", argv: ["ruff", "format", "--check", "."] },
  ];
}

/** Django's own deploy and migration checks, with production settings. */
export function djangoCheckCommands(): CommandSpec[] {
  const production = {
    DJANGO_SETTINGS_MODULE: "config.settings.production",
    DJANGO_SECRET_KEY: CHECK_ONLY_SECRET_KEY,
    DJANGO_ALLOWED_HOSTS: "prestamos.example.com",
  };
  return [
    {
      name: "django check --deploy",
      cwd: "backend",
      argv: ["python", "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
      env: production,
    },
    {
      name: "makemigrations --check",
      cwd: "backend",
      argv: ["python", "manage.py", "makemigrations", "--check", "--dry-run"],
      env: production,
    },
  ];
}

/**
 * Django tests with branch coverage. The database comes from DATABASE_URL (unset: SQLite).
 * `reportsDir` is relative to the backend folder or absolute; JUnit XML and coverage XML land there.
 */
export function backendTestCommands(reportsDir: string, label: "sqlite" | "postgres"): CommandSpec[] {
  const env = {
    DJANGO_SETTINGS_MODULE: "config.settings.test",
    TEST_JUNIT_XML: `${reportsDir}/backend-${label}-junit.xml`,
    COVERAGE_FILE: `${reportsDir}/.coverage.${label}`,
  };
  return [
    {
      name: `django tests (${label})`,
      cwd: "backend",
      argv: ["python", "-m", "coverage", "run", "manage.py", "test", "--noinput"],
      env,
    },
    {
      name: `coverage xml (${label})`,
      cwd: "backend",
      argv: ["python", "-m", "coverage", "xml", "-o", `${reportsDir}/backend-${label}-coverage.xml`],
      env,
    },
    {
      name: `coverage report (${label})`,
      cwd: "backend",
      argv: ["python", "-m", "coverage", "report", "--fail-under=90"],
      env,
    },
  ];
}

/** Frontend static checks: ESLint and the TypeScript build check. */
export function frontendLintCommands(): CommandSpec[] {
  return [
    { name: "eslint", cwd: "frontend", argv: ["npm", "run", "lint"] },
    { name: "tsc (frontend)", cwd: "frontend", argv: ["npm", "run", "typecheck"] },
  ];
}

/** Frontend unit tests with JUnit XML and coverage written to `reportsDir` (absolute). */
export function frontendTestCommands(reportsDir: string): CommandSpec[] {
  return [
    {
      name: "vitest (frontend)",
      cwd: "frontend",
      argv: [
        "npx",
        "vitest",
        "run",
        "--reporter=default",
        "--reporter=junit",
        `--outputFile.junit=${reportsDir}/frontend-junit.xml`,
        "--coverage.enabled",
        `--coverage.reportsDirectory=${reportsDir}/frontend-coverage`,
      ],
    },
  ];
}

/** TypeScript checks of the root (scripts, tests, pipeline) and of the module as the Dagger runtime sees it. */
export function rootTypecheckCommands(): CommandSpec[] {
  return [
    { name: "tsc (root)", cwd: ".", argv: ["npx", "tsc", "-p", "tsconfig.json", "--noEmit"] },
    { name: "tsc (ci module)", cwd: ".", argv: ["npx", "tsc", "-p", "ci/tsconfig.json", "--noEmit"] },
  ];
}

/** Prettier's check of TypeScript, TSX, JSON, YAML and Markdown (`npm run format` fixes it). */
export function formatCheckCommands(): CommandSpec[] {
  return [{ name: "prettier --check", cwd: ".", argv: ["npx", "prettier", "--check", "."] }];
}

/**
 * The root vitest projects (vitest.config.ts) the gate runs. `e2e` (a browser) and
 * `containers` (Docker) are not among them: the pipeline's image smoke test stands in.
 */
export const ROOT_TEST_PROJECTS = ["ci", "k8s", "platform", "docs"] as const;
export type RootTestProject = (typeof ROOT_TEST_PROJECTS)[number];

/** One root vitest project; with `reportsDir` (absolute), also a JUnit report `<project>-junit.xml` there. */
export function rootTestCommand(project: RootTestProject, reportsDir?: string): CommandSpec {
  const junit = reportsDir
    ? ["--reporter=default", "--reporter=junit", `--outputFile.junit=${reportsDir}/${project}-junit.xml`]
    : [];
  return { name: `vitest (${project})`, cwd: ".", argv: ["npx", "vitest", "run", "--project", project, ...junit] };
}

/** Renders a kustomize overlay (repo-relative `dir`) to stdout, as `kubectl kustomize` does. */
export function kustomizeCommand(dir: string): CommandSpec {
  return { name: `kustomize ${dir}`, cwd: ".", argv: ["kubectl", "kustomize", dir] };
}

/** The Trivy ignore file (repo root): each ignored check id with its reason. */
export const TRIVY_IGNORE_FILE = ".trivyignore";

/**
 * Trivy's misconfiguration scan of `target` (rendered manifests, Dockerfiles), offline:
 * the checks built into the binary, every severity reported and any finding fails
 * (exit 1), except the ids in .trivyignore. `cwd` is where .trivyignore is.
 */
export function trivyConfigCommand(target: string, format: "table" | "json" = "table"): CommandSpec {
  return {
    name: `trivy config ${target}`,
    cwd: ".",
    argv: [
      "trivy",
      "config",
      "--skip-policy-update",
      "--severity",
      "UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL",
      "--exit-code",
      "1",
      "--ignorefile",
      TRIVY_IGNORE_FILE,
      "--format",
      format,
      target,
    ],
  };
}

/** Migrates the database from inside the backend image (its WORKDIR), like compose.yaml's `migrate` service. */
export const MIGRATE_ARGV: readonly string[] = ["python", "manage.py", "migrate", "--noinput"];

/** The image smoke test (ci/src/smoke.ts) against a running stack's public URL. */
export function smokeCommand(baseUrl: string): CommandSpec {
  return { name: "smoke checks", cwd: ".", argv: ["npx", "tsx", "scripts/smoke.ts", baseUrl] };
}

/**
 * The JUnit XML files `specs` write into `reportsDir` (file names, in order, each once):
 * Django's runner through TEST_JUNIT_XML, vitest through --outputFile.junit.
 */
export function junitReportFiles(specs: readonly CommandSpec[], reportsDir: string): string[] {
  const paths = specs.flatMap((spec) => [
    ...(spec.env?.TEST_JUNIT_XML ? [spec.env.TEST_JUNIT_XML] : []),
    ...spec.argv
      .filter((arg) => arg.startsWith("--outputFile.junit="))
      .map((arg) => arg.slice("--outputFile.junit=".length)),
  ]);
  // Commands of one suite share its environment: each file once.
  return [...new Set(paths.filter((p) => p.startsWith(`${reportsDir}/`)).map((p) => p.slice(reportsDir.length + 1)))];
}
