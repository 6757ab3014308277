/**
 * The smoke stage: the built images run together before anything is published, as
 * compose.yaml runs them: PostgreSQL, the migrate command in the backend image, the backend
 * and the frontend as services, and the HTTP checks of ci/src/smoke.ts through the
 * frontend's nginx, from a container bound to it.
 */
import type { Container, Directory } from "@dagger.io/dagger";
import { MIGRATE_ARGV, smokeCommand } from "../commands";
import { DATABASE_URL, DB_HOST, node, postgres } from "./toolchains";

/** Ports the images listen on (backend.Dockerfile, frontend.Dockerfile). */
const BACKEND_PORT = 8000;
const FRONTEND_PORT = 8080;

/** A throwaway key for the smoke stack only (it lives and dies inside the engine). */
const SMOKE_SECRET_KEY = "smoke-only-not-a-secret-7Hq2Lx9Vb4Nc8Mz1Kp6Rw3Ty5Gd0Fs";

/** The backend's settings in the smoke stack: production settings, plain HTTP inside the engine. */
function backendEnv(ctr: Container): Container {
  const env: Record<string, string> = {
    DJANGO_SETTINGS_MODULE: "config.settings.production",
    DJANGO_SECRET_KEY: SMOKE_SECRET_KEY,
    DJANGO_ALLOWED_HOSTS: "backend,frontend,localhost",
    CSRF_TRUSTED_ORIGINS: `http://frontend:${FRONTEND_PORT}`,
    DJANGO_HTTPS: "false",
    DATABASE_URL,
  };
  return Object.entries(env).reduce((c, [name, value]) => c.withEnvVariable(name, value), ctr);
}

/** Runs the stack and the checks; returns their output, throws when a check fails. */
export async function smoke(source: Directory, backendImage: Container, frontendImage: Container): Promise<string> {
  // Started explicitly so the migrated database is the one the backend uses afterwards.
  const db = await postgres().start();
  try {
    const backend = backendEnv(backendImage).withServiceBinding(DB_HOST, db);
    await backend.withExec([...MIGRATE_ARGV]).sync();
    const backendService = backend.withExposedPort(BACKEND_PORT).asService({ useEntrypoint: true });
    const frontendService = frontendImage
      .withServiceBinding("backend", backendService)
      .withEnvVariable("BACKEND_URL", `http://backend:${BACKEND_PORT}`)
      .withExposedPort(FRONTEND_PORT)
      .asService({ useEntrypoint: true });
    const spec = smokeCommand(`http://frontend:${FRONTEND_PORT}`);
    return await node(source)
      .withServiceBinding("frontend", frontendService)
      .withExec([...spec.argv])
      .stdout();
  } finally {
    await db.stop();
  }
}
