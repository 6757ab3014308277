/**
 * Dry run: every object is applied with dryRun=All (admission, defaulting, validation and
 * the merge run; nothing persists) and compared with the live object, field by field,
 * without managedFields and other server bookkeeping; Secret values are never shown. The
 * prune preview lists what a real deploy would delete. No lock, no record, no parent write.
 */
import { isRecord, objectId, type K8sObject } from "../manifests/render";
import type { Applier } from "./apply";
import type { KubeClient } from "./kube-client";
import { describeCandidate, findPrunable } from "./prune";
import type { Resources } from "./resources";

export interface FieldChange {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

const BOOKKEEPING = ["managedFields", "resourceVersion", "uid", "generation", "creationTimestamp", "selfLink"];
const MAX_VALUE = 160;

/** The object without status and server bookkeeping, as compared by the dry run. */
export function comparable(object: K8sObject): Record<string, unknown> {
  const { status: _status, ...rest } = object;
  const metadata = Object.fromEntries(Object.entries(object.metadata).filter(([key]) => !BOOKKEEPING.includes(key)));
  return { ...rest, metadata };
}

const segment = (path: string, key: string): string =>
  /^[A-Za-z_$][\w$-]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;

/** Leaf-level differences between two JSON values, with both values. */
export function fieldChanges(before: unknown, after: unknown, path = ""): FieldChange[] {
  if (Array.isArray(before) && Array.isArray(after)) {
    const out: FieldChange[] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i++)
      out.push(...fieldChanges(before[i], after[i], `${path}[${i}]`));
    return out;
  }
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => fieldChanges(before[key], after[key], segment(path, key)));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, before, after }];
}

function show(value: unknown): string {
  if (value === undefined) return "(none)";
  const text = JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

/** "path: before → after"; Secret data and stringData values are hidden. */
export function formatChange(object: K8sObject, change: FieldChange): string {
  const secret = object.kind === "Secret" && /^(data|stringData)\b/.test(change.path);
  return secret ? `${change.path}: (value hidden)` : `${change.path}: ${show(change.before)} → ${show(change.after)}`;
}

export interface DryRunInput {
  readonly client: KubeClient;
  readonly resources: Resources;
  readonly applier: Applier;
  readonly namespace: string;
  readonly objects: readonly K8sObject[];
  /** Group-kinds of the ApplySet: the parent's plus the release's. */
  readonly groupKinds: readonly string[];
}

/** The readable report: create / change (with fields) / unchanged counts / prune. */
export async function dryRunReport(input: DryRunInput): Promise<string[]> {
  const lines: string[] = [];
  let unchanged = 0;
  for (const object of input.objects) {
    const live = await input.resources.read(object);
    const result = await input.applier.apply(object, { dryRun: true });
    if (!live) {
      lines.push(`create ${objectId(object)}`);
      continue;
    }
    const changes = fieldChanges(comparable(live), comparable(result));
    if (changes.length === 0) {
      unchanged++;
      continue;
    }
    lines.push(`change ${objectId(object)}`, ...changes.map((c) => `    ${formatChange(object, c)}`));
  }
  const prunable = await findPrunable(input.client, input.resources, input.namespace, input.groupKinds, input.objects);
  lines.push(...prunable.map((c) => `prune ${describeCandidate(c)}`));
  lines.push(
    `dry run: ${input.objects.length - unchanged} to create or change, ${unchanged} unchanged, ${prunable.length} to prune; nothing was changed`,
  );
  return lines;
}
