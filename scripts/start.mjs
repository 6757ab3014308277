#!/usr/bin/env node
/**
 * `npm start`: runs the whole app on this machine with no other service — Django on SQLite
 * (http://127.0.0.1:8000) and the Vite dev server (http://localhost:5173, proxying /api).
 * Installs node_modules and the venv first when they are missing, migrates the database and
 * creates the local staff user.
 *
 * Stopping: Ctrl-C (SIGINT) or SIGTERM (an IDE's stop button, a process manager) stops the
 * whole tree. Each server runs in its own process group, so the signal reaches Django's
 * autoreloader child and Vite's own children too, not only the processes started here;
 * whatever is still running after STOP_GRACE_MS is killed. When the parent goes away
 * (npm stopped, leaving this process orphaned), that counts as a stop as well.
 *
 * Ports: PRESTAMOS_API_PORT (default 8000) and PRESTAMOS_WEB_PORT (default 5173).
 *
 * Plain Node with no dependencies, so it works on a fresh clone.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { ROOT, ensureVenv } from "./setup.mjs";

const BACKEND = path.join(ROOT, "backend");
const STOP_GRACE_MS = 5_000;

/** Local-only defaults; any of them can be overridden from the environment. */
const LOCAL_ENV = {
  DJANGO_SETTINGS_MODULE: "config.settings.local",
  DJANGO_STAFF_USERNAME: "staff",
  DJANGO_STAFF_PASSWORD: "staff-local-only",
  DJANGO_STAFF_EMAIL: "staff@example.com",
};

function port(name, fallback) {
  const value = process.env[name] ?? String(fallback);
  if (!/^\d{1,5}$/.test(value) || Number(value) < 1 || Number(value) > 65535) {
    console.error(`${name}=${value} is not a TCP port (1-65535)`);
    process.exit(2);
  }
  return value;
}
const apiPort = port("PRESTAMOS_API_PORT", 8000);
const webPort = port("PRESTAMOS_WEB_PORT", 5173);

const env = { ...process.env, VITE_BACKEND_URL: `http://127.0.0.1:${apiPort}` };
for (const [key, value] of Object.entries(LOCAL_ENV)) env[key] ??= value;
delete env.DATABASE_URL; // the embedded default: SQLite, no other service needed

if (!existsSync(path.join(ROOT, "node_modules"))) {
  execFileSync("npm", ["ci"], { cwd: ROOT, stdio: "inherit" });
}
const python = ensureVenv();
for (const args of [["migrate", "--noinput"], ["ensure_staff_user"]]) {
  execFileSync(python, ["manage.py", ...args], { cwd: BACKEND, env, stdio: "inherit" });
}

/** `detached` gives each server its own process group: signalling -pid reaches all of it. */
const children = [
  spawn(python, ["manage.py", "runserver", `127.0.0.1:${apiPort}`], {
    cwd: BACKEND,
    env,
    stdio: "inherit",
    detached: true,
  }),
  spawn("npm", ["run", "dev", "--workspace", "frontend", "--", "--port", webPort], {
    cwd: ROOT,
    env,
    stdio: "inherit",
    detached: true,
  }),
];
console.log(
  `\nPréstamos is starting:\n  app        http://localhost:${webPort}/\n  staff area http://localhost:${webPort}/staff ` +
    `(user ${env.DJANGO_STAFF_USERNAME}, password ${env.DJANGO_STAFF_PASSWORD})\n  API        http://127.0.0.1:${apiPort}/api/\n`,
);

/** Sends `signal` to a child's whole process group; false when nothing of it is left. */
function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
    return true;
  } catch (error) {
    if (error.code === "ESRCH") return false;
    throw error;
  }
}

let stopping = false;
async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) signalGroup(child, "SIGTERM");
  const deadline = Date.now() + STOP_GRACE_MS;
  while (children.some((child) => signalGroup(child, 0)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (const child of children) {
    if (signalGroup(child, "SIGKILL"))
      console.error(`process group ${child.pid} did not stop within ${STOP_GRACE_MS} ms: killed`);
  }
  process.exit(code);
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => void stopAll(0));
for (const child of children) child.on("exit", (code) => void stopAll(code ?? 1));

// `npm start` runs this file under `sh -c`: when npm is stopped, the shell between us may
// die without passing the signal on. Losing our parent means we were stopped too.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) void stopAll(0);
}, 500).unref();
