/**
 * A throwaway PostgreSQL server for test suites, built from the machine's own binaries:
 * a temp data dir, a free loopback port, the unix socket inside the temp dir, a database
 * and a password-protected user (with CREATEDB, so Django can create its test database).
 * `stop()` shuts it down and deletes everything. Works as root: the server then runs as
 * the `postgres` system user, which owns the temp dir. With `tls`, it also serves TLS with
 * the given certificate and key (copied into its temp dir, where the server may read them).
 */
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "./net";
import { exitStatus, runProgramSync } from "./run";

export interface ThrowawayPostgres {
  /** postgres://user:password@127.0.0.1:port/db */
  url: string;
  stop(): Promise<void>;
}

export interface ThrowawayPostgresOptions {
  /** PEM files of the server certificate and its private key: the server also speaks TLS. */
  tls?: { certFile: string; keyFile: string };
}

const REQUIRED_BINARIES = ["initdb", "pg_ctl", "psql"];

/** The folder holding initdb/pg_ctl/psql (newest /usr/lib/postgresql/<v>/bin first, then PATH), or null. */
export function findPostgresBin(): string | null {
  const candidates: string[] = [];
  const root = "/usr/lib/postgresql";
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((name) => /^\d+$/.test(name))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((version) => path.join(root, version, "bin")));
  }
  candidates.push(...(process.env.PATH ?? "").split(path.delimiter).filter(Boolean));
  return candidates.find((dir) => REQUIRED_BINARIES.every((name) => existsSync(path.join(dir, name)))) ?? null;
}

const isRoot = (): boolean => typeof process.getuid === "function" && process.getuid() === 0;

/**
 * Runs a PostgreSQL binary, as the `postgres` user when we are root (initdb refuses root).
 * Synchronous, so that stop() still shuts the server down from a process 'exit' handler.
 */
function runPg(binary: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  const argv = isRoot() ? ["runuser", "-u", "postgres", "--", binary, ...args] : [binary, ...args];
  const result = runProgramSync(argv, { env: { ...process.env, ...env } });
  if (result.exitCode !== 0) {
    throw new Error(
      `${path.basename(binary)} failed (${result.signal ?? exitStatus(result)}): ${result.stderr || result.stdout}`,
    );
  }
  return result.stdout;
}

function uidOf(user: string): { uid: number; gid: number } {
  const id = (flag: string): number => {
    const result = runProgramSync(["id", flag, user]);
    if (result.exitCode !== 0) throw new Error(`id ${flag} ${user} failed: ${result.stderr}`);
    return Number(result.stdout.trim());
  };
  return { uid: id("-u"), gid: id("-g") };
}

export async function startThrowawayPostgres(options: ThrowawayPostgresOptions = {}): Promise<ThrowawayPostgres> {
  const bin = findPostgresBin();
  if (!bin) throw new Error("PostgreSQL binaries (initdb, pg_ctl, psql) were not found");
  const baseDir = mkdtempSync(path.join(tmpdir(), "throwaway-pg-"));
  const dataDir = path.join(baseDir, "data");
  const socketDir = baseDir;
  const logFile = path.join(baseDir, "server.log");
  const superPasswordFile = path.join(baseDir, "superuser.pw");
  const superPassword = randomBytes(18).toString("hex");
  const user = "app";
  const password = randomBytes(18).toString("hex");
  const database = "app";
  writeFileSync(superPasswordFile, `${superPassword}\n`, { mode: 0o600 });
  const tlsFiles = options.tls
    ? { cert: path.join(baseDir, "server.crt"), key: path.join(baseDir, "server.key") }
    : undefined;
  if (options.tls && tlsFiles) {
    copyFileSync(options.tls.certFile, tlsFiles.cert);
    copyFileSync(options.tls.keyFile, tlsFiles.key);
    chmodSync(tlsFiles.key, 0o600); // the server refuses a key others can read
  }
  if (isRoot()) {
    const { uid, gid } = uidOf("postgres");
    for (const file of [baseDir, superPasswordFile, ...(tlsFiles ? [tlsFiles.cert, tlsFiles.key] : [])])
      chownSync(file, uid, gid);
  }
  chmodSync(baseDir, 0o700);

  const port = await freePort();
  const pg = (name: string) => path.join(bin, name);
  let started = false;

  const stop = async (): Promise<void> => {
    try {
      if (started) runPg(pg("pg_ctl"), ["stop", "-D", dataDir, "-m", "fast", "-w", "-t", "30"]);
    } finally {
      started = false;
      rmSync(baseDir, { recursive: true, force: true });
    }
  };

  try {
    runPg(pg("initdb"), [
      "-D",
      dataDir,
      "-U",
      "postgres",
      "--auth=scram-sha-256",
      `--pwfile=${superPasswordFile}`,
      "--encoding=UTF8",
      "--locale=C",
    ]);
    const tls = tlsFiles ? ` -c ssl=on -c ssl_cert_file=${tlsFiles.cert} -c ssl_key_file=${tlsFiles.key}` : "";
    const serverOptions = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${socketDir} -c fsync=off -c full_page_writes=off -c synchronous_commit=off${tls}`;
    runPg(pg("pg_ctl"), ["start", "-D", dataDir, "-l", logFile, "-w", "-t", "60", "-o", serverOptions]);
    started = true;
    const sql = [
      `CREATE ROLE ${user} LOGIN CREATEDB PASSWORD '${password}';`,
      `CREATE DATABASE ${database} OWNER ${user};`,
    ];
    for (const statement of sql) {
      runPg(
        pg("psql"),
        [
          "-h",
          socketDir,
          "-p",
          String(port),
          "-U",
          "postgres",
          "-d",
          "postgres",
          "-v",
          "ON_ERROR_STOP=1",
          "-q",
          "-c",
          statement,
        ],
        { PGPASSWORD: superPassword },
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }

  return { url: `postgres://${user}:${password}@127.0.0.1:${port}/${database}`, stop };
}
