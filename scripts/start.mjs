#!/usr/bin/env node
/**
 * `npm start`: runs the whole app on this machine with no other service — Django on SQLite
 * (http://127.0.0.1:8000) and the Vite dev server (http://localhost:5173, proxying /api).
 * Installs node_modules and the venv first when they are missing, migrates the database and
 * creates the local staff user. Ctrl-C stops both processes.
 *
 * Plain Node with no dependencies, so it works on a fresh clone.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { ROOT, ensureVenv } from "./setup.mjs";

const BACKEND = path.join(ROOT, "backend");

/** Local-only defaults; any of them can be overridden from the environment. */
const LOCAL_ENV = {
  DJANGO_SETTINGS_MODULE: "config.settings.local",
  DJANGO_STAFF_USERNAME: "staff",
  DJANGO_STAFF_PASSWORD: "staff-local-only",
  DJANGO_STAFF_EMAIL: "staff@example.com",
};

const env = { ...process.env };
for (const [key, value] of Object.entries(LOCAL_ENV)) env[key] ??= value;
delete env.DATABASE_URL; // the embedded default: SQLite, no other service needed

if (!existsSync(path.join(ROOT, "node_modules"))) {
  execFileSync("npm", ["ci"], { cwd: ROOT, stdio: "inherit" });
}
const python = ensureVenv();
for (const args of [["migrate", "--noinput"], ["ensure_staff_user"]]) {
  execFileSync(python, ["manage.py", ...args], { cwd: BACKEND, env, stdio: "inherit" });
}

const children = [
  spawn(python, ["manage.py", "runserver", "127.0.0.1:8000"], { cwd: BACKEND, env, stdio: "inherit" }),
  spawn("npm", ["run", "dev", "--workspace", "frontend"], { cwd: ROOT, env, stdio: "inherit" }),
];
console.log(
  `\nPréstamos is starting:\n  app        http://localhost:5173/\n  staff area http://localhost:5173/staff ` +
    `(user ${env.DJANGO_STAFF_USERNAME}, password ${env.DJANGO_STAFF_PASSWORD})\n  API        http://127.0.0.1:8000/api/\n`,
);

let stopping = false;
function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  process.exitCode = code;
}
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => stopAll(0));
for (const child of children) child.on("exit", (code) => stopAll(code ?? 1));
