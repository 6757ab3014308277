/**
 * A small Kubernetes REST client: exact paths, verbs and content types, JSON bodies sent
 * as given. TLS material and the Authorization header come from @kubernetes/client-node's
 * KubeConfig (applyToHTTPSOptions), so token, client-certificate and EKS auth behave as
 * client-node implements them.
 *
 * Why not client-node's API classes: since 1.2.0 KubernetesObjectApi re-serializes bodies
 * through its generated models, dropping fields they lack (under server-side apply a
 * dropped field is deleted), and the typed APIs default to JSON patch. Sending the body
 * ourselves keeps what we apply exactly what was rendered.
 */
import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";

import type { KubeConfig } from "@kubernetes/client-node";

import { accessError, DeployError } from "./errors";

export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

export interface RequestOptions {
  readonly query?: Query;
  /** JSON-serialised unless a string. */
  readonly body?: unknown;
  readonly contentType?: string;
  /** Extra headers (e.g. Host for a service-proxy request). Never Authorization. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface Response {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
}

/** A Kubernetes `Status` error answer (4xx/5xx). */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly method: string,
    readonly path: string,
    readonly details?: { kind?: string; name?: string },
  ) {
    super(message);
  }
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

export function isConflict(error: unknown): boolean {
  return error instanceof ApiError && error.status === 409;
}

const NETWORK_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: "connection refused",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "DNS lookup failed",
  ETIMEDOUT: "connection timed out",
  ECONNRESET: "connection reset",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
};

function describeNetworkError(server: string, error: NodeJS.ErrnoException): DeployError {
  const code = error.code ?? "";
  if (NETWORK_CODES[code])
    return accessError(`cannot reach the Kubernetes API at ${server}: ${NETWORK_CODES[code]} (${code})`);
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME|TLS/.test(code)) {
    return accessError(
      `TLS verification of the Kubernetes API at ${server} failed: ${error.message} (${code}); ` +
        "the host must be a name in the API server certificate and the kubeconfig must carry its CA",
    );
  }
  return accessError(`cannot reach the Kubernetes API at ${server}: ${error.message}`);
}

function parseStatus(text: string): { reason: string; message: string; details?: { kind?: string; name?: string } } {
  try {
    const body = JSON.parse(text) as {
      reason?: unknown;
      message?: unknown;
      details?: { kind?: string; name?: string };
    };
    return {
      reason: typeof body.reason === "string" ? body.reason : "",
      message: typeof body.message === "string" ? body.message : text.slice(0, 200),
      details: body.details,
    };
  } catch {
    return { reason: "", message: text.slice(0, 200) };
  }
}

function queryString(query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : "";
}

export class KubeClient {
  private readonly base: URL;

  constructor(
    private readonly kubeConfig: KubeConfig,
    readonly server: string,
    private readonly timeoutMs = 30_000,
  ) {
    this.base = new URL(server);
  }

  /**
   * Node derives the TLS server name from a Host header unless the agent names one, and an
   * agent's options win over the request's: so a request with its own Host header (the
   * service-proxy smoke test) gets an agent that names the API server (the kubeconfig's
   * tls-server-name, else the URL's host; '' means none, for an IP), keeping SNI and the
   * certificate check on the API server's name.
   */
  private agentIgnoringHost(agent: unknown, host: string): https.Agent {
    const base = agent instanceof https.Agent ? (agent.options as https.AgentOptions) : {};
    return new https.Agent({ ...base, servername: base.servername || (isIP(host) ? "" : host) });
  }

  /** Sends a request; resolves for 2xx, throws ApiError for API errors, DeployError("access") when unreachable. */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const url = new URL(`${this.base.pathname.replace(/\/$/, "")}${path}${queryString(options.query)}`, this.base);
    const headers: Record<string, string> = { Accept: "application/json", ...(options.headers ?? {}) };
    let payload: string | undefined;
    if (options.body !== undefined) {
      payload = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
      headers["Content-Type"] = options.contentType ?? "application/json";
      headers["Content-Length"] = String(Buffer.byteLength(payload));
    }
    const requestOptions: https.RequestOptions = { method, headers, timeout: this.timeoutMs };
    await this.kubeConfig.applyToHTTPSOptions(requestOptions);
    if (options.headers?.Host) requestOptions.agent = this.agentIgnoringHost(requestOptions.agent, url.hostname);
    const response = await new Promise<Response>((resolve, reject) => {
      const transport = url.protocol === "https:" ? https : http;
      const req = transport.request(url, requestOptions, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }),
        );
        res.on("error", reject);
      });
      req.on("timeout", () =>
        req.destroy(Object.assign(new Error(`no answer within ${this.timeoutMs} ms`), { code: "ETIMEDOUT" })),
      );
      req.on("error", (error: NodeJS.ErrnoException) => reject(describeNetworkError(this.server, error)));
      if (payload !== undefined) req.write(payload);
      req.end();
    });
    if (response.status >= 200 && response.status < 300) return response;
    const status = parseStatus(response.text);
    throw new ApiError(response.status, status.reason, status.message, method, path, status.details);
  }

  async json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.request(method, path, options);
    return (response.text ? JSON.parse(response.text) : {}) as T;
  }

  /** DELETE with propagationPolicy=Background (dependents, e.g. a Job's pods, go too); false when already gone. */
  async deleteInBackground(path: string): Promise<boolean> {
    try {
      await this.request("DELETE", path, {
        body: { kind: "DeleteOptions", apiVersion: "v1", propagationPolicy: "Background" },
      });
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  /** GET that answers undefined for 404. */
  async getOptional<T>(path: string, query?: Query): Promise<T | undefined> {
    try {
      return await this.json<T>("GET", path, { query });
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
}
