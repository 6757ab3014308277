/**
 * The compose stack end to end (compose.yaml, images built from the two Dockerfiles):
 *
 * 1. `up` and the time until every service is healthy (≤ 120 s), printed per service;
 * 2. health endpoints and an API smoke test through nginx on http://localhost:<port>;
 * 3. every process non-root (postgres: started as uid 999, its fresh volume still
 *    initialised), app containers on read-only root filesystems, the frontend unable to
 *    reach the database;
 * 4. a database restart: /readyz goes back to 200 and no loan request is lost;
 * 5. the browser suite (tests/e2e) against this stack, when it exists;
 * 6. the nginx rate limit (429) with low limits set through the environment;
 * and `down --volumes` always.
 *
 * Phases change only the frontend's environment (compose recreates just that container):
 * generous limits while this file sends many requests, the documented rate with a larger
 * burst for the browser suite (it submits more forms than a burst of 10 allows, and checks
 * the 429 itself), low limits for the 429 check here. The documented defaults are checked in frontend-image.test.ts.
 */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isCI, NOT_RUN_EXIT_CODE } from "../support/prerequisites";
import { runInherited } from "../support/run";
import { formatSmokeResults, runSmokeChecks } from "../../ci/src/smoke";
import {
  type ComposeProject,
  REPO_ROOT,
  containerState,
  docker,
  dockerOk,
  runningState,
  seconds,
  sleep,
  waitFor,
} from "../support/docker";
import {
  ApiClient,
  type Loan,
  type LoanPage,
  composeProject,
  ensureImages,
  inLetters,
  loanInput,
  requireDocker,
  stackSettings,
  uniqueDni,
} from "./support";

const settings = stackSettings();
const base = settings.baseUrl;
const tag = `ct${inLetters(Date.now())}`;

/** Limits per phase (see the header). */
const GENEROUS = { LOANS_RATE_LIMIT: "6000r/m", LOANS_RATE_BURST: "500" };
/**
 * For the browser suite: the documented rate (its 429 check races a refill, so the refill must
 * stay slow) with a larger burst (its files send ~30 POSTs, more than the default burst of 10).
 */
const E2E = { LOANS_RATE_LIMIT: "30r/m", LOANS_RATE_BURST: "40" };
/** After exhausting the limit the suite waits this long: 20 tokens at 30r/m. */
const E2E_RATE_LIMIT_RECOVERY_MS = "40000";
const LOW = { LOANS_RATE_LIMIT: "6r/m", LOANS_RATE_BURST: "2" };

const SERVICES = ["db", "migrate", "backend", "frontend"] as const;
type Service = (typeof SERVICES)[number];

let compose: ComposeProject;
const staff = new ApiClient(base);

function project(limits: Record<string, string>): ComposeProject {
  return composeProject(settings, limits);
}

/** When each service first reached its goal (healthy, or exited 0 for migrate), in ms since `since`. */
async function watchServices(since: number, timeoutMs: number): Promise<Record<Service, number>> {
  const reached: Partial<Record<Service, number>> = {};
  await waitFor(
    "all services healthy",
    async () => {
      for (const service of SERVICES) {
        if (reached[service] !== undefined) continue;
        const ids = await compose.containerIds(service);
        if (ids.length === 0 || !ids[0]) continue;
        const state = await containerState(ids[0]);
        if (service === "migrate") {
          if (state.status === "exited") {
            if (state.exitCode !== 0) {
              const logs = await docker(["logs", ids[0]]);
              throw new Error(`migrate exited ${state.exitCode}:\n${logs.stdout}${logs.stderr}`);
            }
            reached[service] = Date.now() - since;
          }
        } else if (state.health === "healthy") {
          reached[service] = Date.now() - since;
        }
      }
      return SERVICES.every((s) => reached[s] !== undefined) ? (reached as Record<Service, number>) : undefined;
    },
    timeoutMs,
    250,
  );
  return reached as Record<Service, number>;
}

/** Recreates only the frontend with new limits and waits until it is healthy again. */
async function setLimits(limits: Record<string, string>): Promise<void> {
  compose = project(limits);
  const started = Date.now();
  await compose.ok(["up", "-d", "--no-build", "--no-deps", "frontend"], { timeoutMs: 120_000 });
  const id = await compose.containerId("frontend");
  await waitFor(
    "frontend healthy",
    async () => ((await runningState(id)).health === "healthy" ? true : undefined),
    60_000,
    250,
  );
  const conf = await dockerOk(["exec", id, "cat", "/etc/nginx/conf.d/default.conf"]);
  expect(conf).toContain(`rate=${limits.LOANS_RATE_LIMIT}`);
  console.log(
    `frontend recreated with ${limits.LOANS_RATE_LIMIT}, burst ${limits.LOANS_RATE_BURST}: healthy in ${seconds(Date.now() - started)}`,
  );
}

async function dumpLogs(): Promise<void> {
  const logs = await compose.run(["logs", "--no-color", "--tail", "60"]);
  console.error(`compose logs (tail):\n${logs.stdout}${logs.stderr}`);
}

beforeAll(async () => {
  requireDocker();
  await ensureImages();
  compose = project(GENEROUS);
  console.log(
    `compose ${compose.command.version} (${compose.command.argv.join(" ")}), project ${settings.project}, ${base}`,
  );
  await compose.down(); // leftovers of an interrupted run

  const started = Date.now();
  const up = compose.run(["up", "-d", "--no-build"], { timeoutMs: 300_000 });
  let timings: Record<Service, number>;
  try {
    timings = await watchServices(started, 180_000);
  } catch (error) {
    await dumpLogs();
    throw error;
  }
  const upResult = await up;
  if (upResult.code !== 0) {
    await dumpLogs();
    throw new Error(`compose up exited ${upResult.code}:\n${upResult.stderr}`);
  }
  const total = Math.max(...Object.values(timings));
  console.log(
    [
      "stack health timings (from `up -d`):",
      ...SERVICES.map(
        (s) => `  ${s.padEnd(9)} ${s === "migrate" ? "completed" : "healthy  "} after ${seconds(timings[s])}`,
      ),
      `  all healthy after ${seconds(total)} (bar: ≤ 120 s)`,
    ].join("\n"),
  );
  expect(total).toBeLessThanOrEqual(120_000);
});

afterAll(async () => {
  if (!compose) return;
  const result = await compose.down();
  console.log(`compose down --volumes: exit ${result.code}`);
});

/** The backend's /readyz, asked inside its container as the healthcheck would (0: no answer). */
async function backendReadyz(): Promise<number> {
  const backend = await compose.containerId("backend");
  const script = [
    "import urllib.request, urllib.error",
    "try:",
    "    print(urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=8).status)",
    "except urllib.error.HTTPError as error:",
    "    print(error.code)",
  ].join("\n");
  const result = await docker(["exec", backend, "python", "-c", script], { timeoutMs: 15_000 });
  return result.code === 0 ? Number(result.stdout.trim()) : 0;
}

describe("stack through nginx", () => {
  it("answers the health endpoints", async () => {
    const client = new ApiClient(base);
    const nginx = await fetch(`${base}/nginx-health`);
    expect(nginx.status).toBe(200);
    expect(await client.request("GET", "/healthz")).toMatchObject({ status: 200, body: { status: "ok" } });
    // /readyz is for the probes, answered by the backend only: nginx does not pass it on.
    expect((await client.request("GET", "/readyz")).status).toBe(404);
    expect(await backendReadyz()).toBe(200);
    const index = await fetch(`${base}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get("content-type")).toMatch(/text\/html/);
  });

  it("passes the pipeline's image smoke checks (ci/src/smoke.ts)", async () => {
    const results = await runSmokeChecks(base, { dni: uniqueDni() });
    console.log(`smoke checks against ${base}:\n${formatSmokeResults(results)}`);
    expect(results.filter((r) => !r.ok)).toEqual([]);
  });

  it("smoke: create a loan, log in as staff (CSRF), list it, approve it", async () => {
    const anonymous = new ApiClient(base);
    const input = loanInput(tag, "2500000.00"); // above the auto-approval limit → pending
    const created = await anonymous.request<Loan>("POST", "/api/loans/", input);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ status: "pending", amount: "2500000.00" });

    expect((await anonymous.request("GET", "/api/loans/")).status).toBe(401);

    await staff.login(settings.staff.username, settings.staff.password);
    const me = await staff.request<{ user: { username: string; is_staff: boolean } }>("GET", "/api/auth/me/");
    expect(me.body.user).toMatchObject({ username: settings.staff.username, is_staff: true });

    const list = await staff.request<LoanPage>("GET", `/api/loans/?search=${input.dni}`);
    expect(list.status).toBe(200);
    expect(list.body.results.map((l) => l.id)).toContain(created.body.id);

    const approved = await staff.request<Loan>("POST", `/api/loans/${created.body.id}/approve/`, {
      reason: "container smoke test",
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body).toMatchObject({ status: "approved", reviewed_by: settings.staff.username });

    const again = await staff.request("POST", `/api/loans/${created.body.id}/approve/`, {});
    expect(again.status).toBe(409);

    // A staff write without the CSRF header is refused, and changes nothing.
    const other = await anonymous.request<Loan>("POST", "/api/loans/", loanInput(tag, "2500000.00"));
    expect(other.status).toBe(201);
    const forged = await staff.request("POST", `/api/loans/${other.body.id}/reject/`, {}, { csrf: false });
    expect(forged.status).toBe(403);
    const unchanged = await staff.request<Loan>("GET", `/api/loans/${other.body.id}/`);
    expect(unchanged.body.status).toBe("pending");
  });
});

describe("container hardening", () => {
  it("runs every process as non-root", async () => {
    const uidsOf = async (id: string, user?: string): Promise<string[]> => {
      const out = await dockerOk([
        "exec",
        ...(user ? ["--user", user] : []),
        id,
        "sh",
        "-c",
        "for f in /proc/[0-9]*/status; do awk '/^Uid:/ {print $2}' \"$f\"; done | sort -u",
      ]);
      return out.split("\n").filter(Boolean);
    };
    const backend = await compose.containerId("backend");
    const frontend = await compose.containerId("frontend");
    const db = await compose.containerId("db");
    const migrate = await compose.containerId("migrate");

    expect(await dockerOk(["exec", backend, "id", "-u"])).toBe("10001");
    expect(await dockerOk(["exec", frontend, "id", "-u"])).toBe("101");
    expect(await uidsOf(backend)).toEqual(["10001"]);
    expect(await uidsOf(frontend)).toEqual(["101"]);
    // postgres runs as its own user from the start (no root entrypoint step): exec without
    // --user gets the container's user, and every process, PID 1 included, is 999.
    expect(await dockerOk(["exec", db, "id", "-u"])).toBe("999");
    expect(await uidsOf(db)).toEqual(["999"]);
    // … and the fresh named volume (the run starts with `down --volumes`) was initialised.
    const dbLogs = await docker(["logs", db]);
    expect(`${dbLogs.stdout}${dbLogs.stderr}`).toContain("PostgreSQL init process complete");
    expect(await dockerOk(["exec", db, "stat", "-c", "%u", "/var/lib/postgresql/data"])).toBe("999");

    const inspect = async (id: string) =>
      JSON.parse(await dockerOk(["inspect", "--format", "{{json .}}", id])) as {
        Config: { User: string };
        HostConfig: { ReadonlyRootfs: boolean; CapDrop: string[] | null; SecurityOpt: string[] | null };
        State: { ExitCode: number };
      };
    expect((await inspect(db)).Config.User).toBe("postgres");
    for (const [name, id, user] of [
      ["backend", backend, "10001:10001"],
      ["migrate", migrate, "10001:10001"],
      ["frontend", frontend, "101"],
    ] as const) {
      const info = await inspect(id);
      expect(info.Config.User, name).toBe(user);
      expect(info.HostConfig.ReadonlyRootfs, name).toBe(true);
      expect(info.HostConfig.CapDrop, name).toEqual(["ALL"]);
      expect(info.HostConfig.SecurityOpt, name).toContain("no-new-privileges:true");
    }
    expect((await inspect(migrate)).State.ExitCode).toBe(0);
  });

  it("keeps the database on its own network: the frontend cannot resolve it", async () => {
    const frontend = await compose.containerId("frontend");
    const backend = await compose.containerId("backend");
    // getent works in the frontend (it resolves its neighbour)…
    expect((await docker(["exec", frontend, "getent", "hosts", "backend"])).code).toBe(0);
    // …and answers "not found" (exit 2), not "cannot run" (126/127), for the database.
    expect((await docker(["exec", frontend, "getent", "hosts", "db"])).code).toBe(2);
    expect((await docker(["exec", backend, "getent", "hosts", "db"])).code).toBe(0);
  });
});

describe("database restart", () => {
  it("recovers (/readyz 200 again) and loses no loan request", async () => {
    const client = new ApiClient(base);
    const total = async (): Promise<number> => {
      const page = await staff.request<LoanPage>("GET", `/api/loans/?search=${tag}-r&page_size=1`);
      if (page.status !== 200) throw new Error(`list → ${page.status}`);
      return page.body.count;
    };
    const before = await total();

    // One request at a time, each retried until it is stored. Amounts above the
    // auto-approval limit leave the request pending, so a retry of an attempt that was in
    // fact stored is answered 409 ("already pending for this DNI"): no duplicates.
    const created: { id?: number; dni: string; attempts: number; errors: string[] }[] = [];
    const sendOne = async (): Promise<void> => {
      const input = loanInput(`${tag}-r`, "1500000.00");
      const record = {
        dni: input.dni as string,
        attempts: 0,
        errors: [] as string[],
        id: undefined as number | undefined,
      };
      created.push(record);
      const deadline = Date.now() + 90_000;
      for (;;) {
        record.attempts += 1;
        try {
          const answer = await client.request<Loan>("POST", "/api/loans/", input, { timeoutMs: 8_000 });
          if (answer.status === 201) {
            record.id = answer.body.id;
            return;
          }
          if (answer.status === 409 && record.attempts > 1) return; // an earlier attempt landed
          record.errors.push(`${answer.status} ${JSON.stringify(answer.body).slice(0, 120)}`);
        } catch (error) {
          record.errors.push(`network: ${(error as Error).message}`);
        }
        if (Date.now() > deadline)
          throw new Error(
            `loan ${input.dni} not stored after ${record.attempts} attempts: ${record.errors.join(" | ")}`,
          );
        await sleep(500);
      }
    };

    // Restart with a visible outage: stop the database, keep sending while /readyz says
    // 503, start it again, and keep sending until a few requests have gone through after.
    const db = await compose.containerId("db");
    const readyz = backendReadyz;
    const outage: { phase: "running" | "stopping" | "down" | "starting" | "up" } = { phase: "running" };
    const sender = (async () => {
      let afterUp = 0;
      while (afterUp < 3) {
        await sendOne();
        if (outage.phase === "up") afterUp += 1;
        await sleep(200);
      }
    })();

    await sleep(300); // at least one request before the outage
    const stopStarted = Date.now();
    outage.phase = "stopping";
    await dockerOk(["stop", "--time", "10", db]);
    outage.phase = "down";
    const stoppedAt = Date.now();
    const readyzWhileDown = await readyz();
    await sleep(4_000); // requests keep arriving while the database is down
    outage.phase = "starting";
    const startedAt = Date.now();
    await dockerOk(["start", db]);
    await waitFor(
      "/readyz 200 after the restart",
      async () => ((await readyz()) === 200 ? true : undefined),
      90_000,
      250,
    );
    const readyAt = Date.now();
    outage.phase = "up";
    await sender;

    const failures = created.flatMap((c) => c.errors);
    console.log(
      [
        `db restart: stop took ${seconds(stoppedAt - stopStarted)}, down for ${seconds(startedAt - stoppedAt)};` +
          ` /readyz while down: ${readyzWhileDown}; /readyz 200 again ${seconds(readyAt - startedAt)} after \`docker start\``,
        `  ${created.length} loan requests sent around the restart; ${failures.length} failed attempt(s), each retried until stored:`,
        ...[...new Set(failures.map((f) => f.replace(/\d{7,8}/g, "<dni>")))].slice(0, 6).map((f) => `    ${f}`),
      ].join("\n"),
    );
    expect(readyzWhileDown).toBe(503);
    expect(failures.length).toBeGreaterThan(0); // the outage was seen by clients …

    // The staff session survived (sessions live in PostgreSQL) and every request is there once.
    const after = await total(); // … and yet every request is stored exactly once
    expect(after - before).toBe(created.length);
    for (const record of created) {
      const found = await staff.request<LoanPage>("GET", `/api/loans/?search=${record.dni}`);
      expect(found.body.count, `loan for ${record.dni}`).toBe(1);
    }
  });
});

describe("browser suite against the stack", () => {
  const e2eDir = path.join(REPO_ROOT, "tests", "e2e");
  const hasE2E = existsSync(e2eDir) && readdirSync(e2eDir).some((f) => f.endsWith(".test.ts"));
  const name = hasE2E
    ? "tests/e2e passes against the compose stack (E2E_BASE_URL)"
    : "tests/e2e — NOT RUN: tests/e2e/*.test.ts does not exist";

  /** Cannot run here: fails under CI, otherwise reported as skipped (never as passed). */
  const notRun = (skip: (note: string) => void, why: string): void => {
    if (isCI()) throw new Error(`browser suite: ${why} (CI=true: a missing prerequisite fails the run)`);
    console.warn(`\n${"!".repeat(72)}\nNOT RUN — browser suite: ${why}\n${"!".repeat(72)}\n`);
    skip(`NOT RUN — ${why}`);
  };

  it(
    name,
    async ({ skip }) => {
      if (!hasE2E) return notRun(skip, `${e2eDir} has no *.test.ts`);
      const env = {
        ...process.env,
        E2E_BASE_URL: base,
        E2E_STAFF_USERNAME: settings.staff.username,
        E2E_STAFF_PASSWORD: settings.staff.password,
        E2E_RATE_LIMIT_RECOVERY_MS: process.env.E2E_RATE_LIMIT_RECOVERY_MS ?? E2E_RATE_LIMIT_RECOVERY_MS,
      };
      const run = (argv: string[]) => runInherited(["npx", ...argv], { env });
      // The suite's own preflight (Chromium): NOT RUN is reported, under CI it fails.
      if (existsSync(path.join(e2eDir, "preflight.ts"))) {
        const preflight = await run(["tsx", "tests/e2e/preflight.ts"]);
        if (preflight === NOT_RUN_EXIT_CODE) return notRun(skip, "its preflight reported a missing prerequisite");
        expect(preflight, "tests/e2e/preflight.ts").toBe(0);
      }
      await setLimits(E2E);
      const started = Date.now();
      const code = await run(["vitest", "run", "--project", "e2e"]);
      console.log(`browser suite against ${base}: exit ${code} after ${seconds(Date.now() - started)}`);
      expect(code).toBe(0);
    },
    900_000,
  );
});

describe("rate limit", () => {
  it("answers 429 with a JSON error once POST /api/loans/ exceeds the limit", async () => {
    await setLimits(LOW);
    const client = new ApiClient(base);
    // Invalid bodies: the backend answers 400 and stores nothing; nginx counts them all.
    const answers = await Promise.all(Array.from({ length: 8 }, () => client.request("POST", "/api/loans/", {})));
    const statuses = answers.map((a) => a.status);
    console.log(
      `rate limit ${LOW.LOANS_RATE_LIMIT} burst ${LOW.LOANS_RATE_BURST}: 8 concurrent POSTs → ${statuses.join(", ")}`,
    );
    expect(statuses.filter((s) => s === 400).length).toBeGreaterThanOrEqual(1);
    expect(statuses.filter((s) => s === 400).length).toBeLessThanOrEqual(Number(LOW.LOANS_RATE_BURST) + 1);
    const limited = answers.find((a) => a.status === 429);
    expect(limited).toBeDefined();
    expect(limited?.contentType).toMatch(/application\/json/);
    expect(limited?.body).toMatchObject({ errors: { __all__: [expect.any(String)] } });
    // GETs are not limited.
    expect((await client.request("GET", "/healthz")).status).toBe(200);
  });
});
