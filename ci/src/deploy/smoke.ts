/**
 * Smoke test after the rollout, through the API server's service proxy, so nothing but
 * the Kubernetes API has to be reachable from where the deploy runs:
 *   backend  /healthz, /readyz (answered only by the backend), /api/loans/rules/
 *   frontend /  (the SPA's index.html)
 * Only GET requests: a deploy must not write business data (the POST smoke test of the
 * app belongs to the container and browser suites).
 *
 * Path: /api/v1/namespaces/<ns>/services/<name>:<port>/proxy/<path>, segments left as they
 * are (client-node's generated proxy call percent-encodes "/" and ":"). The API server
 * passes our Host header through to the pod (its service proxy does not set the location
 * host), so backend requests carry `Host: backend`, a name in DJANGO_ALLOWED_HOSTS.
 */
import type { K8sObject } from "../manifests/render";
import { isRecord } from "../manifests/render";
import { DeployError } from "./errors";
import { ApiError, type KubeClient, type Response } from "./kube-client";
import { sleep } from "./timing";

export interface SmokeCheck {
  readonly service: string;
  readonly port: string;
  readonly path: string;
  readonly host?: string;
  /** A problem with the answer, or undefined when it is right. */
  readonly verify: (response: Response) => string | undefined;
}

const ok = (response: Response): string | undefined =>
  response.status === 200 ? undefined : `answered ${response.status}`;

function loanRules(response: Response): string | undefined {
  const status = ok(response);
  if (status) return status;
  try {
    const body = JSON.parse(response.text) as Record<string, unknown>;
    const money = /^\d+\.\d{2}$/;
    return typeof body.min_amount === "string" &&
      money.test(body.min_amount) &&
      typeof body.max_amount === "string" &&
      money.test(body.max_amount)
      ? undefined
      : "is not {min_amount, max_amount} as 2-decimal strings";
  } catch {
    return "is not JSON";
  }
}

function spaIndex(response: Response): string | undefined {
  const status = ok(response);
  if (status) return status;
  const type = String(response.headers["content-type"] ?? "");
  return type.startsWith("text/html") && response.text.includes('id="root"')
    ? undefined
    : "is not the SPA's index.html";
}

export const SMOKE_CHECKS: readonly SmokeCheck[] = [
  { service: "backend", port: "http", path: "/healthz", host: "backend", verify: ok },
  { service: "backend", port: "http", path: "/readyz", host: "backend", verify: ok },
  { service: "backend", port: "http", path: "/api/loans/rules/", host: "backend", verify: loanRules },
  { service: "frontend", port: "http", path: "/", verify: spaIndex },
];

export function serviceProxyPath(namespace: string, service: string, port: string, path: string): string {
  return `/api/v1/namespaces/${namespace}/services/${service}:${port}/proxy${path}`;
}

/** The Services and named ports the checks need, missing from `objects` (checked before deploying). */
export function missingSmokeTargets(
  objects: readonly K8sObject[],
  checks: readonly SmokeCheck[] = SMOKE_CHECKS,
): string[] {
  const missing = new Set<string>();
  for (const check of checks) {
    const service = objects.find((o) => o.kind === "Service" && o.metadata.name === check.service);
    const ports =
      isRecord(service?.spec) && Array.isArray(service.spec.ports)
        ? (service.spec.ports as Array<{ name?: string }>)
        : [];
    if (!ports.some((p) => p.name === check.port)) missing.add(`Service ${check.service} port ${check.port}`);
  }
  return [...missing];
}

async function attempt(client: KubeClient, namespace: string, check: SmokeCheck): Promise<string | undefined> {
  try {
    const response = await client.request("GET", serviceProxyPath(namespace, check.service, check.port, check.path), {
      headers: check.host ? { Host: check.host } : {},
    });
    return check.verify(response);
  } catch (error) {
    if (error instanceof ApiError) return `answered ${error.status} ${error.message}`;
    throw error;
  }
}

export interface SmokeOptions {
  readonly attempts: number;
  readonly delayMs: number;
  readonly log: (line: string) => void;
}

/** Runs every check, retrying each a few times; throws DeployError("smoke") listing the failures. */
export async function runSmokeTests(
  client: KubeClient,
  namespace: string,
  options: SmokeOptions,
  checks: readonly SmokeCheck[] = SMOKE_CHECKS,
): Promise<void> {
  const failures: string[] = [];
  for (const check of checks) {
    const label = `${check.service} ${check.path}`;
    let problem: string | undefined;
    for (let i = 1; i <= options.attempts; i++) {
      problem = await attempt(client, namespace, check);
      if (!problem || i === options.attempts) break;
      await sleep(options.delayMs);
    }
    options.log(`  ${label}: ${problem ? `FAILED (${problem})` : "ok"}`);
    if (problem) failures.push(`${label} ${problem}`);
  }
  if (failures.length) throw new DeployError("smoke", `smoke test failed: ${failures.join("; ")}`);
}
