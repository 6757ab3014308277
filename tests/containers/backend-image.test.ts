/**
 * The backend image on its own: metadata, Django's deploy and migration checks inside it
 * (the same argv as the pipeline, from ci/src/commands.ts), and a read-only run that turns
 * healthy with no database.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHECK_ONLY_SECRET_KEY, djangoCheckCommands } from "../../ci/src/commands";
import { BACKEND_IMAGE, containerState, docker, dockerOk, runningState, seconds, waitFor } from "../support/docker";
import { imageConfig, type ImageConfig } from "./support";

let config: ImageConfig;
const containers: string[] = [];

beforeAll(async () => {
  config = await imageConfig(BACKEND_IMAGE);
});

afterAll(async () => {
  for (const id of containers) await docker(["rm", "--force", "--volumes", id]);
});

describe("backend image metadata", () => {
  it("runs as the numeric non-root user 10001:10001", () => {
    expect(config.User).toBe("10001:10001");
  });

  it("starts gunicorn in exec form, in /app, with production settings", () => {
    expect(config.Entrypoint ?? []).toEqual([]);
    expect(config.Cmd).toEqual(["gunicorn", "--config", "gunicorn.conf.py", "config.wsgi"]);
    expect(config.WorkingDir).toBe("/app");
    expect(config.Env).toEqual(
      expect.arrayContaining([
        "DJANGO_SETTINGS_MODULE=config.settings.production",
        "PYTHONDONTWRITEBYTECODE=1",
        "PYTHONUNBUFFERED=1",
      ]),
    );
    expect(config.Env.find((e) => e.startsWith("PATH="))).toMatch(/^PATH=\/opt\/venv\/bin:/);
    expect(Object.keys(config.ExposedPorts)).toEqual(["8000/tcp"]);
    expect(config.StopSignal).toBe("SIGTERM");
  });

  it("has an exec-form HEALTHCHECK on /healthz and the OCI labels", () => {
    expect(config.Healthcheck?.Test[0]).toBe("CMD");
    expect(config.Healthcheck?.Test.join(" ")).toContain("/healthz");
    for (const key of ["source", "revision", "version", "created"]) {
      expect(config.Labels).toHaveProperty(`org.opencontainers.image.${key}`);
    }
  });

  it("keeps the package index out of the image: not in ENV, not in the history", async () => {
    expect(config.Env.filter((e) => /^PIP_/.test(e))).toEqual([]);
    const history = await dockerOk(["history", "--no-trunc", "--format", "{{.CreatedBy}}", BACKEND_IMAGE]);
    expect(history).not.toMatch(/PIP_INDEX_URL|3141|pip install/);
  });

  it("ships no pip, precompiled bytecode, and only the venv and the app", async () => {
    const out = await dockerOk([
      "run",
      "--rm",
      "--network",
      "none",
      "--entrypoint",
      "sh",
      BACKEND_IMAGE,
      "-c",
      [
        "test ! -e /opt/venv/bin/pip && echo no-pip",
        "find /opt/venv/lib /app -name '*.pyc' | wc -l",
        "find /opt/venv -name '*.po' | wc -l",
        "test ! -e /app/db.sqlite3 && echo no-sqlite",
        "stat -c %u:%g /app/manage.py /opt/venv",
      ].join("; "),
    ]);
    const [noPip, pycCount, poCount, noSqlite, ...owners] = out.split("\n");
    expect(noPip).toBe("no-pip");
    expect(Number(pycCount)).toBeGreaterThan(500);
    expect(Number(poCount)).toBe(0);
    expect(noSqlite).toBe("no-sqlite");
    expect(owners).toEqual(["10001:10001", "10001:10001"]);
  });
});

describe("Django checks inside the image (ci/src/commands.ts)", () => {
  it("uses the check-only key, which is long enough for check --deploy", () => {
    expect(CHECK_ONLY_SECRET_KEY.length).toBeGreaterThanOrEqual(50);
  });

  it.each(djangoCheckCommands().map((spec) => [spec.name, spec] as const))("%s passes", async (_name, spec) => {
    // cwd "backend" is the image's WORKDIR /app; a read-only root and no network, as in production.
    const envArgs = Object.entries(spec.env ?? {}).flatMap(([key, value]) => ["--env", `${key}=${value}`]);
    const result = await docker([
      "run",
      "--rm",
      "--read-only",
      "--tmpfs",
      "/tmp",
      "--network",
      "none",
      ...envArgs,
      BACKEND_IMAGE,
      ...spec.argv,
    ]);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
  });
});

describe("backend container with a read-only root filesystem", () => {
  it("turns healthy without a database, /readyz says unavailable, SIGTERM stops it cleanly", async () => {
    const started = Date.now();
    const id = await dockerOk([
      "run",
      "--detach",
      "--read-only",
      "--tmpfs",
      "/tmp",
      "--network",
      "none",
      "--health-interval",
      "1s",
      "--env",
      `DJANGO_SECRET_KEY=${CHECK_ONLY_SECRET_KEY}`,
      "--env",
      "DJANGO_ALLOWED_HOSTS=localhost",
      "--env",
      "DJANGO_HTTPS=false",
      "--env",
      "DATABASE_URL=postgres://nobody:nothing@127.0.0.1:1/none",
      BACKEND_IMAGE,
    ]);
    containers.push(id);
    await waitFor(
      "backend container healthy",
      async () => {
        const state = await runningState(id);
        return state.health === "healthy" ? state : undefined;
      },
      60_000,
    );
    console.log(`backend (read-only, no database): healthy after ${seconds(Date.now() - started)}`);

    const probe = (path: string) =>
      docker([
        "exec",
        id,
        "python",
        "-c",
        `import urllib.request, urllib.error\ntry:\n    r = urllib.request.urlopen('http://127.0.0.1:8000${path}', timeout=10)\n    print(r.status, r.read().decode())\nexcept urllib.error.HTTPError as e:\n    print(e.code, e.read().decode())`,
      ]);
    const healthz = await probe("/healthz");
    expect(healthz.stdout).toMatch(/^200 .*"status": ?"ok"/);
    const readyz = await probe("/readyz");
    expect(readyz.stdout).toMatch(/^503 .*"status": ?"unavailable"/);

    const pid1 = await dockerOk(["exec", id, "sh", "-c", "tr '\\0' ' ' < /proc/1/cmdline; echo; id -u"]);
    expect(pid1).toMatch(/gunicorn/);
    expect(pid1.split("\n").at(-1)).toBe("10001");

    const stopStarted = Date.now();
    await dockerOk(["stop", "--time", "30", id]);
    const stopMs = Date.now() - stopStarted;
    const state = await containerState(id);
    console.log(`backend: docker stop (SIGTERM) took ${seconds(stopMs)}, exit code ${state.exitCode}`);
    expect(state.exitCode).toBe(0);
    expect(stopMs).toBeLessThan(25_000);
  });
});
