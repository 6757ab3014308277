/**
 * The frontend image on its own: metadata, and a read-only run (tmpfs /tmp and conf.d)
 * that renders the template with the image's defaults and turns healthy.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FRONTEND_IMAGE, docker, dockerOk, runningState, seconds, waitFor } from "../support/docker";
import { imageConfig, type ImageConfig } from "./support";

let config: ImageConfig;
const containers: string[] = [];

beforeAll(async () => {
  config = await imageConfig(FRONTEND_IMAGE);
});

afterAll(async () => {
  for (const id of containers) await docker(["rm", "--force", "--volumes", id]);
});

describe("frontend image metadata", () => {
  it("runs as uid 101 and listens on 8080", () => {
    expect(config.User).toBe("101");
    expect(Object.keys(config.ExposedPorts)).toEqual(["8080/tcp"]);
  });

  it("sets the documented defaults", () => {
    expect(config.Env).toEqual(
      expect.arrayContaining([
        "BACKEND_URL=http://backend:8000",
        "LOANS_RATE_LIMIT=30r/m",
        "LOANS_RATE_BURST=10",
        "TRUSTED_PROXY_CIDR=127.0.0.1/32",
      ]),
    );
  });

  it("has an exec-form HEALTHCHECK on /nginx-health and the OCI labels", () => {
    expect(config.Healthcheck?.Test[0]).toBe("CMD");
    expect(config.Healthcheck?.Test.join(" ")).toContain("/nginx-health");
    for (const key of ["source", "revision", "version", "created"]) {
      expect(config.Labels).toHaveProperty(`org.opencontainers.image.${key}`);
    }
  });
});

describe("frontend container with a read-only root filesystem", () => {
  it("renders the template, serves the app and turns healthy", async () => {
    const started = Date.now();
    // "backend" must resolve for proxy_pass; nothing listens there, so proxied paths 502.
    const id = await dockerOk([
      "run",
      "--detach",
      "--read-only",
      "--tmpfs",
      "/tmp",
      "--tmpfs",
      "/etc/nginx/conf.d:uid=101,gid=101",
      "--add-host",
      "backend:127.0.0.1",
      "--health-interval",
      "1s",
      FRONTEND_IMAGE,
    ]);
    containers.push(id);
    await waitFor(
      "frontend container healthy",
      async () => {
        const state = await runningState(id);
        return state.health === "healthy" ? state : undefined;
      },
      60_000,
    );
    console.log(`frontend (read-only): healthy after ${seconds(Date.now() - started)}`);

    const conf = await dockerOk(["exec", id, "cat", "/etc/nginx/conf.d/default.conf"]);
    expect(conf).toContain("rate=30r/m");
    expect(conf).toContain("burst=10");
    expect(conf).toContain("proxy_pass http://backend:8000;");
    expect(conf).not.toContain("${");
    expect(conf).toContain("$host"); // nginx's own variables are left alone
    expect(await dockerOk(["exec", id, "ls", "/etc/nginx/conf.d"])).toBe("default.conf");

    const status = (path: string) =>
      dockerOk([
        "exec",
        id,
        "curl",
        "--silent",
        "--output",
        "/dev/null",
        "--write-out",
        "%{http_code}",
        `http://127.0.0.1:8080${path}`,
      ]);
    expect(await status("/nginx-health")).toBe("200");
    expect(await status("/")).toBe("200");
    expect(await status("/staff/login")).toBe("200"); // SPA route → index.html
    expect(await status("/healthz")).toBe("502"); // proxied: no backend here

    const uids = await dockerOk([
      "exec",
      id,
      "sh",
      "-c",
      "for f in /proc/[0-9]*/status; do awk '/^Uid:/ {print $2}' \"$f\"; done | sort -u",
    ]);
    expect(uids.split("\n")).toEqual(["101"]);

    const logs = await docker(["logs", id]);
    expect(`${logs.stdout}${logs.stderr}`).not.toMatch(/\[emerg\]|not writable|Read-only file system/);
  });
});
