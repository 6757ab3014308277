/**
 * Summarise how two rendered overlays differ, per object (Kind/name): objects only in
 * one of them and the changed leaf paths of the others. Generated ConfigMap/Secret
 * names lose their kustomize hash suffix first (in names and in references), so a
 * content change shows up as changed data, not as two unrelated objects.
 */
import { isRecord, objectId, type K8sObject } from "./render";

export interface ObjectDiff {
  object: string;
  /** Dotted paths, arrays indexed as `[i]`, e.g. `spec.template.spec.containers[0].image`. */
  changed: string[];
}

export interface OverlayDiff {
  onlyInA: string[];
  onlyInB: string[];
  changed: ObjectDiff[];
}

const HASH_SUFFIX = /-[a-z0-9]{10}$/;

/** Replace hash-suffixed ConfigMap/Secret names by their base name, everywhere. */
export function normalizeGeneratedNames(objects: readonly K8sObject[]): K8sObject[] {
  const renames = new Map<string, string>();
  for (const o of objects) {
    if ((o.kind === "ConfigMap" || o.kind === "Secret") && HASH_SUFFIX.test(o.metadata.name)) {
      renames.set(o.metadata.name, o.metadata.name.replace(HASH_SUFFIX, ""));
    }
  }
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return renames.get(v) ?? v;
    if (Array.isArray(v)) return v.map(walk);
    if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return objects.map((o) => walk(o) as K8sObject);
}

const KEY_RE = /^[A-Za-z_$][\w$]*$/;
const join = (path: string, key: string): string =>
  KEY_RE.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;

/**
 * Leaf paths where two JSON values differ. A subtree present on one side only is
 * reported by its leaves (as if the other side were empty).
 */
export function changedPaths(a: unknown, b: unknown, path = ""): string[] {
  if (a === undefined && (Array.isArray(b) || isRecord(b))) return changedPaths(Array.isArray(b) ? [] : {}, b, path);
  if (b === undefined && (Array.isArray(a) || isRecord(a))) return changedPaths(a, Array.isArray(a) ? [] : {}, path);
  if (Array.isArray(a) && Array.isArray(b)) {
    const out: string[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) out.push(...changedPaths(a[i], b[i], `${path}[${i}]`));
    return out;
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => changedPaths(a[k], b[k], join(path, k)));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [path];
}

/**
 * Diff two rendered overlays. `ignore` drops changed paths that are expected
 * everywhere (by default `metadata.namespace`).
 */
export function diffOverlays(
  a: readonly K8sObject[],
  b: readonly K8sObject[],
  ignore: readonly RegExp[] = [/^metadata\.namespace$/],
): OverlayDiff {
  const index = (objects: readonly K8sObject[]) =>
    new Map(normalizeGeneratedNames(objects).map((o) => [objectId(o), o]));
  const ia = index(a);
  const ib = index(b);
  const changed: ObjectDiff[] = [];
  for (const [id, oa] of ia) {
    const ob = ib.get(id);
    if (!ob) continue;
    const paths = changedPaths(oa, ob).filter((p) => !ignore.some((re) => re.test(p)));
    if (paths.length) changed.push({ object: id, changed: paths });
  }
  return {
    onlyInA: [...ia.keys()].filter((id) => !ib.has(id)).sort(),
    onlyInB: [...ib.keys()].filter((id) => !ia.has(id)).sort(),
    changed: changed.sort((x, y) => x.object.localeCompare(y.object)),
  };
}

export function formatDiff(diff: OverlayDiff, names: [string, string] = ["a", "b"]): string {
  return [
    `only in ${names[0]}: ${diff.onlyInA.join(", ") || "-"}`,
    `only in ${names[1]}: ${diff.onlyInB.join(", ") || "-"}`,
    ...diff.changed.map((c) => `changed ${c.object}:\n${c.changed.map((p) => `  ${p}`).join("\n")}`),
  ].join("\n");
}
