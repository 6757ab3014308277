/**
 * `npm start` as a developer (or an IDE's stop button) uses it: it serves the API and the
 * SPA, and a SIGTERM to the `npm` process, or a Ctrl-C (SIGINT to the terminal's process
 * group), stops the whole tree: Django's autoreloader and its child, npm, Vite and esbuild.
 * Linux only (reads /proc).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/run";

interface Proc {
  readonly pid: number;
  readonly ppid: number;
  /** Start time in clock ticks since boot: tells a process from a later one with the same pid. */
  readonly start: string;
  readonly cmd: string;
}

function processes(): Proc[] {
  const out: Proc[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the parenthesised command name: state ppid … (starttime is field 22).
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const cmd = readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ").trim();
      out.push({ pid: Number(entry), ppid: Number(fields[1]), start: fields[19] ?? "", cmd });
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

function descendants(root: number): Proc[] {
  const all = processes();
  const found: Proc[] = [];
  let frontier = [root];
  while (frontier.length > 0) {
    const children = all.filter((p) => frontier.includes(p.ppid));
    found.push(...children);
    frontier = children.map((p) => p.pid);
  }
  return found;
}

const alive = (tree: readonly Proc[]) => {
  const now = processes();
  return tree.filter((p) => now.some((q) => q.pid === p.pid && q.start === p.start && !/^$/.test(q.cmd)));
};

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const answers = async (url: string) => {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2_000) })).status === 200;
  } catch {
    return false;
  }
};

let npm: ChildProcess | undefined;
let tree: Proc[] = [];
let output = "";

afterEach(() => {
  // Never leave a server behind, even when the test failed.
  for (const p of alive(tree)) {
    try {
      process.kill(p.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  npm = undefined;
  tree = [];
  output = "";
});

/** Starts `npm start` in its own process group (like a terminal does) and waits for both servers. */
async function start(): Promise<ChildProcess> {
  const [api, web] = [await freePort(), await freePort()];
  const child = spawn("npm", ["start"], {
    cwd: REPO_ROOT,
    env: { ...process.env, PRESTAMOS_API_PORT: String(api), PRESTAMOS_WEB_PORT: String(web) },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  npm = child;
  try {
    await waitFor("the API", () => answers(`http://127.0.0.1:${api}/healthz`), 180_000);
    await waitFor("the SPA through Vite", () => answers(`http://127.0.0.1:${web}/`), 60_000);
    await waitFor("the API through Vite's proxy", () => answers(`http://127.0.0.1:${web}/api/loans/rules/`), 30_000);
  } catch (error) {
    tree = descendants(child.pid as number);
    throw new Error(`${(error as Error).message}\n${output.slice(-3000)}`);
  }
  tree = descendants(child.pid as number);
  return child;
}

async function expectWholeTreeGone(child: ChildProcess): Promise<void> {
  const exited =
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise((resolve) => child.once("exit", resolve));
  await Promise.race([
    exited,
    new Promise((_, reject) => setTimeout(() => reject(new Error("npm start did not exit")), 30_000)),
  ]);
  // start.mjs waits for every group before it exits; allow the kernel a moment to reap.
  await waitFor("every process of the tree to end", () => alive(tree).length === 0, 10_000).catch(() => undefined);
  expect(alive(tree).map((p) => `${p.pid} ${p.cmd}`)).toEqual([]);
}

describe.skipIf(process.platform !== "linux")("npm start", () => {
  it("stops the whole tree on SIGTERM to the npm process", async () => {
    const child = await start();
    const commands = tree.map((p) => p.cmd);
    // The tree really has the grandchildren that used to survive.
    expect(commands.filter((c) => /manage\.py runserver/.test(c)).length, commands.join("\n")).toBeGreaterThanOrEqual(
      2,
    );
    expect(commands.filter((c) => /vite/.test(c)).length, commands.join("\n")).toBeGreaterThanOrEqual(2);
    process.kill(child.pid as number, "SIGTERM");
    await expectWholeTreeGone(child);
  }, 300_000);

  it("stops the whole tree on Ctrl-C (SIGINT to the terminal's process group)", async () => {
    const child = await start();
    process.kill(-(child.pid as number), "SIGINT");
    await expectWholeTreeGone(child);
  }, 300_000);
});
