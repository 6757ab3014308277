/**
 * compose.yaml and .env.example read as files (no Docker needed, except the last tests):
 * portable between docker-compose 1.29 and compose v2, hardened services, private database
 * network, local-only defaults, and every documented variable present in .env.example.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { REPO_ROOT, findCompose, type ComposeProject } from "../support/docker";
import { composeProject, stackSettings } from "./support";

interface Service {
  image?: string;
  build?: { args?: Record<string, string>; network?: string };
  environment?: Record<string, string>;
  networks?: string[];
  read_only?: boolean;
  cap_drop?: string[];
  security_opt?: string[];
  tmpfs?: string[];
  ports?: string[];
  healthcheck?: { test: string[]; start_period?: string };
  depends_on?: Record<string, { condition: string }>;
  user?: string;
  pull_policy?: string;
}

const composeText = readFileSync(path.join(REPO_ROOT, "compose.yaml"), "utf8");
/** Without comment lines (the header names the features it avoids). */
const composeCode = composeText.replace(/^\s*#.*$/gm, "");
const compose = parse(composeText, { merge: true }) as {
  name?: string;
  services: Record<string, Service>;
  networks: Record<string, { internal?: boolean } | null>;
  volumes: Record<string, unknown>;
};
const services = compose.services;
const envExample = readFileSync(path.join(REPO_ROOT, ".env.example"), "utf8");
const interfaces = readFileSync(path.join(REPO_ROOT, "docs", "interfaces.md"), "utf8");

describe("compose.yaml portability (docker-compose 1.29 and compose v2)", () => {
  it("uses none of the features 1.29 rejects", () => {
    expect(compose.name).toBeUndefined();
    expect(composeCode).not.toMatch(/^include:/m);
    expect(composeCode).not.toMatch(/\$\{[A-Z0-9_]+:\+/); // ${VAR:+alt}
    expect(composeCode).not.toMatch(/start_interval|develop:|!reset|!override|additional_contexts|create_host_path/);
    expect(composeCode).not.toMatch(/^\s+required:/m); // depends_on.required
  });

  it("declares the four services with the local image names", () => {
    expect(Object.keys(services).sort()).toEqual(["backend", "db", "frontend", "migrate"]);
    expect(services.backend?.image).toBe("prestamos-backend:local");
    expect(services.migrate?.image).toBe("prestamos-backend:local");
    expect(services.frontend?.image).toBe("prestamos-frontend:local");
    expect(services.db?.image).toBe("postgres:${POSTGRES_VERSION:-17}-bookworm");
  });

  it("builds each image in exactly one service; the others run it without building or pulling", () => {
    const builders = new Map<string, string[]>();
    for (const [name, service] of Object.entries(services)) {
      if (service.build && service.image) builders.set(service.image, [...(builders.get(service.image) ?? []), name]);
    }
    for (const [image, names] of builders) expect(names, image).toHaveLength(1);
    expect(builders.get("prestamos-backend:local")).toEqual(["migrate"]);
    expect(services.backend?.build).toBeUndefined();
    expect(services.backend?.pull_policy).toBe("never");
    // backend starts after migrate, so compose (v2 and 1.29) has built the image by then.
    expect(services.backend?.depends_on).toHaveProperty("migrate");
  });

  it("takes build args from the environment with the Dockerfiles' defaults", () => {
    expect(services.migrate?.build?.args).toMatchObject({
      PYTHON_VERSION: "${PYTHON_VERSION:-3.13}",
      PIP_INDEX_URL: "${PIP_INDEX_URL:-}",
    });
    expect(services.frontend?.build?.args).toMatchObject({
      NODE_VERSION: "${NODE_VERSION:-24}",
      NGINX_VERSION: "${NGINX_VERSION:-1.28}",
    });
  });
});

describe("compose.yaml startup order and health", () => {
  it("gates migrate on a healthy db, backend on a finished migrate, frontend on a healthy backend", () => {
    expect(services.migrate?.depends_on).toEqual({ db: { condition: "service_healthy" } });
    expect(services.backend?.depends_on?.migrate).toEqual({ condition: "service_completed_successfully" });
    expect(services.frontend?.depends_on).toEqual({ backend: { condition: "service_healthy" } });
  });

  it("health-checks db (TCP pg_isready), backend (/healthz) and frontend (/nginx-health)", () => {
    expect(services.db?.healthcheck?.test.join(" ")).toMatch(/pg_isready -h 127\.0\.0\.1/);
    expect(services.backend?.healthcheck?.test.join(" ")).toContain("/healthz");
    expect(services.frontend?.healthcheck?.test.join(" ")).toContain("/nginx-health");
    for (const name of ["db", "backend", "frontend"])
      expect(services[name]?.healthcheck?.start_period, name).toBeDefined();
  });

  it("runs migrate then ensure_staff_user, once", () => {
    const command = (services.migrate as { command?: string[] }).command?.join(" ") ?? "";
    expect(command).toMatch(/manage\.py migrate --noinput && python manage\.py ensure_staff_user/);
  });
});

describe("compose.yaml hardening", () => {
  it.each(["migrate", "backend", "frontend"])(
    "%s: read-only root, tmpfs /tmp, no capabilities, no-new-privileges",
    (name) => {
      const service = services[name];
      expect(service?.read_only).toBe(true);
      expect(service?.tmpfs).toContain("/tmp");
      expect(service?.cap_drop).toEqual(["ALL"]);
      expect(service?.security_opt).toContain("no-new-privileges:true");
      expect(service?.user).toBeUndefined(); // the images set numeric non-root users
    },
  );

  it("runs the database as the postgres user, without capabilities", () => {
    expect(services.db?.user).toBe("postgres");
    expect(services.db?.cap_drop).toEqual(["ALL"]);
    expect(services.db?.security_opt).toContain("no-new-privileges:true");
  });

  it("gives nginx a conf.d tmpfs it can write", () => {
    expect(services.frontend?.tmpfs).toContain("/etc/nginx/conf.d:uid=101,gid=101");
  });

  it("keeps the database on an internal network the frontend is not on", () => {
    expect(compose.networks.db?.internal).toBe(true);
    expect(services.db?.networks).toEqual(["db"]);
    expect(services.migrate?.networks).toEqual(["db"]);
    expect(services.backend?.networks?.sort()).toEqual(["app", "db"]);
    expect(services.frontend?.networks).toEqual(["app"]);
    expect(services.db?.ports).toBeUndefined();
    expect(services.backend?.ports).toBeUndefined();
  });

  it("publishes only nginx, on loopback", () => {
    expect(services.frontend?.ports).toEqual(["127.0.0.1:${FRONTEND_PORT:-8080}:8080"]);
  });

  it("stores the database in a named volume", () => {
    expect(Object.keys(compose.volumes)).toEqual(["db-data"]);
  });

  it("marks every secret default as local-only, and gives the staff password only to migrate", () => {
    const secrets = ["DJANGO_SECRET_KEY", "POSTGRES_PASSWORD", "DJANGO_STAFF_PASSWORD"];
    for (const secret of secrets) {
      for (const match of composeCode.matchAll(new RegExp(`\\$\\{${secret}:-([^}]*)\\}`, "g"))) {
        expect(match[1], secret).toMatch(/^local-only-/);
      }
    }
    expect(services.backend?.environment).not.toHaveProperty("DJANGO_STAFF_PASSWORD");
    expect(services.migrate?.environment).toHaveProperty("DJANGO_STAFF_PASSWORD");
    expect(services.backend?.environment?.DJANGO_HTTPS).toBe("${DJANGO_HTTPS:-false}");
  });
});

describe(".env.example", () => {
  const defined = new Set([...envExample.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));

  it("lists every variable compose.yaml reads", () => {
    const used = new Set([...composeCode.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]));
    expect([...used].filter((name) => !defined.has(name))).toEqual([]);
  });

  it("lists every app variable of docs/interfaces.md", () => {
    const documented = new Set<string>();
    for (const row of interfaces.split("\n").filter((l) => l.startsWith("| `"))) {
      const firstCell = row.split("|")[1] ?? "";
      for (const m of firstCell.matchAll(/`([A-Z][A-Z0-9_]+)`/g)) documented.add(m[1] as string);
    }
    expect(documented.size).toBeGreaterThan(10);
    expect([...documented].filter((name) => !defined.has(name))).toEqual([]);
  });

  it("marks its secrets as local-only", () => {
    for (const secret of ["DJANGO_SECRET_KEY", "POSTGRES_PASSWORD", "DJANGO_STAFF_PASSWORD"]) {
      expect(envExample).toMatch(new RegExp(`^${secret}=local-only-`, "m"));
    }
  });
});

describe("compose config", () => {
  const found = findCompose();
  it.skipIf(!found)("is valid for the installed compose", async () => {
    const project: ComposeProject = composeProject(stackSettings());
    const result = await project.run(["config", "--quiet"]);
    expect(result.code, result.stderr).toBe(0);
  });

  it.skipIf(!found)("builds prestamos-backend:local once, as the installed compose reads the file", async () => {
    const result = await composeProject(stackSettings()).run(["config"]);
    expect(result.code, result.stderr).toBe(0);
    const resolved = parse(result.stdout) as { services: Record<string, Service> };
    const building = Object.entries(resolved.services).filter(
      ([, s]) => s.build && s.image === "prestamos-backend:local",
    );
    expect(building.map(([name]) => name)).toEqual(["migrate"]);
  });

  // Compose v2 only (1.29 has no --dry-run): the build plan names the backend image once.
  it.skipIf(!found?.v2)("plans exactly one build of prestamos-backend:local (compose --dry-run build)", async () => {
    const result = await composeProject(stackSettings()).run(["--dry-run", "build"], { timeoutMs: 120_000 });
    expect(result.code, result.stderr).toBe(0);
    const output = `${result.stdout}${result.stderr}`;
    expect(output.match(/naming to prestamos-backend:local/g)).toHaveLength(1);
    expect(output.match(/naming to prestamos-frontend:local/g)).toHaveLength(1);
  });
});
