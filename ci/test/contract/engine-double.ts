/**
 * A local stand-in for the Dagger engine's GraphQL API, for contract tests only.
 *
 * With DAGGER_SESSION_PORT/DAGGER_SESSION_TOKEN set, the npm SDK sends every query as an
 * HTTP POST /query with basic auth (token as user). This server parses each query with
 * `graphql`, records the chain of fields it selects (expanding node(id:) and ID arguments
 * back to the chains that produced them) and answers generically, following the field
 * names of the 0.21 schema (client.gen.d.ts). IDs are opaque counters: they never embed
 * argument values, so a secret's plaintext cannot leak through them.
 *
 * Not part of the module: it lives in ci/test, which dagger.json leaves out of module loading.
 */
import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { type FieldNode, Kind, parse, type SelectionNode, valueFromASTUntyped } from "graphql";

/** One selected field with its arguments. */
export interface Step {
  readonly field: string;
  readonly args: Readonly<Record<string, unknown>>;
}

export interface RecordedQuery {
  /** The query text exactly as the SDK sent it. */
  readonly text: string;
  /** Selected chain, with a leading node(id:) replaced by the chain behind the id. */
  readonly path: readonly Step[];
  /** The last field (what was asked for: id, sync, exitCode, publish, …). */
  readonly leaf: string;
  readonly start: number;
  end: number;
}

export interface EngineDoubleOptions {
  /** Delay before each answer, to make concurrency observable. */
  delayMs?: number;
  /** Delay per leaf field (overrides delayMs), e.g. long for exitCode/sync (work), short for id. */
  delayFor?: (leaf: string) => number | undefined;
  /** Exit code of a command (argv of a withExec); undefined or 0 means success. */
  exitCodeFor?: (argv: readonly string[]) => number | undefined;
  /** What a failing command printed, carried by its ExecError (the SDK exposes both). */
  execOutputFor?: (argv: readonly string[]) => { stdout?: string; stderr?: string } | undefined;
  /** Names given to setSecret whose plaintext may be read (the Slack webhook only). */
  plaintextAllowed?: readonly string[];
  /** Contents of a file read with `contents` (e.g. rendered manifests); may throw to answer an error. Default "". */
  contentsFor?: (chain: readonly Step[]) => string | undefined;
  /** Answer of a `stdout` leaf; undefined or absent means "". */
  stdoutFor?: (chain: readonly Step[]) => string | undefined;
  /**
   * Holds every evaluation (any leaf but `id`) until the evaluations in flight together
   * satisfy `ready`, or `timeoutMs` passed. `holdOutcome` then says which: a deterministic
   * way to prove that work was scheduled concurrently, whatever the machine's load.
   */
  holdEvaluationsUntil?: { ready: (inFlight: readonly RecordedQuery[]) => boolean; timeoutMs: number };
}

const ID_PREFIX = "fake-id:";

export class EngineDouble {
  readonly token = "double-session-token";
  readonly queries: RecordedQuery[] = [];
  /** Requests refused with an error (unsupported field, plaintext, auth…). */
  readonly refusals: string[] = [];
  maxInFlight = 0;
  /** "ready" once held evaluations were all in flight together, "timeout" if that never happened. */
  holdOutcome: "pending" | "ready" | "timeout" = "pending";
  private inFlight = 0;
  private readonly evaluating: RecordedQuery[] = [];
  private readonly held: Array<() => void> = [];
  private holdTimer?: NodeJS.Timeout;
  private readonly ids = new Map<string, readonly Step[]>();
  private server?: http.Server;
  private readonly t0 = performance.now();

  constructor(readonly options: EngineDoubleOptions = {}) {}

  /** Starts listening on a free loopback port and points the SDK at it. */
  async start(): Promise<number> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    const port = (this.server.address() as AddressInfo).port;
    process.env.DAGGER_SESSION_PORT = String(port);
    process.env.DAGGER_SESSION_TOKEN = this.token;
    return port;
  }

  async stop(): Promise<void> {
    delete process.env.DAGGER_SESSION_PORT;
    delete process.env.DAGGER_SESSION_TOKEN;
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Forgets recorded queries (ids stay resolvable). */
  reset(): void {
    this.queries.length = 0;
    this.refusals.length = 0;
    this.maxInFlight = 0;
  }

  /** The chain behind a fake id. Throws for unknown ids. */
  chainOf(id: string): readonly Step[] {
    const chain = this.ids.get(id);
    if (!chain) throw new Error(`engine double: unknown id ${id}`);
    return chain;
  }

  /** True when `value` is an id issued by this double. */
  isId(value: unknown): value is string {
    return typeof value === "string" && this.ids.has(value);
  }

  /** Human-readable rendering of a chain, with id arguments expanded recursively. */
  render(chain: readonly Step[]): string {
    return chain
      .map((step) => {
        const args = Object.entries(step.args)
          .map(([k, v]) => `${k}: ${this.renderValue(v)}`)
          .join(", ");
        return args ? `${step.field}(${args})` : step.field;
      })
      .join(".");
  }

  private renderValue(value: unknown): string {
    if (this.isId(value)) return `<${this.render(this.chainOf(value))}>`;
    if (Array.isArray(value)) return `[${value.map((v) => this.renderValue(v)).join(", ")}]`;
    if (value && typeof value === "object") {
      return `{${Object.entries(value)
        .map(([k, v]) => `${k}: ${this.renderValue(v)}`)
        .join(", ")}}`;
    }
    return JSON.stringify(value);
  }

  private issueId(chain: readonly Step[]): string {
    const id = `${ID_PREFIX}${this.ids.size + 1}`;
    this.ids.set(id, chain);
    return id;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const expected = `Basic ${Buffer.from(`${this.token}:`).toString("base64")}`;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== "POST" || req.url !== "/query" || req.headers.authorization !== expected) {
      this.refusals.push(`bad request ${req.method} ${req.url}`);
      res.writeHead(401).end();
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { query: string };
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const start = performance.now() - this.t0;
    let recorded: RecordedQuery | undefined;
    let payload: unknown;
    try {
      const { raw, chain, leaf } = this.parseChain(body.query);
      recorded = { text: body.query, path: chain, leaf, start, end: start };
      this.queries.push(recorded);
      if (leaf !== "id") {
        this.evaluating.push(recorded);
        await this.hold();
      }
      const delay = this.options.delayFor?.(leaf) ?? this.options.delayMs ?? 0;
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      payload = { data: this.nest(raw, this.answer(chain, leaf)) };
    } catch (error) {
      const err = error as Error & { extensions?: Record<string, unknown> };
      this.refusals.push(err.message);
      payload = { data: null, errors: [{ message: err.message, extensions: err.extensions ?? {} }] };
    } finally {
      this.inFlight -= 1;
      if (recorded) {
        recorded.end = performance.now() - this.t0;
        const index = this.evaluating.indexOf(recorded);
        if (index >= 0) this.evaluating.splice(index, 1);
      }
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(payload));
  }

  /** Waits while evaluations are held (see holdEvaluationsUntil). */
  private hold(): Promise<void> {
    const rule = this.options.holdEvaluationsUntil;
    if (!rule || this.holdOutcome !== "pending") return Promise.resolve();
    const release = (outcome: "ready" | "timeout") => {
      this.holdOutcome = outcome;
      clearTimeout(this.holdTimer);
      for (const resume of this.held.splice(0)) resume();
    };
    if (rule.ready(this.evaluating)) {
      release("ready");
      return Promise.resolve();
    }
    this.holdTimer ??= setTimeout(() => release("timeout"), rule.timeoutMs);
    return new Promise((resolve) => this.held.push(resolve));
  }

  /** Parses a single-chain query, returning the raw fields (for nesting) and the resolved chain. */
  private parseChain(query: string): { raw: string[]; chain: Step[]; leaf: string } {
    const doc = parse(query);
    const op = doc.definitions[0];
    if (!op || op.kind !== Kind.OPERATION_DEFINITION || op.operation !== "query") {
      throw new Error("engine double: expected one query operation");
    }
    const raw: string[] = [];
    const steps: Step[] = [];
    let selections: readonly SelectionNode[] | undefined = op.selectionSet.selections;
    while (selections && selections.length > 0) {
      if (selections.length !== 1) throw new Error("engine double: expected a single selection chain");
      let sel = selections[0] as SelectionNode;
      if (sel.kind === Kind.INLINE_FRAGMENT) {
        const inner: readonly SelectionNode[] = sel.selectionSet.selections;
        if (inner.length !== 1) throw new Error("engine double: expected one field in fragment");
        sel = inner[0] as SelectionNode;
      }
      if (sel.kind !== Kind.FIELD) throw new Error("engine double: unsupported selection");
      const field = sel as FieldNode;
      const args: Record<string, unknown> = {};
      for (const arg of field.arguments ?? []) args[arg.name.value] = valueFromASTUntyped(arg.value);
      raw.push(field.name.value);
      steps.push({ field: field.name.value, args });
      selections = field.selectionSet?.selections;
    }
    const leaf = steps[steps.length - 1]?.field;
    if (!leaf) throw new Error("engine double: empty query");
    // node(id:) re-enters an object produced earlier: splice its chain in.
    let chain: Step[] = steps;
    if (steps[0]?.field === "node") {
      const id = steps[0].args.id;
      chain = [...this.chainOf(String(id)), ...steps.slice(1)];
    }
    return { raw, chain, leaf };
  }

  private nest(raw: readonly string[], value: unknown): unknown {
    let out: unknown = value;
    for (let i = raw.length - 1; i >= 0; i--) out = { [raw[i] as string]: out };
    return out;
  }

  /** The exec steps of a chain, with their exit codes per `exitCodeFor`. */
  private execs(chain: readonly Step[]): Array<{ argv: string[]; code: number; expectAny: boolean }> {
    return chain
      .filter((s) => s.field === "withExec")
      .map((s) => {
        const argv = (s.args.args ?? []) as string[];
        return { argv, code: this.options.exitCodeFor?.(argv) ?? 0, expectAny: s.args.expect === "ANY" };
      });
  }

  /** The execs of a chain and, recursively, of the chains behind the ids in its arguments. */
  private execsWithDependencies(
    chain: readonly Step[],
    seen = new Set<string>(),
  ): Array<{ argv: string[]; code: number; expectAny: boolean }> {
    const out = this.execs(chain);
    for (const step of chain) {
      for (const value of Object.values(step.args)) {
        if (this.isId(value) && !seen.has(value)) {
          seen.add(value);
          out.push(...this.execsWithDependencies(this.chainOf(value), seen));
        }
      }
    }
    return out;
  }

  private execError(argv: readonly string[], code: number): Error {
    const error = new Error(`process "${argv.join(" ")}" did not complete successfully: exit code: ${code}`);
    const output = this.options.execOutputFor?.(argv) ?? {};
    Object.assign(error, {
      extensions: {
        _type: "EXEC_ERROR",
        cmd: argv,
        exitCode: code,
        stdout: output.stdout ?? "",
        stderr: output.stderr ?? "",
      },
    });
    return error;
  }

  private answer(chain: readonly Step[], leaf: string): unknown {
    const parent = chain.slice(0, -1);
    const last = chain[chain.length - 1] as Step;
    const lazy = leaf === "id";
    if (!lazy) {
      // Evaluating a chain runs its execs and those of every object it was built from
      // (ids in its arguments): a failing exec without expect: ANY fails it.
      for (const exec of this.execsWithDependencies(parent)) {
        if (exec.code !== 0 && !exec.expectAny) throw this.execError(exec.argv, exec.code);
      }
    }
    switch (leaf) {
      case "id":
      case "sync":
        return this.issueId(parent);
      case "start":
      case "stop":
        // A started service is a new object: its id remembers that it was started.
        return this.issueId(chain);
      case "exitCode": {
        const execs = this.execs(parent);
        return execs[execs.length - 1]?.code ?? 0;
      }
      case "contents":
        return this.options.contentsFor?.(parent) ?? "";
      case "stdout":
        return this.options.stdoutFor?.(parent) ?? "";
      case "stderr":
      case "combinedOutput":
        return "";
      case "publish": {
        // Like a registry: the digest is the content's (here: the chain that built it), whatever the tag.
        const address = String(last.args.address);
        const repository = address.replace(/:[^:/]+$/, "");
        return `${address}@sha256:${createHash("sha256")
          .update(`${repository}|${this.render(parent)}`)
          .digest("hex")}`;
      }
      case "export":
        return String(last.args.path);
      case "version":
        return "v0.21.9";
      case "plaintext": {
        const origin = parent[0];
        const name = origin?.field === "setSecret" ? String(origin.args.name) : undefined;
        if (!name || !(this.options.plaintextAllowed ?? []).includes(name)) {
          throw new Error(`engine double: plaintext REFUSED for ${this.render(parent)}`);
        }
        return String(origin?.args.plaintext);
      }
      default:
        throw new Error(`engine double: unsupported leaf field "${leaf}"`);
    }
  }
}
