/**
 * The containers and services the stages run in: Python and Node with the project's
 * dependencies, the root test container (Node plus kubectl, Trivy and nginx), PostgreSQL,
 * git, and the pinned kubectl and Trivy images.
 */
import { type Container, dag, type Directory, type Service } from "@dagger.io/dagger";
import {
  KUBECTL_BINARY,
  KUBECTL_IMAGE,
  NODE_IMAGE,
  POSTGRES_IMAGE,
  PYTHON_IMAGE,
  TRIVY_BINARY,
  TRIVY_IMAGE,
} from "../images";
import { SRC } from "./exec";

/** Throwaway credentials of the throwaway databases (they live only inside the engine). */
export const THROWAWAY_DB = { user: "postgres", password: "postgres", name: "prestamos" } as const;
/** Hostname of the PostgreSQL service in the containers bound to it. */
export const DB_HOST = "db";
export const DATABASE_URL = `postgres://${THROWAWAY_DB.user}:${THROWAWAY_DB.password}@${DB_HOST}:5432/${THROWAWAY_DB.name}`;

/** Python with the backend's pinned dev requirements installed (pip cache volume). */
export function python(source: Directory): Container {
  return dag
    .container()
    .from(PYTHON_IMAGE)
    .withEnvVariable("PIP_DISABLE_PIP_VERSION_CHECK", "1")
    .withEnvVariable("PYTHONDONTWRITEBYTECODE", "1")
    .withEnvVariable("PYTHONUNBUFFERED", "1")
    .withMountedCache("/root/.cache/pip", dag.cacheVolume("prestamos-pip"))
    .withWorkdir(SRC)
    .withFile(`${SRC}/backend/requirements.txt`, source.file("backend/requirements.txt"))
    .withFile(`${SRC}/backend/requirements-dev.txt`, source.file("backend/requirements-dev.txt"))
    .withExec(["pip", "install", "-r", "backend/requirements-dev.txt"])
    .withDirectory(SRC, source);
}

/**
 * `base` with the root workspace (root + frontend) installed by `npm ci` (npm cache volume).
 * Only the manifests npm reads go into that layer, so other changes keep it cached.
 */
function withWorkspace(base: Container, source: Directory): Container {
  return base
    .withEnvVariable("CI", "true")
    .withMountedCache("/root/.npm", dag.cacheVolume("prestamos-npm"))
    .withWorkdir(SRC)
    .withDirectory(SRC, source, { include: ["package.json", "package-lock.json", "frontend/package.json"] })
    .withExec(["npm", "ci", "--no-audit", "--no-fund"])
    .withDirectory(SRC, source);
}

/** Node with the root workspace installed: ESLint, tsc, vitest, tsx. */
export function node(source: Directory): Container {
  return withWorkspace(dag.container().from(NODE_IMAGE), source);
}

/** The pinned kubectl image (kubectl and its built-in kustomize). */
export function kubectl(): Container {
  return dag.container().from(KUBECTL_IMAGE);
}

/** The pinned Trivy image. */
export function trivy(): Container {
  return dag.container().from(TRIVY_IMAGE);
}

/** git from Debian on the pinned Node image, for reading the repository's commit facts (stages/git.ts). */
export function gitTools(): Container {
  return dag
    .container()
    .from(NODE_IMAGE)
    .withExec([
      "sh",
      "-c",
      "apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*",
    ]);
}

/** Debian packages the root projects drive (tests/support/projects.ts lists why). */
export const ROOT_TEST_PACKAGES = ["nginx-light", "python3", "python3-venv", "git", "openssl", "postgresql"] as const;

/**
 * What the root vitest projects need besides node_modules, as tests/support/projects.ts
 * lists it: kubectl (k8s: renders the overlays) and Trivy (k8s: scans them) from the pinned
 * images; from Debian's packages nginx (platform: the production template), Python 3.11 with
 * venv (platform: `npm start` and the database TLS test), git (platform: the pre-commit hook),
 * openssl and the PostgreSQL server (platform: verify-full against a throwaway TLS server); and the
 * project venv, created by setup.mjs's own `ensureVenv` before the rest of the source arrives
 * (pip cache volume), so a source change does not reinstall it.
 */
export function rootTests(source: Directory): Container {
  const tools = dag
    .container()
    .from(NODE_IMAGE)
    .withExec([
      "sh",
      "-c",
      `apt-get update && apt-get install -y --no-install-recommends ${ROOT_TEST_PACKAGES.join(" ")} && rm -rf /var/lib/apt/lists/*`,
    ])
    .withFile("/usr/local/bin/kubectl", kubectl().file(KUBECTL_BINARY))
    .withFile("/usr/local/bin/trivy", trivy().file(TRIVY_BINARY))
    .withEnvVariable("TRIVY_BIN", "/usr/local/bin/trivy")
    .withMountedCache("/root/.cache/pip", dag.cacheVolume("prestamos-pip"))
    .withWorkdir(SRC)
    .withDirectory(SRC, source, {
      include: ["scripts/setup.mjs", "backend/requirements.txt", "backend/requirements-dev.txt"],
    })
    .withExec(["node", "-e", "import('./scripts/setup.mjs').then((setup) => setup.ensureVenv())"]);
  return withWorkspace(tools, source);
}

/**
 * A throwaway PostgreSQL, ready when it accepts TCP connections on 127.0.0.1:5432. The
 * healthcheck replaces the engine's port check (0.20.1+), so it must use TCP: over the Unix
 * socket pg_isready already answers while the entrypoint's temporary socket-only server runs.
 */
export function postgres(): Service {
  return dag
    .container()
    .from(POSTGRES_IMAGE)
    .withEnvVariable("POSTGRES_USER", THROWAWAY_DB.user)
    .withEnvVariable("POSTGRES_PASSWORD", THROWAWAY_DB.password)
    .withEnvVariable("POSTGRES_DB", THROWAWAY_DB.name)
    .withExposedPort(5432)
    .withDockerHealthcheck(
      ["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-U", THROWAWAY_DB.user, "-d", THROWAWAY_DB.name],
      {
        interval: "2s",
        timeout: "5s",
        retries: 30,
      },
    )
    .asService({ useEntrypoint: true });
}
