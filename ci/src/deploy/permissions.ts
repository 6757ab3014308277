/**
 * The exact API permissions a deploy needs in its namespace, derived from the kinds it
 * applies, and a check of a SelfSubjectRulesReview (or a Role's rules) against them.
 * k8s/deployer/ ships Roles granting exactly these; ci/test/deploy checks both ways.
 * Pure: no I/O.
 */
import { LOCK_NAME } from "./lock";

export interface Permission {
  readonly group: string;
  readonly resource: string;
  readonly verb: string;
  /** Restricts get/update/patch/delete to one object (create and list cannot be restricted). */
  readonly name?: string;
}

export interface PolicyRule {
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly verbs?: readonly string[];
  readonly resourceNames?: readonly string[];
}

export interface Resource {
  readonly group: string;
  readonly resource: string;
}

/** Verbs on each applied kind: server-side apply (create + patch), reads, prune. */
const APPLY_VERBS = ["get", "list", "create", "patch", "delete"];
/** A dry run applies with dryRun=All (same verbs as the real apply) and lists for the prune preview. */
const DRY_RUN_VERBS = ["get", "list", "create", "patch"];

const p = (group: string, resource: string, verbs: readonly string[], name?: string): Permission[] =>
  verbs.map((verb) => ({ group, resource, verb, ...(name ? { name } : {}) }));

/**
 * Permissions of a deploy (or dry run) applying `applied` and pruning among `pruned`
 * (group-kinds the ApplySet parent lists from earlier releases).
 */
export function requiredPermissions(
  applied: readonly Resource[],
  pruned: readonly Resource[],
  dryRun: boolean,
): Permission[] {
  const out: Permission[] = [
    // The namespace check creates the lock Lease with dryRun=All; the parent and records are ConfigMaps.
    ...p("coordination.k8s.io", "leases", ["create"]),
    ...p("", "configmaps", ["get", "list"]),
  ];
  for (const r of [...applied, ...pruned]) out.push(...p(r.group, r.resource, dryRun ? DRY_RUN_VERBS : APPLY_VERBS));
  if (!dryRun) {
    out.push(
      ...p("coordination.k8s.io", "leases", ["get", "update"], LOCK_NAME),
      ...p("", "configmaps", ["create", "patch", "delete"]),
      ...p("apps", "replicasets", ["list"]),
      ...p("", "pods", ["list"]),
      ...p("", "pods/log", ["get"]),
      ...p("", "events", ["list"]),
      ...p("", "services/proxy", ["get"]),
    );
  }
  const seen = new Set<string>();
  return out.filter((x) => {
    const key = describePermission(x);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const matches = (list: readonly string[] | undefined, value: string): boolean =>
  (list ?? []).some((v) => v === "*" || v === value);

/** RBAC rule matching: group, resource (with subresource), verb, and resourceNames when the rule sets them. */
export function allows(rules: readonly PolicyRule[], permission: Permission): boolean {
  return rules.some(
    (rule) =>
      matches(rule.apiGroups, permission.group) &&
      matches(rule.resources, permission.resource) &&
      matches(rule.verbs, permission.verb) &&
      (!rule.resourceNames?.length || (permission.name !== undefined && rule.resourceNames.includes(permission.name))),
  );
}

export function missingPermissions(rules: readonly PolicyRule[], required: readonly Permission[]): Permission[] {
  return required.filter((permission) => !allows(rules, permission));
}

export function describePermission(permission: Permission): string {
  const resource = permission.group ? `${permission.group}/${permission.resource}` : permission.resource;
  return `${permission.verb} ${resource}${permission.name ? ` (${permission.name})` : ""}`;
}
