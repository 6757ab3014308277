#!/usr/bin/env node
/**
 * Installs what the test suites and `npm start` need beyond node_modules:
 *  - the project venv (.venv) from backend/requirements-dev.txt (skipped when unchanged);
 *  - the system programs some suites use (PostgreSQL server binaries, Chromium, nginx):
 *    installed with apt-get when running as root on Debian, otherwise listed with the
 *    command to install them (those suites then report NOT RUN, or fail under CI=true).
 *
 * Plain Node with no dependencies, so it works on a fresh clone before `npm ci` (`npm test`
 * runs it as `pretest`, `npm start` imports it): that is why it does not use zx like the
 * other scripts.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const VENV = path.join(ROOT, ".venv");
const REQUIREMENTS = ["backend/requirements.txt", "backend/requirements-dev.txt"];
const STAMP = path.join(VENV, ".requirements.sha256");

/** Debian package → how to tell it is already there. */
const SYSTEM_PACKAGES = {
  postgresql: () => postgresBinDir() !== null,
  chromium: () => existsSync("/usr/bin/chromium"),
  "nginx-light": () => existsSync("/usr/sbin/nginx") || onPath("nginx"),
  // The platform suite's database TLS test makes its certificates with the openssl CLI.
  openssl: () => onPath("openssl"),
};

// The scripts' and suites' PATH lookup is findOnPath() in tests/support/run.ts (zx's `which`);
// this file runs before `npm ci` on a fresh clone, with no package installed, so it keeps its own.
function onPath(command) {
  return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}

function postgresBinDir() {
  const base = "/usr/lib/postgresql";
  if (!existsSync(base)) return onPath("initdb") ? "" : null;
  const versions = readdirSync(base).filter((v) => existsSync(path.join(base, v, "bin", "initdb")));
  return versions.length > 0 ? path.join(base, versions.sort().at(-1), "bin") : null;
}

function run(file, args, options = {}) {
  console.log(`$ ${file} ${args.join(" ")}`);
  execFileSync(file, args, { stdio: "inherit", cwd: ROOT, ...options });
}

function findPython() {
  for (const candidate of ["python3.13", "python3.12", "python3.11", "python3"]) {
    const probe = spawnSync(candidate, ["-c", "import sys; print(sys.version_info >= (3, 11))"], {
      encoding: "utf8",
    });
    if (probe.status === 0 && probe.stdout.trim() === "True") return candidate;
  }
  throw new Error("Python ≥ 3.11 is required for the backend: install python3 (3.11 or newer).");
}

function requirementsHash() {
  const hash = createHash("sha256");
  for (const file of REQUIREMENTS) hash.update(readFileSync(path.join(ROOT, file)));
  return hash.digest("hex");
}

/** Creates .venv and installs the backend requirements when they changed. */
export function ensureVenv() {
  const python = path.join(VENV, "bin", "python");
  if (!existsSync(python)) run(findPython(), ["-m", "venv", VENV]);
  const wanted = requirementsHash();
  if (existsSync(STAMP) && readFileSync(STAMP, "utf8") === wanted) return python;
  run(python, ["-m", "pip", "install", "--quiet", "-r", "backend/requirements-dev.txt"]);
  writeFileSync(STAMP, wanted);
  return python;
}

/** Installs missing system packages with apt-get when possible; returns the ones still missing. */
export function ensureSystemPackages() {
  let missing = Object.entries(SYSTEM_PACKAGES)
    .filter(([, present]) => !present())
    .map(([name]) => name);
  if (missing.length === 0) return [];
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (isRoot && onPath("apt-get")) {
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    run("apt-get", ["update", "-qq"], { env });
    run("apt-get", ["install", "-y", "-qq", ...missing], { env });
    missing = missing.filter((name) => !SYSTEM_PACKAGES[name]());
  }
  if (missing.length > 0) {
    console.warn(
      `\n!! Missing system packages: ${missing.join(", ")}.\n` +
        `!! Install them (Debian/Ubuntu: sudo apt-get install ${missing.join(" ")}); until then the\n` +
        "!! suites that need them report NOT RUN (and fail under CI=true).\n",
    );
  }
  return missing;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    ensureVenv();
    ensureSystemPackages();
  } catch (error) {
    console.error(`setup failed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}
