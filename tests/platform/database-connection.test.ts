/**
 * How the backend reaches its database in a cluster, against a throwaway PostgreSQL
 * (tests/support/postgres.ts), with production settings and HOME=/nonexistent as in the image:
 *
 * - `manage.py wait_for_database` (the migrate Job's first step) waits for a server that is
 *   not up yet, gives up after --timeout, and fails at once on a wrong password;
 * - TLS as on RDS: `sslmode=verify-full` with `sslrootcert` (or the PGSSLMODE/PGSSLROOTCERT
 *   defaults the aws component sets) connects to a server whose certificate a test CA signed,
 *   and refuses it without the CA, with the pinned RDS bundle instead, or under a wrong name.
 */
import { existsSync } from "node:fs";
import { createServer, connect, type Server } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findPostgresBin, startThrowawayPostgres, type ThrowawayPostgres } from "../support/postgres";
import { freePort } from "../support/net";
import { exitStatus, REPO_ROOT, startProgram, VENV_BIN } from "../support/run";
import { makeTestCertificates } from "../support/test-certificates";

const RDS_BUNDLE = path.join(REPO_ROOT, "k8s/components/aws/rds-ca/global-bundle.pem");
const python = path.join(VENV_BIN, "python");

/**
 * `npm run test:platform` checks these first (tests/support/projects.ts) and says NOT RUN
 * without them; run any other way, their absence fails these tests instead of skipping them.
 */
function requirePrerequisites(): void {
  if (findPostgresBin() === null) throw new Error("PostgreSQL server binaries are missing: apt-get install postgresql");
  if (!existsSync(python)) throw new Error(".venv is missing: npm run setup");
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `manage.py <args>` with production settings, the image's HOME and the given database env. */
async function manage(args: string[], env: Record<string, string>, onStderr?: (text: string) => void): Promise<Run> {
  const program = startProgram([python, "manage.py", ...args], {
    cwd: path.join(REPO_ROOT, "backend"),
    env: {
      PATH: process.env.PATH ?? "",
      HOME: "/nonexistent",
      DJANGO_SETTINGS_MODULE: "config.settings.production",
      DJANGO_SECRET_KEY: "test-only-secret-key-for-database-connection-tests-0123456789abcdef",
      DJANGO_ALLOWED_HOSTS: "backend",
      ...env,
    },
  });
  let stderr = "";
  program.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    onStderr?.(stderr);
  });
  const output = await program;
  return { code: exitStatus(output), stdout: output.stdout, stderr: output.stderr };
}

const SSL_IN_USE =
  "from django.db import connection\nwith connection.cursor() as c:\n    c.execute('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')\n    print('ssl', c.fetchone()[0])";

function withQuery(url: string, query: Record<string, string>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
  return u.toString();
}

describe("wait_for_database", () => {
  let server: ThrowawayPostgres;
  beforeAll(async () => {
    requirePrerequisites();
    server = await startThrowawayPostgres();
  }, 120_000);
  afterAll(async () => server?.stop());

  it("returns at once when the database answers", async () => {
    const run = await manage(["wait_for_database", "--timeout", "30"], { DATABASE_URL: server.url });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("Database ready after 1 attempt(s).");
  });

  it("keeps trying until the database starts listening, then succeeds", async () => {
    // A port nothing listens on yet; after the first refused attempt, a forwarder to the
    // real server opens there (the database "finishes starting").
    const target = new URL(server.url);
    const port = await freePort();
    let forwarder: Server | undefined;
    const late = new URL(server.url);
    late.port = String(port);
    const run = await manage(
      ["wait_for_database", "--timeout", "60", "--interval", "0.5"],
      { DATABASE_URL: late.toString() },
      (stderr) => {
        if (forwarder || !stderr.includes("Database not ready")) return;
        forwarder = createServer((socket) => {
          const upstream = connect(Number(target.port), "127.0.0.1");
          socket.pipe(upstream).pipe(socket);
          const close = () => (socket.destroy(), upstream.destroy());
          socket.on("error", close);
          upstream.on("error", close);
        }).listen(port, "127.0.0.1");
      },
    );
    await new Promise((resolve) => (forwarder ? forwarder.close(resolve) : resolve(undefined)));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/Database not ready \(.*Connection refused.*\); retrying in 0\.5 s\./);
    expect(run.stdout).toMatch(/Database ready after ([2-9]|\d\d+) attempt\(s\)\./);
  });

  it("gives up after --timeout with the last error", async () => {
    const closed = new URL(server.url);
    closed.port = "1";
    const run = await manage(["wait_for_database", "--timeout", "1", "--interval", "0.2"], {
      DATABASE_URL: closed.toString(),
    });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/Database not reachable after \d+ attempts in 1 s: .*Connection refused/);
  });

  it("fails at once on a wrong password, which waiting cannot fix", async () => {
    const wrong = new URL(server.url);
    wrong.password = "not-the-password";
    const run = await manage(["wait_for_database", "--timeout", "60"], { DATABASE_URL: wrong.toString() });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/Database refused the connection: .*password authentication failed/);
    expect(run.stderr).not.toContain("retrying");
  });

  it("rejects a non-positive timeout", async () => {
    const run = await manage(["wait_for_database", "--timeout", "0"], { DATABASE_URL: server.url });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("--timeout and --interval must be positive");
  });
});

describe("TLS to the database (sslmode=verify-full)", () => {
  let server: ThrowawayPostgres;
  let testCa = "";

  beforeAll(async () => {
    requirePrerequisites();
    // A throwaway CA and a server certificate for 127.0.0.1 (only).
    const certificates = makeTestCertificates({ ips: ["127.0.0.1"] });
    const file = (name: string) => path.join(certificates.dir, name);
    testCa = file("ca.crt");
    server = await startThrowawayPostgres({ tls: { certFile: file("server.crt"), keyFile: file("server.key") } });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it("connects over TLS when DATABASE_URL names the CA with sslrootcert", async () => {
    const url = withQuery(server.url, { sslmode: "verify-full", sslrootcert: testCa });
    expect((await manage(["wait_for_database", "--timeout", "10"], { DATABASE_URL: url })).code).toBe(0);
    const shell = await manage(["shell", "--no-imports", "-c", SSL_IN_USE], { DATABASE_URL: url });
    expect(shell.stdout.trim(), shell.stderr).toBe("ssl True");
  });

  it("connects over TLS with the PGSSLMODE/PGSSLROOTCERT defaults and a plain DATABASE_URL", async () => {
    const env = { DATABASE_URL: server.url, PGSSLMODE: "verify-full", PGSSLROOTCERT: testCa };
    const shell = await manage(["shell", "--no-imports", "-c", SSL_IN_USE], env);
    expect(shell.stdout.trim(), shell.stderr).toBe("ssl True");
  });

  it("fails without a CA: libpq looks in $HOME/.postgresql, which the image does not have", async () => {
    const run = await manage(["wait_for_database", "--timeout", "10"], {
      DATABASE_URL: withQuery(server.url, { sslmode: "verify-full" }),
    });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/root certificate file "\/nonexistent\/\.postgresql\/root\.crt" does not exist/);
  });

  it("refuses a server the pinned RDS bundle did not sign", async () => {
    const run = await manage(["wait_for_database", "--timeout", "10"], {
      DATABASE_URL: server.url,
      PGSSLMODE: "verify-full",
      PGSSLROOTCERT: RDS_BUNDLE,
    });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/certificate verify failed/);
  });

  it("refuses a certificate issued for another host name, without retrying", async () => {
    const other = new URL(withQuery(server.url, { sslmode: "verify-full", sslrootcert: testCa }));
    other.hostname = "localhost"; // the same server, but the certificate names only 127.0.0.1
    const run = await manage(["wait_for_database", "--timeout", "30"], { DATABASE_URL: other.toString() });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/Database refused the connection: .*does not match host name "localhost"/);
    expect(run.stderr).not.toContain("retrying");
  });
});
