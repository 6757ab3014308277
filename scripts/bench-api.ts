/**
 * `npm run bench:api`: throughput and latency of the API on the production-like stack
 * (nginx → gunicorn → PostgreSQL, tests/support/stack.ts), all on 127.0.0.1.
 *
 * Scenarios, each a fixed duration with a fixed number of connections after a short warm-up:
 *   1. bare          GET  /api/loans/rules/ through nginx: the full Django middleware stack and
 *                    a JSON answer, no database (/healthz would skip the middleware, so it is
 *                    not "the same stack")
 *   2. select-floor  GET  /api/bench/select-floor/ with the staff cookie: the staff check and one
 *                    20-row SELECT as JSON — the least a staff list can cost
 *   3. list          GET  /api/loans/?page_size=20 with a staff session cookie
 *   4. insert-floor  POST /api/bench/insert-floor/ with the create body: json.loads and one ORM
 *                    INSERT, nothing else — the least a create can cost on this stack
 *   5. create        POST /api/loans/ with a unique valid DNI per request (one open request per DNI)
 * The floors exist only in the benchmark settings (backend/config/settings/benchmark.py), which
 * the backend runs with here. A floor and its endpoint take turns (BENCH_ROUNDS), so that
 * load from outside the benchmark falls on both alike. Printed ratios: create / insert-floor
 * and list / select-floor, of req/s and of CPU per request (the latter is what throughput
 * follows on a machine nobody else uses).
 * The list pair runs on the seeded table (BENCH_SEED requests, its size is printed) after an
 * ANALYZE, as autovacuum would have long since done on a table that size: without statistics
 * the planner takes a table that grew from nothing to thousands of rows in seconds for a tiny
 * one.
 *
 * The load generator (autocannon) runs in a SEPARATE process (this file re-spawned with
 * --worker), so it never shares an event loop with anything measured. The nginx rate limit of
 * POST /api/loans/ is lifted for the run (printed). Figures are printed, never asserted.
 *
 * Options (environment): BENCH_DURATION (s, default 10), BENCH_CONNECTIONS (default 8),
 * BENCH_WARMUP (s, default 2), BENCH_SEED (loans created before the list scenarios, default 5000),
 * BENCH_ROUNDS (turns each floor and its endpoint take, splitting the duration; default 2),
 * GUNICORN_WORKERS / GUNICORN_THREADS (passed to the backend when set).
 */
import autocannon from "autocannon";
import { readFileSync, readdirSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import type { ProcessPromise } from "zx";
import { ApiClient } from "../tests/support/api-client";
import { findPostgresBin } from "../tests/support/postgres";
import { runProgramSync, startProgram } from "../tests/support/run";

const THIS_FILE = fileURLToPath(import.meta.url);
const RESULT_MARKER = "BENCH_RESULT ";

type ScenarioKind = "bare" | "insert-floor" | "create" | "select-floor" | "list";

interface WorkerConfig {
  kind: ScenarioKind;
  baseUrl: string;
  connections: number;
  duration: number;
  /** Cookie header for the staff list. */
  cookie?: string;
  /** First DNI of this run's sequence (create). */
  dniStart?: number;
}

interface WorkerResult {
  requestsPerSecond: number;
  total: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
  durationSeconds: number;
  statusCodes: Record<string, number>;
  /** Socket-level errors by code (ECONNRESET, ...). */
  socketErrors: Record<string, number>;
  /** CPU seconds the load generator itself used. */
  loadCpuSeconds: number;
}

// ─── worker: runs in its own process ────────────────────────────────────────────────────

async function runWorker(config: WorkerConfig): Promise<void> {
  const url = new URL(config.baseUrl);
  let dni = config.dniStart ?? 10_000_000;
  const names = ["Ana García", "Juan Pérez", "María López", "Carlos Díaz", "Lucía Romero", "Diego Sosa"];
  const genders = ["F", "M", "X"] as const;

  const requests: NonNullable<autocannon.Options["requests"]> = [];
  const staffHeaders = { cookie: config.cookie ?? "", accept: "application/json" };
  if (config.kind === "bare") {
    requests.push({ method: "GET", path: "/api/loans/rules/" });
  } else if (config.kind === "list") {
    requests.push({ method: "GET", path: "/api/loans/?page_size=20", headers: staffHeaders });
  } else if (config.kind === "select-floor") {
    requests.push({ method: "GET", path: "/api/bench/select-floor/", headers: staffHeaders });
  } else {
    requests.push({
      method: "POST",
      path: config.kind === "create" ? "/api/loans/" : "/api/bench/insert-floor/",
      headers: { "content-type": "application/json", accept: "application/json" },
      setupRequest: (request) => {
        dni += 1;
        const index = dni % names.length;
        const body = JSON.stringify({
          full_name: names[index],
          dni: String(dni),
          gender: genders[dni % genders.length],
          email: `bench${dni}@example.com`,
          // Up to the auto-approval limit, so every request gets a decision from the rules engine.
          amount: `${50_000 + (dni % 90) * 10_000}.00`,
        });
        return { ...request, body };
      },
    });
  }

  const statusCodes: Record<string, number> = {};
  const socketErrors: Record<string, number> = {};
  const cpuBefore = process.cpuUsage();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: url.origin,
        connections: config.connections,
        duration: config.duration,
        pipelining: 1,
        timeout: 10,
        requests,
      },
      (error: unknown, finished: autocannon.Result) =>
        error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(finished),
    );
    instance.on("response", (_client, statusCode) => {
      statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
    });
    instance.on("reqError", (error: Error & { code?: string }) => {
      const key = error.code ?? error.message;
      socketErrors[key] = (socketErrors[key] ?? 0) + 1;
    });
  });
  const ok2xx = result["2xx"];
  const total = Object.values(statusCodes).reduce((sum, n) => sum + n, 0);
  const out: WorkerResult = {
    requestsPerSecond: total / (result.duration || config.duration),
    total,
    ok2xx,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    p50: result.latency.p50,
    p99: result.latency.p99,
    mean: result.latency.average,
    max: result.latency.max,
    durationSeconds: result.duration,
    statusCodes,
    socketErrors,
    loadCpuSeconds: (() => {
      const used = process.cpuUsage(cpuBefore);
      return (used.user + used.system) / 1e6;
    })(),
  };
  process.stdout.write(`${RESULT_MARKER}${JSON.stringify(out)}\n`);
}

// ─── parent: starts the stack, seeds, spawns one worker per scenario ─────────────────────

// ─── CPU accounting from /proc: where the cores went during a scenario ───────────────────

const CLOCK_TICKS = 100; // USER_HZ on Linux

interface ProcInfo {
  pid: number;
  ppid: number;
  args: string;
  /** utime + stime + cutime + cstime, in clock ticks (exited children count in their parent). */
  ticks: number;
}

function readProcs(): Map<number, ProcInfo> {
  const procs = new Map<number, ProcInfo>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // fields[0] is field 3 (state): ppid is field 4, utime..cstime are fields 14..17.
      const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
      const args = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ").trim();
      procs.set(Number(entry), { pid: Number(entry), ppid: Number(fields[1]), args, ticks });
    } catch {
      // the process ended while we read it
    }
  }
  return procs;
}

function descendantsOf(procs: Map<number, ProcInfo>, roots: number[]): ProcInfo[] {
  const out: ProcInfo[] = [];
  const wanted = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const proc of procs.values()) {
      if (!wanted.has(proc.pid) && wanted.has(proc.ppid)) {
        wanted.add(proc.pid);
        grew = true;
      }
    }
  }
  for (const pid of wanted) {
    const proc = procs.get(pid);
    if (proc) out.push(proc);
  }
  return out;
}

type CpuGroups = Record<"gunicorn" | "postgres" | "nginx", number>;

/** Clock ticks used so far by this stack's gunicorn, PostgreSQL and nginx process trees. */
function stackTicks(postgresPort: string): CpuGroups {
  const procs = readProcs();
  const mine = descendantsOf(procs, [process.pid]);
  const sum = (list: ProcInfo[]) => list.reduce((total, proc) => total + proc.ticks, 0);
  const roots = (match: (p: ProcInfo) => boolean) =>
    mine.filter((p) => match(p) && !match(procs.get(p.ppid) ?? ({ args: "" } as ProcInfo)));
  const gunicorn = descendantsOf(
    procs,
    roots((p) => p.args.includes("gunicorn")).map((p) => p.pid),
  );
  const nginx = descendantsOf(
    procs,
    roots((p) => /(^|\/)nginx( |$)/.test(p.args) || p.args.startsWith("nginx:")).map((p) => p.pid),
  );
  // pg_ctl daemonizes the postmaster: find it by its port.
  const postmaster = [...procs.values()].filter(
    (p) => /postgres/.test(p.args) && p.args.includes(`port=${postgresPort}`),
  );
  const postgres = descendantsOf(
    procs,
    postmaster.map((p) => p.pid),
  );
  return { gunicorn: sum(gunicorn), postgres: sum(postgres), nginx: sum(nginx) };
}

const activeWorkers = new Set<ProcessPromise>();
// A stopped benchmark (Ctrl-C) must not leave a load generator running.
process.on("exit", () => {
  for (const worker of activeWorkers) worker.child?.kill("SIGKILL");
});

async function spawnWorker(config: WorkerConfig): Promise<WorkerResult> {
  // One plain node process (tsx as a loader, no wrapper process), so it can be killed directly.
  const worker = startProgram([process.execPath, "--import", "tsx", THIS_FILE, "--worker"], {
    cwd: path.resolve(path.dirname(THIS_FILE), ".."),
    env: { ...process.env, BENCH_WORKER_CONFIG: JSON.stringify(config) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  activeWorkers.add(worker);
  const output = await worker.finally(() => activeWorkers.delete(worker));
  const line = output.stdout.split("\n").find((l) => l.startsWith(RESULT_MARKER));
  if (output.exitCode !== 0 || !line) {
    throw new Error(
      `bench worker (${config.kind}) exited with ${output.exitCode ?? output.signal}:\n${output.stdout.slice(-2000)}`,
    );
  }
  return JSON.parse(line.slice(RESULT_MARKER.length)) as WorkerResult;
}

async function staffCookie(baseUrl: string, username: string, password: string): Promise<string> {
  const client = new ApiClient(baseUrl);
  await client.login(username, password);
  const list = await client.request("GET", "/api/loans/?page_size=20");
  if (list.status !== 200)
    throw new Error(`staff list with the session cookie → ${list.status}: ${JSON.stringify(list.body)}`);
  return client.cookieHeader;
}

/** Two runs of the same scenario as one: counts add up, latencies are request-weighted means
 * (percentiles of the rounds, not of all requests), the maximum is the larger. */
function mergeResults(a: WorkerResult, b: WorkerResult): WorkerResult {
  const weight = (x: number, y: number) =>
    a.total + b.total > 0 ? (x * a.total + y * b.total) / (a.total + b.total) : 0;
  const addCounts = (x: Record<string, number>, y: Record<string, number>) => {
    const out = { ...x };
    for (const [key, n] of Object.entries(y)) out[key] = (out[key] ?? 0) + n;
    return out;
  };
  const durationSeconds = a.durationSeconds + b.durationSeconds;
  const total = a.total + b.total;
  return {
    requestsPerSecond: total / (durationSeconds || 1),
    total,
    ok2xx: a.ok2xx + b.ok2xx,
    non2xx: a.non2xx + b.non2xx,
    errors: a.errors + b.errors,
    timeouts: a.timeouts + b.timeouts,
    p50: weight(a.p50, b.p50),
    p99: weight(a.p99, b.p99),
    mean: weight(a.mean, b.mean),
    max: Math.max(a.max, b.max),
    durationSeconds,
    statusCodes: addCounts(a.statusCodes, b.statusCodes),
    socketErrors: addCounts(a.socketErrors, b.socketErrors),
    loadCpuSeconds: a.loadCpuSeconds + b.loadCpuSeconds,
  };
}

/** Fresh planner statistics, as autovacuum keeps them on a table that is not brand new. */
function analyze(databaseUrl: string): void {
  const bin = findPostgresBin();
  if (!bin) throw new Error("psql was not found (PostgreSQL client binaries)");
  const result = runProgramSync([path.join(bin, "psql"), databaseUrl, "-v", "ON_ERROR_STOP=1", "-q", "-c", "ANALYZE"]);
  if (result.exitCode !== 0) throw new Error(`psql ANALYZE failed: ${result.stderr}`);
}

async function countLoans(baseUrl: string, cookie: string): Promise<number> {
  const response = await fetch(`${baseUrl}/api/loans/?page_size=1`, {
    headers: { cookie, accept: "application/json" },
  });
  if (response.status !== 200) throw new Error(`GET /api/loans/?page_size=1 → ${response.status}`);
  return ((await response.json()) as { count: number }).count;
}

// Names are letters only (the API refuses digits in a name).
const SEED_SURNAMES = ["Acosta", "Benítez", "Castro", "Domínguez", "Espinoza", "Fernández", "Giménez"];

async function seedLoans(baseUrl: string, count: number): Promise<void> {
  const genders = ["F", "M", "X"];
  let created = 0;
  // A few at a time: this is set-up, not measurement.
  for (let start = 0; start < count; start += 8) {
    const batch = [];
    for (let i = start; i < Math.min(count, start + 8); i += 1) {
      const dni = 20_000_000 + i;
      batch.push(
        fetch(`${baseUrl}/api/loans/`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            full_name: `Persona de prueba ${SEED_SURNAMES[i % SEED_SURNAMES.length]}`,
            dni: String(dni),
            gender: genders[i % 3],
            email: `seed${i}@example.com`,
            amount: `${20_000 + (i % 150) * 20_000}.00`,
          }),
        }).then(async (response) => {
          if (response.status !== 201)
            throw new Error(`seed POST /api/loans/ → ${response.status}: ${await response.text()}`);
          created += 1;
        }),
      );
    }
    await Promise.all(batch);
  }
  console.log(`seeded ${created} loan requests`);
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

async function main(): Promise<number> {
  const { startStack } = await import("../tests/support/stack");
  const duration = Number(process.env.BENCH_DURATION ?? 10);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 8);
  const warmup = Number(process.env.BENCH_WARMUP ?? 2);
  const seed = Number(process.env.BENCH_SEED ?? 5000);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
  const rateLimit = "100000r/s";
  const burst = 100000;

  const stack = await startStack({
    suite: "bench:api",
    rateLimit,
    burst,
    gunicornWorkers: process.env.GUNICORN_WORKERS ? Number(process.env.GUNICORN_WORKERS) : undefined,
    gunicornThreads: process.env.GUNICORN_THREADS ? Number(process.env.GUNICORN_THREADS) : undefined,
    backendEnv: {
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "WARNING",
      DJANGO_SETTINGS_MODULE: "config.settings.benchmark",
    },
  });
  try {
    const workers = process.env.GUNICORN_WORKERS ?? "gunicorn.conf.py default";
    const threads = process.env.GUNICORN_THREADS ?? "gunicorn.conf.py default";
    console.log(
      [
        "",
        "══ API benchmark ══",
        `stack      ${stack.baseUrl} (nginx) → ${stack.backendUrl} (gunicorn, config.settings.benchmark) → PostgreSQL (throwaway)`,
        `!! nginx rate limit of POST /api/loans/ LIFTED for the benchmark: LOANS_RATE_LIMIT=${rateLimit} LOANS_RATE_BURST=${burst}`,
        `gunicorn   workers=${workers} threads=${threads}; machine: ${cpus().length} CPU cores (shared with nginx, PostgreSQL and the load generator)`,
        `load       autocannon in a separate process, ${connections} connections, ${warmup} s warm-up + ${duration} s per scenario (in ${rounds} turns; ≈: latency percentiles averaged over the turns)`,
        `logs       ${stack.logDir}`,
        "",
      ].join("\n"),
    );
    await seedLoans(stack.baseUrl, seed);
    const cookie = await staffCookie(stack.baseUrl, stack.staff.username, stack.staff.password);

    const scenarios: Array<{ kind: ScenarioKind; label: string }> = [
      { kind: "bare", label: "GET /api/loans/rules/ (bare JSON)" },
      { kind: "select-floor", label: "GET /api/bench/select-floor/" },
      { kind: "list", label: "GET /api/loans/?page_size=20 (staff)" },
      { kind: "insert-floor", label: "POST /api/bench/insert-floor/" },
      { kind: "create", label: "POST /api/loans/ (create)" },
    ];
    // Each floor runs in turns with what it is compared to, so that load from outside the
    // benchmark falls on both alike.
    const groups: ScenarioKind[][] = [["bare"], ["select-floor", "list"], ["insert-floor", "create"]];
    const labels = new Map(scenarios.map(({ kind, label }) => [kind, label]));
    const results = new Map<ScenarioKind, WorkerResult>();
    const ticks = new Map<ScenarioKind, CpuGroups & { load: number; wall: number }>();
    const postgresPort = new URL(stack.databaseUrl).port;
    let dniStart = 30_000_000;
    for (const group of groups) {
      if (group.includes("list")) {
        analyze(stack.databaseUrl);
        console.log(
          `loan requests in the table for the list scenarios: ${await countLoans(stack.baseUrl, cookie)} (ANALYZEd)`,
        );
      }
      for (const kind of group) {
        if (warmup > 0)
          await spawnWorker({
            kind,
            baseUrl: stack.baseUrl,
            connections,
            cookie,
            duration: warmup,
            dniStart: (dniStart += 1_000_000),
          });
      }
      for (let round = 0; round < rounds; round += 1) {
        for (const kind of group) {
          await sleep(300);
          const before = stackTicks(postgresPort);
          const startedAt = Date.now();
          const result = await spawnWorker({
            kind,
            baseUrl: stack.baseUrl,
            connections,
            cookie,
            duration: duration / rounds,
            dniStart: (dniStart += 1_000_000),
          });
          const wall = (Date.now() - startedAt) / 1000;
          const after = stackTicks(postgresPort);
          const sum = ticks.get(kind) ?? { gunicorn: 0, postgres: 0, nginx: 0, load: 0, wall: 0 };
          ticks.set(kind, {
            gunicorn: sum.gunicorn + after.gunicorn - before.gunicorn,
            postgres: sum.postgres + after.postgres - before.postgres,
            nginx: sum.nginx + after.nginx - before.nginx,
            load: sum.load + result.loadCpuSeconds * CLOCK_TICKS,
            wall: sum.wall + wall,
          });
          const previous = results.get(kind);
          results.set(kind, previous ? mergeResults(previous, result) : result);
        }
      }
      console.log(`done: ${group.map((kind) => labels.get(kind)).join(" | ")}`);
    }
    const cpu = new Map<ScenarioKind, CpuGroups & { load: number }>();
    for (const [kind, sum] of ticks) {
      const pct = (value: number) => (value / CLOCK_TICKS / sum.wall) * 100;
      cpu.set(kind, {
        gunicorn: pct(sum.gunicorn),
        postgres: pct(sum.postgres),
        nginx: pct(sum.nginx),
        load: pct(sum.load),
      });
    }

    const header = [
      "scenario",
      "req/s",
      rounds > 1 ? "p50 ms≈" : "p50 ms",
      rounds > 1 ? "p99 ms≈" : "p99 ms",
      "mean ms",
      "requests",
      "errors",
      "statuses",
    ];
    const rows = scenarios.map(({ kind, label }) => {
      const r = results.get(kind)!;
      const errors = r.non2xx + r.errors + r.timeouts;
      return [
        label,
        fmt(r.requestsPerSecond, 1),
        fmt(r.p50, 1),
        fmt(r.p99, 1),
        fmt(r.mean, 1),
        fmt(r.total),
        `${errors} (non-2xx ${r.non2xx}, socket ${r.errors}, timeouts ${r.timeouts})`,
        [...Object.entries(r.statusCodes), ...Object.entries(r.socketErrors)]
          .map(([code, n]) => `${code}×${n}`)
          .join(" "),
      ];
    });
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
    const line = (cells: string[]) =>
      cells.map((cell, i) => (i === 0 || i >= 6 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ");
    console.log(`\n${line(header)}\n${widths.map((w) => "─".repeat(w)).join("  ")}`);
    for (const row of rows) console.log(line(row));

    const cores = cpus().length;
    const load = loadavg();
    console.log(
      `\nmachine load average ${load.map((n) => n.toFixed(2)).join(" ")} on ${cores} cores (other processes compete for the same cores)`,
    );
    console.log(`CPU during each scenario, % of one core (${cores * 100}% available; sampled from /proc):`);
    for (const { kind, label } of scenarios) {
      const c = cpu.get(kind)!;
      const total = c.gunicorn + c.postgres + c.nginx + c.load;
      const rps = results.get(kind)!.requestsPerSecond || 1;
      // CPU time per request: % of a core / req/s × 10 = ms per request.
      const perRequest = (percent: number) => fmt((percent * 10) / rps, 2);
      console.log(
        `  ${label.padEnd(38)} gunicorn ${fmt(c.gunicorn).padStart(4)}%  postgres ${fmt(c.postgres).padStart(4)}%  nginx ${fmt(c.nginx).padStart(4)}%  load generator ${fmt(c.load).padStart(4)}%  = ${fmt(total)}%` +
          `  | CPU ms/request: gunicorn ${perRequest(c.gunicorn)}, postgres ${perRequest(c.postgres)}`,
      );
    }

    const rps = (kind: ScenarioKind) => results.get(kind)!.requestsPerSecond;
    const errorsOf = (kind: ScenarioKind) => {
      const r = results.get(kind)!;
      return r.non2xx + r.errors + r.timeouts;
    };
    const verdict = (ratio: number, target: number, kinds: ScenarioKind[]) => {
      const errors = kinds.reduce((sum, kind) => sum + errorsOf(kind), 0);
      return `target ≥ ${target.toFixed(2)} with 0 errors: ${ratio >= target && errors === 0 ? "met" : "NOT met"}${errors ? ` (${errors} errors)` : ""}`;
    };
    const createRatio = rps("create") / rps("insert-floor");
    const listRatio = rps("list") / rps("select-floor");
    // CPU per request of the whole stack (gunicorn, PostgreSQL, nginx, load generator).
    const cpuPerRequest = (kind: ScenarioKind) => {
      const c = cpu.get(kind)!;
      return (c.gunicorn + c.postgres + c.nginx + c.load) / (rps(kind) || 1);
    };
    console.log("\nratios (printed, not asserted):");
    console.log(
      `  create / insert-floor = ${createRatio.toFixed(2)} of req/s  (${verdict(createRatio, 0.9, ["create", "insert-floor"])}); of CPU per request ${(cpuPerRequest("insert-floor") / cpuPerRequest("create")).toFixed(2)}`,
    );
    console.log(
      `  list / select-floor   = ${listRatio.toFixed(2)} of req/s  (${verdict(listRatio, 0.8, ["list", "select-floor"])}); of CPU per request ${(cpuPerRequest("select-floor") / cpuPerRequest("list")).toFixed(2)}`,
    );
    console.log(
      `  insert-floor / bare   = ${(rps("insert-floor") / rps("bare")).toFixed(2)}   create / bare = ${(rps("create") / rps("bare")).toFixed(2)}`,
    );
    return 0;
  } finally {
    await stack.stop();
  }
}

if (process.argv[2] === "--worker") {
  const raw = process.env.BENCH_WORKER_CONFIG;
  if (!raw) throw new Error("--worker needs BENCH_WORKER_CONFIG");
  await runWorker(JSON.parse(raw) as WorkerConfig);
} else {
  process.exitCode = await main();
}
