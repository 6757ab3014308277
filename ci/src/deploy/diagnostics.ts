/**
 * What a failure report shows: recent Warning events about the release's objects and
 * pods, and the last log lines of the failing containers (the previous instance for a
 * container that restarted). Best effort: a diagnostic that cannot be read is noted, never
 * fatal.
 */
import type { K8sObject } from "../manifests/render";
import { type PodProblem } from "./health";
import type { KubeClient } from "./kube-client";

export const LOG_TAIL_LINES = 20;
const EVENT_LIMIT = 10;

interface Event {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  lastTimestamp?: string;
  eventTime?: string;
  involvedObject?: { kind?: string; name?: string };
}

function when(event: Event): string {
  return event.lastTimestamp ?? event.eventTime ?? "";
}

/** Warning events whose object is one of `names` or belongs to one (ReplicaSets, pods: "<name>-…"). */
export async function recentEvents(client: KubeClient, namespace: string, names: readonly string[]): Promise<string[]> {
  try {
    const list = await client.json<{ items?: Event[] }>("GET", `/api/v1/namespaces/${namespace}/events`);
    const relevant = (list.items ?? []).filter((e) => {
      const name = e.involvedObject?.name ?? "";
      return e.type === "Warning" && names.some((n) => name === n || name.startsWith(`${n}-`));
    });
    return relevant
      .sort((a, b) => when(a).localeCompare(when(b)))
      .slice(-EVENT_LIMIT)
      .map((e) =>
        `event ${e.involvedObject?.kind ?? "?"}/${e.involvedObject?.name ?? "?"}: ${e.reason ?? ""} ${e.message ?? ""}`.trim(),
      );
  } catch (error) {
    return [`(events could not be read: ${error instanceof Error ? error.message : String(error)})`];
  }
}

/** The last log lines of one container, each prefixed with pod/container. */
export async function lastLogLines(
  client: KubeClient,
  namespace: string,
  pod: string,
  container: string,
  previous = false,
): Promise<string[]> {
  try {
    const response = await client.request("GET", `/api/v1/namespaces/${namespace}/pods/${pod}/log`, {
      query: { container, tailLines: LOG_TAIL_LINES, previous: previous || undefined },
    });
    const lines = response.text.split("\n").filter((l) => l.trim() !== "");
    return lines.length ? lines.map((l) => `log ${pod}/${container}: ${l}`) : [`log ${pod}/${container}: (empty)`];
  } catch (error) {
    return [
      `(log of ${pod}/${container} could not be read: ${error instanceof Error ? error.message : String(error)})`,
    ];
  }
}

interface TerminatedStatus {
  name?: string;
  state?: { terminated?: { exitCode?: number } };
}

/** Containers of a finished pod that exited non-zero (init containers first), else its last container. */
export function failedContainers(pod: K8sObject): string[] {
  const status = (pod.status ?? {}) as {
    initContainerStatuses?: TerminatedStatus[];
    containerStatuses?: TerminatedStatus[];
  };
  const all = [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])];
  const failed = all.filter((s) => (s.state?.terminated?.exitCode ?? 0) !== 0).map((s) => s.name ?? "");
  if (failed.length) return failed.filter(Boolean);
  const last = all.at(-1)?.name;
  return last ? [last] : [];
}

/** Events plus the logs of the problem pods. */
export async function collectDiagnostics(
  client: KubeClient,
  namespace: string,
  names: readonly string[],
  problems: readonly PodProblem[],
): Promise<string[]> {
  const lines = await recentEvents(client, namespace, names);
  for (const p of problems) lines.push(...(await lastLogLines(client, namespace, p.pod, p.container, p.restarted)));
  return lines;
}
