/**
 * The container suite: builds both images, then runs `vitest --project containers`
 * (tests/containers/: image checks, Django checks inside the backend image, the compose
 * stack end to end, the browser suite against it), and always removes the test project.
 *
 *   npm run test:containers
 *
 * Needs Docker and compose (v2 `docker compose` or v1.29 `docker-compose`). Without them:
 * a loud NOT RUN (exit 3), or a failure under CI=true. Where no registry is reachable
 * (docs/adr/0004-no-dagger-engine-on-the-development-machine.md), load stand-ins for the base
 * images first and export their versions, PIP_INDEX_URL and DOCKER: this script forwards
 * them as build args.
 *
 * Environment: CONTAINERS_PROJECT (compose project, default prestamos-test),
 * CONTAINERS_PORT (host port of nginx, default 8080), plus the build args above.
 */
import {
  ComposeProject,
  IMAGES,
  buildImage,
  dockerUnavailableReason,
  findCompose,
  seconds,
} from "../tests/support/docker";
import { missingPrerequisite } from "../tests/support/prerequisites";
import { runInherited, startProgram } from "../tests/support/run";

const SUITE = "containers";

async function gitRevision(): Promise<string | undefined> {
  const result = await startProgram(["git", "rev-parse", "--short=12", "HEAD"]);
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

async function main(): Promise<number> {
  const dockerProblem = dockerUnavailableReason();
  if (dockerProblem) {
    missingPrerequisite(
      SUITE,
      "Docker",
      `${dockerProblem}. Install Docker (or run shared/tools/offline-images up) and retry.`,
    );
  }
  const compose = findCompose();
  if (!compose) {
    missingPrerequisite(
      SUITE,
      "Docker Compose",
      "Install the compose plugin (`docker compose`) or docker-compose 1.29.",
    );
  }
  console.log(`docker: ${process.env.DOCKER || "docker"}; compose: ${compose.argv.join(" ")} ${compose.version}`);

  process.env.VCS_REF ||= (await gitRevision()) ?? "unknown";
  const versions = ["PYTHON_VERSION", "NODE_VERSION", "NGINX_VERSION", "POSTGRES_VERSION"]
    .map((name) => `${name}=${process.env[name] || "(Dockerfile default)"}`)
    .join(" ");
  console.log(`base images: ${versions}`);

  for (const image of IMAGES) {
    const result = await buildImage(image);
    console.log(`built ${image.tag} in ${seconds(result.ms)} (from ${image.dockerfile}, base ${image.base()})`);
  }

  const code = await runInherited(["npx", "vitest", "run", "--project", SUITE, ...process.argv.slice(2)], {
    env: { ...process.env, CONTAINERS_IMAGES_BUILT: "1" },
  });

  // The stack test tears down in afterAll; this catches a crashed or interrupted run.
  const project = new ComposeProject(compose, process.env.CONTAINERS_PROJECT ?? "prestamos-test", {});
  const down = await project.down();
  if (down.code !== 0) console.error(`cleanup: compose down failed (exit ${down.code}): ${down.stderr}`);
  return code;
}

process.exitCode = await main();
