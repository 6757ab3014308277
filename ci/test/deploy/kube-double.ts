/**
 * A local HTTPS double of the Kubernetes API, faithful to the paths, verbs, content types
 * and semantics the deploy engine uses. Test-only (ci/test is outside the Dagger module).
 *
 * - Authentication: bearer tokens or client certificates signed by the test CA; 401 otherwise.
 * - Authorization: optional RBAC rules (a Role's), checked on every resource request with
 *   the apiserver's verb mapping (GET item → get, GET collection → list, POST → create,
 *   PUT → update, PATCH → patch, plus create when an apply creates, DELETE → delete);
 *   403 with a Status otherwise. SelfSubjectRulesReview answers those rules.
 * - Discovery: /version, /api, /apis, /api/v1, /apis/{group}/{version}.
 * - Server-side apply: PATCH with application/apply-patch+yaml only (415 otherwise),
 *   fieldManager required, managedFields refused, per-manager ownership (omitted fields
 *   are removed, other managers' fields kept, conflicts 409 without force=true), Job
 *   spec.template immutable (422), dryRun=All persists nothing.
 * - resourceVersion (changes only when the object does) and generation (spec changes).
 * - Create: 409 AlreadyExists; 404 `namespaces "x" not found` in a missing namespace.
 *   Update: 409 Conflict on a stale resourceVersion. Lease times must be MicroTime.
 * - DELETE with propagationPolicy (Background/Foreground delete dependents; Jobs orphan
 *   their pods by default), label-selector lists, events, pods/log (tailLines, previous),
 *   services/{name:port}/proxy/… to an app stub.
 * - Controllers: a Deployment, StatefulSet, Job or ExternalSecret is reconciled on the second read
 *   after a write (the first read still shows the old status; configurable), following a behaviour
 *   the test picks (healthy, crash loop, image pull error, stuck, progress deadline; Job
 *   complete/failed/image pull; ExternalSecret synced, provider error, never synced).
 */
import { createHash, randomBytes } from "node:crypto";
import https from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";

import { parse as parseYaml } from "yaml";

import type { TlsMaterial } from "./tls";

/** Kubernetes objects as the double stores them: free-form JSON, like the API server sees them. */
type Obj = Record<string, any>;

export interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
  resourceNames?: string[];
}

export type DeploymentBehaviour = "healthy" | "crashloop" | "imagepull" | "config-error" | "stuck" | "deadline";
export type JobBehaviour = "complete" | "failed" | "imagepull";
/** The External Secrets Operator: writes the target Secret, or reports a provider error, or never gets to it. */
export type ExternalSecretBehaviour = "synced" | "error" | "pending";

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string;
  host: string;
  /** TLS server name (SNI) the client sent; false when none. */
  sni: string | false;
  user?: string;
  status: number;
  body?: Obj;
}

export interface AppRequest {
  namespace: string;
  service: string;
  port: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface AppResponse {
  status: number;
  contentType?: string;
  body: string;
}

interface ResourceDef {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
}

const CRUD = ["create", "delete", "get", "list", "patch", "update", "watch"];
const RESOURCES: ResourceDef[] = [
  { group: "", version: "v1", resource: "namespaces", kind: "Namespace", namespaced: false, verbs: CRUD },
  { group: "", version: "v1", resource: "configmaps", kind: "ConfigMap", namespaced: true, verbs: CRUD },
  { group: "", version: "v1", resource: "secrets", kind: "Secret", namespaced: true, verbs: CRUD },
  { group: "", version: "v1", resource: "serviceaccounts", kind: "ServiceAccount", namespaced: true, verbs: CRUD },
  { group: "", version: "v1", resource: "services", kind: "Service", namespaced: true, verbs: CRUD },
  {
    group: "",
    version: "v1",
    resource: "services/proxy",
    kind: "ServiceProxyOptions",
    namespaced: true,
    verbs: ["create", "delete", "get", "patch", "update"],
  },
  { group: "", version: "v1", resource: "pods", kind: "Pod", namespaced: true, verbs: CRUD },
  { group: "", version: "v1", resource: "pods/log", kind: "Pod", namespaced: true, verbs: ["get"] },
  { group: "", version: "v1", resource: "events", kind: "Event", namespaced: true, verbs: CRUD },
  {
    group: "",
    version: "v1",
    resource: "persistentvolumeclaims",
    kind: "PersistentVolumeClaim",
    namespaced: true,
    verbs: CRUD,
  },
  { group: "apps", version: "v1", resource: "deployments", kind: "Deployment", namespaced: true, verbs: CRUD },
  { group: "apps", version: "v1", resource: "statefulsets", kind: "StatefulSet", namespaced: true, verbs: CRUD },
  { group: "apps", version: "v1", resource: "replicasets", kind: "ReplicaSet", namespaced: true, verbs: CRUD },
  { group: "batch", version: "v1", resource: "jobs", kind: "Job", namespaced: true, verbs: CRUD },
  { group: "networking.k8s.io", version: "v1", resource: "ingresses", kind: "Ingress", namespaced: true, verbs: CRUD },
  {
    group: "networking.k8s.io",
    version: "v1",
    resource: "networkpolicies",
    kind: "NetworkPolicy",
    namespaced: true,
    verbs: CRUD,
  },
  {
    group: "autoscaling",
    version: "v2",
    resource: "horizontalpodautoscalers",
    kind: "HorizontalPodAutoscaler",
    namespaced: true,
    verbs: CRUD,
  },
  {
    group: "policy",
    version: "v1",
    resource: "poddisruptionbudgets",
    kind: "PodDisruptionBudget",
    namespaced: true,
    verbs: CRUD,
  },
  { group: "coordination.k8s.io", version: "v1", resource: "leases", kind: "Lease", namespaced: true, verbs: CRUD },
  // The External Secrets Operator's CRDs (prod clusters have it installed).
  {
    group: "external-secrets.io",
    version: "v1",
    resource: "secretstores",
    kind: "SecretStore",
    namespaced: true,
    verbs: CRUD,
  },
  {
    group: "external-secrets.io",
    version: "v1",
    resource: "externalsecrets",
    kind: "ExternalSecret",
    namespaced: true,
    verbs: CRUD,
  },
  {
    group: "authorization.k8s.io",
    version: "v1",
    resource: "selfsubjectrulesreviews",
    kind: "SelfSubjectRulesReview",
    namespaced: false,
    verbs: ["create"],
  },
];
/** The migrate Job's init container that runs `manage.py migrate` (k8s/base/migrate-job.yaml). */
const MIGRATE_CONTAINER = "migrate";
const MICROTIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const SERVER_FIELDS = ["resourceVersion", "uid", "generation", "creationTimestamp", "managedFields", "selfLink"];

const clone = <T>(value: T): T => structuredClone(value);
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const shortHash = (value: unknown): string =>
  createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 10);

/** Leaf paths of a JSON value: arrays and scalars are leaves, objects recurse. */
function leafPaths(value: unknown, prefix: string[] = []): string[][] {
  if (!isObj(value)) return [prefix];
  const keys = Object.keys(value);
  if (keys.length === 0) return [prefix];
  return keys.flatMap((k) => leafPaths(value[k], [...prefix, k]));
}

function getPath(value: unknown, path: readonly string[]): unknown {
  let cur: unknown = value;
  for (const key of path) cur = isObj(cur) ? cur[key] : undefined;
  return cur;
}

function deletePath(value: Obj, path: readonly string[]): void {
  const parent = getPath(value, path.slice(0, -1));
  const last = path[path.length - 1];
  if (isObj(parent) && last !== undefined) delete parent[last];
}

function deepMerge(base: Obj, patch: Obj): Obj {
  const out: Obj = { ...base };
  for (const [key, value] of Object.entries(patch))
    out[key] = isObj(value) && isObj(out[key]) ? deepMerge(out[key], value) : clone(value);
  return out;
}

/** The user's applied configuration: no status, no server-set metadata. */
function appliedConfig(body: Obj): Obj {
  const { status: _status, ...rest } = clone(body);
  for (const field of SERVER_FIELDS) delete rest.metadata?.[field];
  return rest;
}

/** What counts for generation: everything but metadata and status. */
function specPart(object: Obj): Obj {
  const { metadata: _m, status: _s, ...rest } = object;
  return rest;
}

function matches(list: string[] | undefined, value: string): boolean {
  return (list ?? []).some((v) => v === "*" || v === value);
}

interface Stored {
  obj: Obj;
  /** Applied configuration per field manager. */
  applied: Map<string, Obj>;
  /** Reads since the last write (workloads converge on the second). */
  reads: number;
  reconciled: boolean;
}

interface ParsedPath {
  def: ResourceDef;
  namespace?: string;
  name?: string;
  subresource?: string;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly details?: Obj,
  ) {
    super(message);
  }
}

export interface KubeDoubleOptions {
  readonly tls: TlsMaterial;
  /** Bearer token → user name. */
  readonly tokens?: Record<string, string>;
  /** Namespaces that exist. */
  readonly namespaces?: string[];
  /** RBAC rules for every user; undefined allows everything. */
  readonly rules?: Rule[];
  /** Authenticates bearer tokens not in `tokens` (e.g. an EKS token checker); undefined → 401. */
  readonly tokenCheck?: (token: string) => string | undefined;
}

export class KubeApiDouble {
  readonly requests: RecordedRequest[] = [];
  readonly namespaces: Set<string>;
  rules?: Rule[];
  /** Force 401 for every request (revoked credentials). */
  rejectAll = false;
  /** Reads of a changed workload before its controller reconciles it (2: the first read is stale). */
  readsBeforeReconcile = 2;
  deploymentBehaviour: (deployment: Obj) => DeploymentBehaviour = () => "healthy";
  jobBehaviour: (job: Obj) => JobBehaviour = () => "complete";
  externalSecretBehaviour: (externalSecret: Obj) => ExternalSecretBehaviour = () => "synced";
  /** Overrides the app stub behind services/proxy; undefined falls back to the stub. */
  app: (request: AppRequest) => AppResponse | undefined = () => undefined;
  /** Log text per "pod/container"; `previous` logs under "pod/container/previous". */
  readonly logs = new Map<string, string>();
  private readonly store = new Map<string, Stored>();
  private readonly events: Obj[] = [];
  private rv = 100;
  private server?: https.Server;
  private readonly tokens: Record<string, string>;

  constructor(private readonly options: KubeDoubleOptions) {
    this.namespaces = new Set(options.namespaces ?? []);
    this.rules = options.rules;
    this.tokens = options.tokens ?? {};
  }

  async start(): Promise<string> {
    this.server = https.createServer(
      {
        key: this.options.tls.serverKey,
        cert: this.options.tls.serverCert,
        ca: this.options.tls.caCert,
        requestCert: true,
        rejectUnauthorized: false,
      },
      (req, res) => void this.handle(req, res),
    );
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    return this.url();
  }

  get port(): number {
    return (this.server?.address() as AddressInfo).port;
  }

  url(host = "localhost"): string {
    return `https://${host}:${this.port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  // ------------------------------------------------------------ test helpers

  private key(def: ResourceDef, namespace: string | undefined, name: string): string {
    return `${def.group}|${def.resource}|${namespace ?? ""}|${name}`;
  }

  private defFor(kind: string, apiVersion?: string): ResourceDef {
    const group = apiVersion?.includes("/") ? (apiVersion.split("/")[0] ?? "") : "";
    const def = RESOURCES.find(
      (r) => r.kind === kind && !r.resource.includes("/") && (apiVersion === undefined || r.group === group),
    );
    if (!def) throw new Error(`double: unknown kind ${kind}`);
    return def;
  }

  /** The stored object (a copy), or undefined. */
  get(kind: string, namespace: string, name: string): Obj | undefined {
    const stored = this.store.get(this.key(this.defFor(kind), namespace, name));
    return stored ? clone(stored.obj) : undefined;
  }

  /** Stored objects of a kind in a namespace (copies). */
  list(kind: string, namespace: string): Obj[] {
    const def = this.defFor(kind);
    return [...this.store.entries()]
      .filter(([k]) => k.startsWith(`${def.group}|${def.resource}|${namespace}|`))
      .map(([, s]) => clone(s.obj));
  }

  /** Stores an object as if `manager` had applied it (another tool, a human, a stale lease). */
  seed(object: Obj, manager = "kubectl-client-side-apply"): Obj {
    const def = this.defFor(object.kind, object.apiVersion);
    const stored: Stored = {
      obj: this.fresh(clone(object)),
      applied: new Map([[manager, appliedConfig(object)]]),
      reads: 0,
      reconciled: true,
    };
    if (object.status) stored.obj.status = clone(object.status);
    this.store.set(this.key(def, object.metadata.namespace, object.metadata.name), stored);
    return clone(stored.obj);
  }

  /** Sets spec.replicas as the HPA controller does (an Update through the scale subresource). */
  scale(kind: string, namespace: string, name: string, replicas: number): void {
    const stored = this.store.get(this.key(this.defFor(kind), namespace, name));
    if (!stored) throw new Error(`double: no ${kind}/${name}`);
    stored.obj.spec.replicas = replicas;
    stored.applied.set("kube-controller-manager", { spec: { replicas } });
    stored.obj.metadata.generation += 1;
    this.bump(stored);
    this.reconcile(stored);
  }

  addEvent(namespace: string, kind: string, name: string, reason: string, message: string, type = "Warning"): void {
    this.events.push({
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: `${name}.${randomBytes(4).toString("hex")}`, namespace },
      involvedObject: { kind, name, namespace },
      reason,
      message,
      type,
      count: 1,
      lastTimestamp: new Date(Date.now() + this.events.length).toISOString(),
    });
  }

  /** Requests that changed (or would have changed) something: writes that were not dry runs. */
  writes(): RecordedRequest[] {
    return this.requests.filter(
      (r) =>
        ["POST", "PUT", "PATCH", "DELETE"].includes(r.method) &&
        r.query.dryRun !== "All" &&
        !r.path.includes("selfsubjectrulesreviews"),
    );
  }

  /** "verb group/resource" of every authorized resource request. */
  permissionsUsed(): Set<string> {
    return new Set(this.used);
  }

  private readonly used: string[] = [];

  // ------------------------------------------------------------ HTTP

  private async handle(
    req: import("node:http").IncomingMessage,
    res: import("node:http").ServerResponse,
  ): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "https://double");
    const record: RecordedRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams.entries()),
      contentType: String(req.headers["content-type"] ?? ""),
      host: String(req.headers.host ?? ""),
      sni: (req.socket as TLSSocket).servername ?? false,
      status: 0,
    };
    this.requests.push(record);
    let status = 200;
    let contentType = "application/json";
    let payload = "";
    try {
      record.user = this.authenticate(req);
      if (raw && record.contentType.includes("json")) record.body = JSON.parse(raw) as Obj;
      const answer = this.route(record, raw, req.headers);
      status = answer.status ?? 200;
      contentType = answer.contentType ?? "application/json";
      payload = typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
    } catch (error) {
      const e = error instanceof HttpError ? error : new HttpError(500, "InternalError", String(error));
      status = e.status;
      payload = JSON.stringify({
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message: e.message,
        reason: e.reason,
        details: e.details,
        code: e.status,
      });
    }
    record.status = status;
    res.writeHead(status, { "content-type": contentType }).end(payload);
  }

  private authenticate(req: import("node:http").IncomingMessage): string {
    if (this.rejectAll) throw new HttpError(401, "Unauthorized", "Unauthorized");
    const auth = String(req.headers.authorization ?? "");
    if (auth.startsWith("Bearer ")) {
      const user = this.tokens[auth.slice(7)] ?? this.options.tokenCheck?.(auth.slice(7));
      if (user) return user;
      throw new HttpError(401, "Unauthorized", "Unauthorized");
    }
    const socket = req.socket as TLSSocket;
    if (socket.authorized) {
      const cert = socket.getPeerCertificate();
      const cn = cert.subject?.CN;
      if (typeof cn === "string") return cn;
    }
    throw new HttpError(401, "Unauthorized", "Unauthorized");
  }

  private authorize(
    verb: string,
    def: ResourceDef,
    namespace: string | undefined,
    name?: string,
    subresource?: string,
  ): void {
    const resource = subresource ? `${def.resource}/${subresource}` : def.resource;
    const allowed =
      this.rules === undefined ||
      (namespace !== undefined &&
        this.rules.some(
          (r) =>
            matches(r.apiGroups, def.group) &&
            matches(r.resources, resource) &&
            matches(r.verbs, verb) &&
            (!r.resourceNames?.length || (name !== undefined && r.resourceNames.includes(name))),
        ));
    if (!allowed) {
      const what = def.group ? `${resource}.${def.group}` : resource;
      throw new HttpError(
        403,
        "Forbidden",
        `${what}${name ? ` "${name}"` : ""} is forbidden: User cannot ${verb} resource "${resource}" in API group "${def.group}"${namespace ? ` in the namespace "${namespace}"` : ""}`,
        { name, group: def.group, kind: def.resource },
      );
    }
    this.used.push(`${verb} ${def.group ? `${def.group}/` : ""}${resource}`);
  }

  private parsePath(path: string): ParsedPath | undefined {
    const parts = path.split("/").filter(Boolean);
    let group = "";
    let version = "";
    let rest: string[];
    if (parts[0] === "api") {
      version = parts[1] ?? "";
      rest = parts.slice(2);
    } else if (parts[0] === "apis") {
      group = parts[1] ?? "";
      version = parts[2] ?? "";
      rest = parts.slice(3);
    } else return undefined;
    let namespace: string | undefined;
    if (rest[0] === "namespaces" && rest.length >= 3) {
      namespace = decodeURIComponent(rest[1] ?? "");
      rest = rest.slice(2);
    }
    const def = RESOURCES.find((r) => r.group === group && r.version === version && r.resource === rest[0]);
    if (!def) return undefined;
    if (rest[0] === "namespaces" && rest.length === 2) return { def, name: decodeURIComponent(rest[1] ?? "") };
    return {
      def,
      namespace,
      name: rest[1] !== undefined ? decodeURIComponent(rest[1]) : undefined,
      subresource: rest[2],
    };
  }

  private route(
    r: RecordedRequest,
    raw: string,
    headers: import("node:http").IncomingHttpHeaders,
  ): { status?: number; body: unknown; contentType?: string } {
    if (r.path === "/version") return { body: { major: "1", minor: "32", gitVersion: "v1.32.4-double" } };
    if (r.path === "/api") return { body: { kind: "APIVersions", versions: ["v1"] } };
    if (r.path === "/apis") {
      const groups = [...new Set(RESOURCES.filter((d) => d.group).map((d) => `${d.group}/${d.version}`))].map((gv) => {
        const [name, version] = gv.split("/");
        return { name, versions: [{ groupVersion: gv, version }], preferredVersion: { groupVersion: gv, version } };
      });
      return { body: { kind: "APIGroupList", groups } };
    }
    const discovery = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(r.path);
    if (discovery) {
      const group = discovery[2] ?? "";
      const version = discovery[1] ?? discovery[3] ?? "";
      const resources = RESOURCES.filter((d) => d.group === group && d.version === version);
      if (!resources.length) throw new HttpError(404, "NotFound", "the server could not find the requested resource");
      return {
        body: {
          kind: "APIResourceList",
          groupVersion: group ? `${group}/${version}` : version,
          resources: resources.map((d) => ({
            name: d.resource,
            kind: d.kind,
            namespaced: d.namespaced,
            verbs: d.verbs,
          })),
        },
      };
    }
    const parsed = this.parsePath(r.path);
    if (!parsed) throw new HttpError(404, "NotFound", "the server could not find the requested resource");
    const { def } = parsed;
    if (def.resource === "selfsubjectrulesreviews") return this.rulesReview(r);
    if (def.resource === "namespaces") {
      this.authorize("get", def, undefined, parsed.name);
      if (!parsed.name || !this.namespaces.has(parsed.name))
        throw new HttpError(404, "NotFound", `namespaces "${parsed.name}" not found`);
      return { body: { apiVersion: "v1", kind: "Namespace", metadata: { name: parsed.name } } };
    }
    const ns = parsed.namespace;
    if (parsed.subresource === "log" && def.resource === "pods") return this.podLog(r, parsed);
    if (parsed.subresource === "proxy" && def.resource === "services") return this.serviceProxy(r, parsed, headers);
    if (parsed.subresource)
      throw new HttpError(404, "NotFound", `subresource ${parsed.subresource} is not served by the double`);
    const name = parsed.name;
    switch (r.method) {
      case "GET":
        if (name === undefined) {
          this.authorize("list", def, ns);
          return { body: this.listBody(def, ns, r.query) };
        }
        this.authorize("get", def, ns, name);
        return { body: this.read(def, ns, name) };
      case "POST":
        if (name !== undefined) throw new HttpError(405, "MethodNotAllowed", "POST to an object path");
        this.authorize("create", def, ns);
        return { status: 201, body: this.create(def, ns, this.body(r, raw), r.query) };
      case "PUT":
        this.authorize("update", def, ns, name);
        return { body: this.update(def, ns, name ?? "", this.body(r, raw)) };
      case "PATCH":
        this.authorize("patch", def, ns, name);
        return this.apply(def, ns, name ?? "", r, raw);
      case "DELETE":
        this.authorize("delete", def, ns, name);
        return { body: this.remove(def, ns, name ?? "", r, raw) };
      default:
        throw new HttpError(405, "MethodNotAllowed", `${r.method} is not allowed`);
    }
  }

  private body(r: RecordedRequest, raw: string): Obj {
    if (!r.contentType.startsWith("application/json"))
      throw new HttpError(
        415,
        "UnsupportedMediaType",
        `the body of the request was in an unknown format: ${r.contentType}`,
      );
    const body = JSON.parse(raw) as unknown;
    if (!isObj(body)) throw new HttpError(400, "BadRequest", "body is not an object");
    return body;
  }

  private rulesReview(r: RecordedRequest): { status: number; body: unknown } {
    if (r.method !== "POST") throw new HttpError(405, "MethodNotAllowed", "selfsubjectrulesreviews only accept POST");
    const spec = isObj(r.body?.spec) ? r.body.spec : {};
    const resourceRules = this.rules ?? [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }];
    return {
      status: 201,
      body: {
        ...r.body,
        status: { resourceRules, nonResourceRules: [], incomplete: false, namespace: spec.namespace },
      },
    };
  }

  // ------------------------------------------------------------ storage operations

  private bump(stored: Stored): void {
    this.rv += 1;
    stored.obj.metadata.resourceVersion = String(this.rv);
    stored.reads = 0;
    stored.reconciled = false;
  }

  private fresh(object: Obj): Obj {
    this.rv += 1;
    object.metadata = {
      ...object.metadata,
      uid: randomBytes(8).toString("hex"),
      resourceVersion: String(this.rv),
      generation: 1,
      creationTimestamp: new Date().toISOString(),
    };
    return object;
  }

  private requireNamespace(ns: string | undefined): void {
    if (ns !== undefined && !this.namespaces.has(ns)) {
      throw new HttpError(404, "NotFound", `namespaces "${ns}" not found`, { name: ns, kind: "namespaces" });
    }
  }

  private checkIdentity(def: ResourceDef, ns: string | undefined, name: string | undefined, body: Obj): void {
    const group =
      typeof body.apiVersion === "string" && body.apiVersion.includes("/") ? body.apiVersion.split("/")[0] : "";
    if (body.kind !== def.kind || group !== def.group)
      throw new HttpError(400, "BadRequest", `the body is a ${String(body.kind)}, not a ${def.kind}`);
    if (!isObj(body.metadata) || typeof body.metadata.name !== "string")
      throw new HttpError(422, "Invalid", "metadata.name: Required value");
    if (name !== undefined && body.metadata.name !== name)
      throw new HttpError(400, "BadRequest", "the name of the object does not match the name on the URL");
    if (body.metadata.namespace !== undefined && body.metadata.namespace !== ns) {
      throw new HttpError(
        400,
        "BadRequest",
        "the namespace of the provided object does not match the namespace sent on the request",
      );
    }
    if (def.kind === "Lease") {
      for (const field of ["acquireTime", "renewTime"]) {
        const value = body.spec?.[field];
        if (value !== undefined && !(typeof value === "string" && MICROTIME.test(value))) {
          throw new HttpError(
            400,
            "BadRequest",
            `Lease in version "v1" cannot be handled as a Lease: spec.${field}: parsing time "${String(value)}" as MicroTime`,
          );
        }
      }
    }
  }

  private read(def: ResourceDef, ns: string | undefined, name: string): Obj {
    const stored = this.store.get(this.key(def, ns, name));
    if (!stored)
      throw new HttpError(404, "NotFound", `${def.resource}${def.group ? `.${def.group}` : ""} "${name}" not found`, {
        name,
        group: def.group,
        kind: def.resource,
      });
    stored.reads += 1;
    if (stored.reads >= this.readsBeforeReconcile && !stored.reconciled) this.reconcile(stored);
    return clone(stored.obj);
  }

  private listBody(def: ResourceDef, ns: string | undefined, query: Record<string, string>): Obj {
    const selector = this.parseSelector(query.labelSelector);
    const items =
      def.kind === "Event"
        ? this.events.filter((e) => e.metadata.namespace === ns)
        : [...this.store.entries()]
            .filter(([k]) => k.startsWith(`${def.group}|${def.resource}|${ns ?? ""}|`))
            .map(([, s]) => s.obj);
    const selected = items.filter((o) => selector.every(([k, v]) => o.metadata?.labels?.[k] === v));
    return {
      apiVersion: def.group ? `${def.group}/${def.version}` : def.version,
      kind: `${def.kind}List`,
      metadata: { resourceVersion: String(this.rv) },
      items: clone(selected),
    };
  }

  private parseSelector(text: string | undefined): Array<[string, string]> {
    if (!text) return [];
    return text.split(",").map((term) => {
      const m = /^([A-Za-z0-9./_-]+)==?([A-Za-z0-9._-]*)$/.exec(term);
      if (!m) throw new HttpError(400, "BadRequest", `unable to parse requirement: ${term}`);
      return [m[1] ?? "", m[2] ?? ""];
    });
  }

  private create(def: ResourceDef, ns: string | undefined, body: Obj, query: Record<string, string>): Obj {
    this.checkIdentity(def, ns, undefined, body);
    this.requireNamespace(ns);
    const key = this.key(def, ns, body.metadata.name);
    if (this.store.has(key))
      throw new HttpError(409, "AlreadyExists", `${def.resource} "${body.metadata.name}" already exists`, {
        name: body.metadata.name,
        kind: def.resource,
      });
    const obj = this.fresh({ ...appliedConfig(body), metadata: { ...appliedConfig(body).metadata, namespace: ns } });
    obj.metadata.managedFields = [
      { manager: query.fieldManager ?? "unknown", operation: "Update", apiVersion: body.apiVersion },
    ];
    if (query.dryRun === "All") return obj;
    this.store.set(key, { obj, applied: new Map(), reads: 0, reconciled: false });
    return clone(obj);
  }

  private update(def: ResourceDef, ns: string | undefined, name: string, body: Obj): Obj {
    this.checkIdentity(def, ns, name, body);
    const stored = this.store.get(this.key(def, ns, name));
    if (!stored) throw new HttpError(404, "NotFound", `${def.resource} "${name}" not found`);
    const rv = body.metadata.resourceVersion;
    if (rv !== undefined && rv !== stored.obj.metadata.resourceVersion) {
      throw new HttpError(
        409,
        "Conflict",
        `Operation cannot be fulfilled on ${def.resource} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      );
    }
    const next = {
      ...appliedConfig(body),
      status: stored.obj.status,
      metadata: { ...stored.obj.metadata, ...appliedConfig(body).metadata },
    };
    if (!same(specPart(next), specPart(stored.obj)) || !same(next.metadata, stored.obj.metadata)) {
      if (!same(specPart(next), specPart(stored.obj))) next.metadata.generation += 1;
      stored.obj = next;
      this.bump(stored);
    }
    return clone(stored.obj);
  }

  private apply(
    def: ResourceDef,
    ns: string | undefined,
    name: string,
    r: RecordedRequest,
    raw: string,
  ): { status: number; body: Obj } {
    if (r.contentType !== "application/apply-patch+yaml") {
      throw new HttpError(
        415,
        "UnsupportedMediaType",
        `the double only serves server-side apply, not ${r.contentType}`,
      );
    }
    const manager = r.query.fieldManager;
    if (!manager)
      throw new HttpError(
        422,
        "Invalid",
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      );
    if (r.query.dryRun !== undefined && r.query.dryRun !== "All")
      throw new HttpError(400, "BadRequest", `unsupported dry run value "${r.query.dryRun}"`);
    const body = parseYaml(raw) as unknown;
    if (!isObj(body)) throw new HttpError(400, "BadRequest", "the apply patch is not an object");
    r.body = body;
    if (isObj(body.metadata) && body.metadata.managedFields !== undefined)
      throw new HttpError(400, "BadRequest", "metadata.managedFields must be nil");
    this.checkIdentity(def, ns, name, body);
    const dryRun = r.query.dryRun === "All";
    const key = this.key(def, ns, name);
    const stored = this.store.get(key);
    const config = appliedConfig(body);
    if (!stored) {
      this.authorize("create", def, ns, name);
      this.requireNamespace(ns);
      const obj = this.fresh({ ...clone(config), metadata: { ...config.metadata, namespace: ns } });
      obj.metadata.managedFields = [
        { manager, operation: "Apply", apiVersion: body.apiVersion, fieldsType: "FieldsV1", fieldsV1: {} },
      ];
      if (!dryRun) this.store.set(key, { obj, applied: new Map([[manager, config]]), reads: 0, reconciled: false });
      return { status: 201, body: clone(obj) };
    }
    if (r.query.force !== "true") {
      const conflicts: string[] = [];
      for (const path of leafPaths(config)) {
        for (const [other, theirs] of stored.applied) {
          if (other === manager) continue;
          const value = getPath(theirs, path);
          if (value !== undefined && !same(value, getPath(config, path)))
            conflicts.push(`conflict with "${other}": .${path.join(".")}`);
        }
      }
      if (conflicts.length)
        throw new HttpError(
          409,
          "Conflict",
          `Apply failed with ${conflicts.length} conflict(s): ${conflicts.join(", ")}`,
        );
    }
    const previous = stored.applied.get(manager) ?? {};
    const keep = new Set(leafPaths(config).map((p) => p.join("\u0000")));
    const ownedByOthers = (path: string[]) =>
      [...stored.applied].some(([m, c]) => m !== manager && getPath(c, path) !== undefined);
    let live = clone(stored.obj);
    for (const path of leafPaths(previous)) {
      if (path.length && !keep.has(path.join("\u0000")) && !ownedByOthers(path)) deletePath(live, path);
    }
    live = deepMerge(live, config);
    live.status = clone(stored.obj.status);
    if (def.kind === "Job" && !same(live.spec?.template, stored.obj.spec?.template)) {
      throw new HttpError(
        422,
        "Invalid",
        `Job.batch "${name}" is invalid: spec.template: Invalid value: field is immutable`,
      );
    }
    const managers = new Map(stored.applied).set(manager, config);
    live.metadata.managedFields = [...managers.keys()].map((m) => ({
      manager: m,
      operation: "Apply",
      apiVersion: body.apiVersion,
      fieldsType: "FieldsV1",
      fieldsV1: {},
    }));
    const specChanged = !same(specPart(live), specPart(stored.obj));
    const changed =
      specChanged || !same({ ...live.metadata, managedFields: [] }, { ...stored.obj.metadata, managedFields: [] });
    if (specChanged) live.metadata.generation = (stored.obj.metadata.generation ?? 1) + 1;
    if (dryRun) return { status: 200, body: live };
    stored.applied.set(manager, config);
    if (changed) {
      stored.obj = live;
      this.bump(stored);
    } else {
      stored.obj.metadata.managedFields = live.metadata.managedFields;
    }
    return { status: 200, body: clone(stored.obj) };
  }

  private remove(def: ResourceDef, ns: string | undefined, name: string, r: RecordedRequest, raw: string): Obj {
    const key = this.key(def, ns, name);
    const stored = this.store.get(key);
    if (!stored)
      throw new HttpError(404, "NotFound", `${def.resource} "${name}" not found`, { name, kind: def.resource });
    const options = raw ? (JSON.parse(raw) as Obj) : {};
    const policy =
      options.propagationPolicy ?? r.query.propagationPolicy ?? (def.kind === "Job" ? "Orphan" : "Background");
    if (options.dryRun?.includes?.("All") || r.query.dryRun === "All") return { kind: "Status", status: "Success" };
    this.store.delete(key);
    const uid = stored.obj.metadata.uid;
    for (const [k, s] of [...this.store]) {
      const owned = (s.obj.metadata.ownerReferences ?? []).some((o: Obj) => o.uid === uid);
      if (!owned) continue;
      if (policy === "Orphan") s.obj.metadata.ownerReferences = [];
      else this.removeWithDependents(k);
    }
    return { kind: "Status", apiVersion: "v1", status: "Success", details: { name, kind: def.resource, uid } };
  }

  private removeWithDependents(key: string): void {
    const stored = this.store.get(key);
    if (!stored) return;
    this.store.delete(key);
    for (const [k, s] of [...this.store]) {
      if ((s.obj.metadata.ownerReferences ?? []).some((o: Obj) => o.uid === stored.obj.metadata.uid))
        this.removeWithDependents(k);
    }
  }

  // ------------------------------------------------------------ subresources

  private podLog(r: RecordedRequest, parsed: ParsedPath): { body: string; contentType: string } {
    this.authorize("get", parsed.def, parsed.namespace, parsed.name, "log");
    const pod = this.store.get(this.key(parsed.def, parsed.namespace, parsed.name ?? ""));
    if (!pod) throw new HttpError(404, "NotFound", `pods "${parsed.name}" not found`);
    const containers = [...(pod.obj.spec?.initContainers ?? []), ...(pod.obj.spec?.containers ?? [])].map((c: Obj) =>
      String(c.name),
    );
    const container = r.query.container ?? (containers.length === 1 ? containers[0] : undefined);
    if (!container || !containers.includes(container)) {
      throw new HttpError(
        400,
        "BadRequest",
        `a container name must be specified for pod ${parsed.name}, choose one of: [${containers.join(" ")}]`,
      );
    }
    const previous = r.query.previous === "true";
    const text = this.logs.get(`${parsed.name}/${container}${previous ? "/previous" : ""}`);
    if (text === undefined && previous)
      throw new HttpError(
        400,
        "BadRequest",
        `previous terminated container "${container}" in pod "${parsed.name}" not found`,
      );
    const lines = (text ?? "").split("\n").filter((l) => l !== "");
    const tail = r.query.tailLines ? lines.slice(-Number(r.query.tailLines)) : lines;
    return { body: tail.map((l) => `${l}\n`).join(""), contentType: "text/plain" };
  }

  private serviceProxy(
    r: RecordedRequest,
    parsed: ParsedPath,
    headers: import("node:http").IncomingHttpHeaders,
  ): { status: number; body: string; contentType: string } {
    this.authorize(r.method === "GET" ? "get" : "create", parsed.def, parsed.namespace, parsed.name, "proxy");
    const [first, second, third] = (parsed.name ?? "").split(":");
    const scheme = third !== undefined || first === "https" || first === "http" ? first : undefined;
    const service = scheme ? (second ?? "") : (first ?? "");
    const port = scheme ? (third ?? "") : (second ?? "");
    const stored = this.store.get(this.key(parsed.def, parsed.namespace, service));
    if (!stored) throw new HttpError(404, "NotFound", `services "${service}" not found`);
    const ports: Obj[] = stored.obj.spec?.ports ?? [];
    if (!ports.some((p) => p.name === port || String(p.port) === port || (port === "" && ports.length === 1))) {
      throw new HttpError(503, "ServiceUnavailable", `no endpoints available for service "${service}"`);
    }
    // The proxied path is everything after ".../proxy", trailing slash included.
    const proxied = /\/services\/[^/]+\/proxy(\/.*)?$/.exec(r.path)?.[1] ?? "/";
    const request: AppRequest = { namespace: parsed.namespace ?? "", service, port, path: proxied, headers };
    const answer = this.app(request) ?? this.defaultApp(request);
    return { status: answer.status, body: answer.body, contentType: answer.contentType ?? "text/plain" };
  }

  /** The app behind the Services: 503 without a ready pod, else backend/frontend stubs. */
  private defaultApp(request: AppRequest): AppResponse {
    const deployment = this.store.get(this.key(this.defFor("Deployment"), request.namespace, request.service));
    if (!deployment || !(deployment.obj.status?.availableReplicas > 0)) {
      return {
        status: 503,
        contentType: "application/json",
        body: JSON.stringify({
          kind: "Status",
          code: 503,
          message: `no endpoints available for service "${request.service}"`,
        }),
      };
    }
    if (request.service === "frontend" && request.path === "/") {
      return {
        status: 200,
        contentType: "text/html",
        body: '<!doctype html><html><body><div id="root"></div></body></html>',
      };
    }
    if (request.service === "backend") {
      if (request.path === "/healthz" || request.path === "/readyz") return { status: 200, body: "ok" };
      if (request.path === "/api/loans/rules/") {
        if (request.headers.host !== "backend")
          return { status: 400, contentType: "text/html", body: "<h1>Bad Request (400)</h1>" };
        return {
          status: 200,
          contentType: "application/json",
          body: JSON.stringify({ min_amount: "10000.00", max_amount: "5000000.00" }),
        };
      }
    }
    return { status: 404, body: "not found" };
  }

  // ------------------------------------------------------------ controllers

  private putChild(object: Obj, owner: Obj): void {
    const def = this.defFor(object.kind, object.apiVersion);
    object.metadata.namespace = owner.metadata.namespace;
    object.metadata.ownerReferences = [
      {
        apiVersion: owner.apiVersion,
        kind: owner.kind,
        name: owner.metadata.name,
        uid: owner.metadata.uid,
        controller: true,
      },
    ];
    this.store.set(this.key(def, owner.metadata.namespace, object.metadata.name), {
      obj: this.fresh(object),
      applied: new Map(),
      reads: 0,
      reconciled: true,
    });
  }

  private childrenOf(kind: string, owner: Obj): Array<[string, Stored]> {
    const def = this.defFor(kind);
    return [...this.store.entries()].filter(
      ([k, s]) =>
        k.startsWith(`${def.group}|${def.resource}|${owner.metadata.namespace}|`) &&
        (s.obj.metadata.ownerReferences ?? []).some((o: Obj) => o.uid === owner.metadata.uid),
    );
  }

  private reconcile(stored: Stored): void {
    stored.reconciled = true;
    const kind = stored.obj.kind;
    if (kind === "Deployment") this.reconcileDeployment(stored.obj);
    else if (kind === "StatefulSet") this.reconcileStatefulSet(stored.obj);
    else if (kind === "Job") this.reconcileJob(stored.obj);
    else if (kind === "ExternalSecret") this.reconcileExternalSecret(stored.obj);
  }

  private containerStatus(container: Obj, behaviour: DeploymentBehaviour): Obj {
    const base = { name: container.name, image: container.image, restartCount: 0 };
    switch (behaviour) {
      case "crashloop":
        return {
          ...base,
          ready: false,
          restartCount: 4,
          state: {
            waiting: {
              reason: "CrashLoopBackOff",
              message: `back-off 40s restarting failed container=${container.name}`,
            },
          },
          lastState: { terminated: { exitCode: 1, reason: "Error" } },
        };
      case "imagepull":
        return {
          ...base,
          ready: false,
          state: { waiting: { reason: "ImagePullBackOff", message: `Back-off pulling image "${container.image}"` } },
        };
      case "config-error":
        return {
          ...base,
          ready: false,
          state: { waiting: { reason: "CreateContainerConfigError", message: 'secret "backend-secrets" not found' } },
        };
      case "stuck":
      case "deadline":
        return { ...base, ready: false, state: { running: { startedAt: new Date().toISOString() } } };
      default:
        return { ...base, ready: true, state: { running: { startedAt: new Date().toISOString() } } };
    }
  }

  private makePod(name: string, template: Obj, labels: Obj, owner: Obj, behaviour: DeploymentBehaviour): void {
    const spec = clone(template.spec ?? {});
    const containerStatuses = (spec.containers ?? []).map((c: Obj) => this.containerStatus(c, behaviour));
    const ready = containerStatuses.every((s: Obj) => s.ready);
    this.putChild(
      {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name, labels: { ...(template.metadata?.labels ?? {}), ...labels } },
        spec,
        status: {
          phase: behaviour === "imagepull" || behaviour === "config-error" ? "Pending" : "Running",
          conditions: [{ type: "Ready", status: ready ? "True" : "False" }],
          containerStatuses,
        },
      },
      owner,
    );
    const first = containerStatuses[0];
    if (behaviour === "crashloop" && first) {
      this.logs.set(
        `${name}/${first.name}/previous`,
        "Booting worker\nTraceback (most recent call last):\ndjango.core.exceptions.ImproperlyConfigured: DJANGO_SECRET_KEY is missing",
      );
      this.addEvent(
        owner.metadata.namespace,
        "Pod",
        name,
        "BackOff",
        `Back-off restarting failed container ${first.name} in pod ${name}`,
      );
    }
    if (behaviour === "imagepull" && first)
      this.addEvent(
        owner.metadata.namespace,
        "Pod",
        name,
        "Failed",
        `Failed to pull image "${first.image}": not found`,
      );
    if (behaviour === "stuck" && first)
      this.logs.set(`${name}/${first.name}`, "Starting gunicorn\nreadiness: database unreachable");
  }

  private reconcileDeployment(dep: Obj): void {
    const behaviour = this.deploymentBehaviour(dep);
    const replicas = dep.spec?.replicas ?? 1;
    const hash = shortHash(dep.spec?.template);
    const sets = this.childrenOf("ReplicaSet", dep);
    let current = sets.find(([, s]) => s.obj.metadata.labels?.["pod-template-hash"] === hash)?.[1];
    if (!current) {
      const revision =
        Math.max(
          0,
          ...sets.map(([, s]) => Number(s.obj.metadata.annotations?.["deployment.kubernetes.io/revision"] ?? 0)),
        ) + 1;
      const rsName = `${dep.metadata.name}-${hash}`;
      this.putChild(
        {
          apiVersion: "apps/v1",
          kind: "ReplicaSet",
          metadata: {
            name: rsName,
            labels: { ...(dep.spec?.template?.metadata?.labels ?? {}), "pod-template-hash": hash },
            annotations: { "deployment.kubernetes.io/revision": String(revision) },
          },
          spec: { replicas },
        },
        dep,
      );
      current = this.store.get(this.key(this.defFor("ReplicaSet"), dep.metadata.namespace, rsName));
      const newPods = behaviour === "healthy" ? replicas : 1;
      for (let i = 0; i < newPods; i++)
        this.makePod(
          `${rsName}-${randomBytes(3).toString("hex")}`,
          dep.spec.template,
          { "pod-template-hash": hash },
          current?.obj ?? dep,
          behaviour,
        );
    }
    const stored = this.store.get(this.key(this.defFor("Deployment"), dep.metadata.namespace, dep.metadata.name));
    if (!stored || !current) return;
    stored.obj.metadata.annotations = {
      ...(stored.obj.metadata.annotations ?? {}),
      "deployment.kubernetes.io/revision": current.obj.metadata.annotations["deployment.kubernetes.io/revision"],
    };
    const old = sets.filter(([, s]) => s !== current);
    const oldPods = old.flatMap(([, s]) => this.childrenOf("Pod", s.obj));
    if (behaviour === "healthy") {
      for (const [k] of old) this.removeWithDependents(k);
      stored.obj.status = {
        observedGeneration: stored.obj.metadata.generation,
        replicas,
        updatedReplicas: replicas,
        readyReplicas: replicas,
        availableReplicas: replicas,
        conditions: [
          { type: "Available", status: "True", reason: "MinimumReplicasAvailable" },
          { type: "Progressing", status: "True", reason: "NewReplicaSetAvailable" },
        ],
      };
    } else {
      stored.obj.status = {
        observedGeneration: stored.obj.metadata.generation,
        replicas: oldPods.length + 1,
        updatedReplicas: 1,
        readyReplicas: oldPods.length,
        availableReplicas: oldPods.length,
        unavailableReplicas: 1,
        conditions: [
          { type: "Available", status: oldPods.length ? "True" : "False", reason: "MinimumReplicasAvailable" },
          behaviour === "deadline"
            ? {
                type: "Progressing",
                status: "False",
                reason: "ProgressDeadlineExceeded",
                message: `ReplicaSet "${current.obj.metadata.name}" has timed out progressing.`,
              }
            : { type: "Progressing", status: "True", reason: "ReplicaSetUpdated" },
        ],
      };
    }
    this.rv += 1;
    stored.obj.metadata.resourceVersion = String(this.rv);
  }

  private reconcileStatefulSet(sts: Obj): void {
    const replicas = sts.spec?.replicas ?? 1;
    const revision = `${sts.metadata.name}-${shortHash(sts.spec?.template)}`;
    for (const [k, s] of this.childrenOf("Pod", sts))
      if (s.obj.metadata.labels?.["controller-revision-hash"] !== revision) this.store.delete(k);
    for (let i = 0; i < replicas; i++) {
      const name = `${sts.metadata.name}-${i}`;
      if (!this.store.has(this.key(this.defFor("Pod"), sts.metadata.namespace, name)))
        this.makePod(name, sts.spec.template, { "controller-revision-hash": revision }, sts, "healthy");
    }
    const stored = this.store.get(this.key(this.defFor("StatefulSet"), sts.metadata.namespace, sts.metadata.name));
    if (!stored) return;
    stored.obj.status = {
      observedGeneration: stored.obj.metadata.generation,
      replicas,
      readyReplicas: replicas,
      updatedReplicas: replicas,
      currentReplicas: replicas,
      currentRevision: revision,
      updateRevision: revision,
    };
  }

  /** As ESO does: the target Secret (owned by the ExternalSecret), then status for this generation. */
  private reconcileExternalSecret(es: Obj): void {
    const behaviour = this.externalSecretBehaviour(es);
    if (behaviour === "pending") return;
    const stored = this.store.get(this.key(this.defFor("ExternalSecret"), es.metadata.namespace, es.metadata.name));
    if (!stored) return;
    const synced = `${es.metadata.generation}-${shortHash([es.metadata.labels, es.metadata.annotations])}`;
    if (behaviour === "synced") {
      const target = es.spec?.target?.name ?? es.metadata.name;
      const data = Object.fromEntries(
        (es.spec?.data ?? []).map((d: Obj) => [d.secretKey, Buffer.from(`value-of-${d.secretKey}`).toString("base64")]),
      );
      this.putChild({ apiVersion: "v1", kind: "Secret", metadata: { name: target }, type: "Opaque", data }, es);
      stored.obj.status = {
        syncedResourceVersion: synced,
        refreshTime: new Date().toISOString(),
        binding: { name: target },
        conditions: [{ type: "Ready", status: "True", reason: "SecretSynced", message: "secret synced" }],
      };
    } else {
      stored.obj.status = {
        syncedResourceVersion: synced,
        conditions: [
          {
            type: "Ready",
            status: "False",
            reason: "SecretSyncedError",
            message: "could not get secret data from provider",
          },
        ],
      };
    }
    this.rv += 1;
    stored.obj.metadata.resourceVersion = String(this.rv);
  }

  private reconcileJob(job: Obj): void {
    const behaviour = this.jobBehaviour(job);
    const stored = this.store.get(this.key(this.defFor("Job"), job.metadata.namespace, job.metadata.name));
    if (!stored) return;
    const podName = `${job.metadata.name}-${randomBytes(3).toString("hex")}`;
    const spec = clone(job.spec?.template?.spec ?? {});
    const init: Obj[] = spec.initContainers ?? [];
    const main: Obj[] = spec.containers ?? [];
    const terminated = (c: Obj, exitCode: number) => ({
      name: c.name,
      image: c.image,
      ready: false,
      restartCount: 0,
      state: { terminated: { exitCode, reason: exitCode ? "Error" : "Completed" } },
    });
    let status: Obj;
    if (behaviour === "complete") {
      status = {
        phase: "Succeeded",
        initContainerStatuses: init.map((c) => terminated(c, 0)),
        containerStatuses: main.map((c) => terminated(c, 0)),
      };
      for (const c of [...init, ...main]) this.logs.set(`${podName}/${c.name}`, `${c.name}: done`);
      stored.obj.status = {
        succeeded: 1,
        conditions: [
          { type: "SuccessCriteriaMet", status: "True" },
          { type: "Complete", status: "True" },
        ],
      };
    } else if (behaviour === "failed") {
      // The init container named `migrate` fails (the first one when there is none); those
      // before it completed, those after it never ran.
      const failing = Math.max(
        0,
        init.findIndex((c) => c.name === MIGRATE_CONTAINER),
      );
      const notRun = (c: Obj) => ({
        name: c.name,
        image: c.image,
        ready: false,
        restartCount: 0,
        state: { waiting: { reason: "PodInitializing" } },
      });
      status = {
        phase: "Failed",
        initContainerStatuses: init.map((c, i) =>
          i < failing ? terminated(c, 0) : i === failing ? terminated(c, 1) : notRun(c),
        ),
        containerStatuses: main.map(notRun),
      };
      init.slice(0, failing).forEach((c) => this.logs.set(`${podName}/${c.name}`, `${c.name}: done`));
      const failed = init[failing];
      if (failed) {
        this.logs.set(
          `${podName}/${failed.name}`,
          "Operations to perform:\n  Apply all migrations: loans\ndjango.db.utils.OperationalError: could not connect to server: Connection refused",
        );
      }
      stored.obj.status = {
        failed: 3,
        conditions: [
          { type: "FailureTarget", status: "True" },
          {
            type: "Failed",
            status: "True",
            reason: "BackoffLimitExceeded",
            message: "Job has reached the specified backoff limit",
          },
        ],
      };
    } else {
      const [first, ...rest] = [...init, ...main];
      status = {
        phase: "Pending",
        initContainerStatuses: first
          ? [
              {
                name: first.name,
                image: first.image,
                ready: false,
                restartCount: 0,
                state: { waiting: { reason: "ErrImagePull", message: `failed to pull ${first.image}` } },
              },
            ]
          : [],
        containerStatuses: rest.map((c) => ({
          name: c.name,
          ready: false,
          restartCount: 0,
          state: { waiting: { reason: "PodInitializing" } },
        })),
      };
      stored.obj.status = { active: 1 };
      this.addEvent(job.metadata.namespace, "Pod", podName, "Failed", `Failed to pull image "${first?.image}"`);
    }
    this.putChild(
      {
        apiVersion: "v1",
        kind: "Pod",
        metadata: {
          name: podName,
          labels: {
            "batch.kubernetes.io/job-name": job.metadata.name,
            "job-name": job.metadata.name,
            "batch.kubernetes.io/controller-uid": job.metadata.uid,
            "controller-uid": job.metadata.uid,
          },
        },
        spec,
        status,
      },
      job,
    );
    this.rv += 1;
    stored.obj.metadata.resourceVersion = String(this.rv);
  }
}
