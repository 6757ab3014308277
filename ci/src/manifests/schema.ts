/**
 * Validate rendered objects against the Kubernetes OpenAPI schemas, offline.
 *
 * Two sources, both generated from the upstream OpenAPI spec:
 * - `kubernetes-models` (per-kind compiled JSON-schema validators): types, enums,
 *   required fields, formats.
 * - `@kubernetes/client-node` model type maps (OpenAPI spec v1.34): unknown fields,
 *   which the OpenAPI schemas allow but `kubectl apply --validate=strict` rejects
 *   (a misspelled `readinesProbe` would otherwise pass silently).
 *
 * Both are loaded lazily, so importing this module has no side effects.
 */
import { validateCustomResource } from "./crds";
import { isRecord, objectId, type K8sObject } from "./render";

export interface SchemaError {
  /** "Kind/name" of the object. */
  object: string;
  /** JSON pointer inside the object, "" for the object itself. */
  path: string;
  message: string;
}

interface ValidatingModel {
  validate(): void;
}
type ModelClass = new (data: unknown) => ValidatingModel;

/** The module path of a kind in kubernetes-models, e.g. `kubernetes-models/apps/v1/Deployment`. */
export function modelModulePath(apiVersion: string, kind: string): string {
  return `kubernetes-models/${apiVersion}/${kind}`;
}

/** The client-node class name of a kind, e.g. apps/v1 Deployment -> V1Deployment. */
export function clientModelName(apiVersion: string, kind: string): string {
  const version = apiVersion.split("/").pop() ?? apiVersion;
  return `${version.charAt(0).toUpperCase()}${version.slice(1)}${kind}`;
}

async function loadModel(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
  try {
    const mod = (await import(modelModulePath(apiVersion, kind))) as Record<string, unknown>;
    const cls = mod[kind];
    return typeof cls === "function" ? (cls as ModelClass) : undefined;
  } catch {
    return undefined;
  }
}

function ajvErrors(error: unknown): { path: string; message: string }[] {
  if (isRecord(error) && Array.isArray(error.errors)) {
    return error.errors.map((e: unknown) => {
      const rec = isRecord(e) ? e : {};
      const params = isRecord(rec.params) ? JSON.stringify(rec.params) : "";
      return {
        path: typeof rec.instancePath === "string" ? rec.instancePath : "",
        message: `${typeof rec.message === "string" ? rec.message : "invalid"}${params ? ` ${params}` : ""}`,
      };
    });
  }
  return [{ path: "", message: error instanceof Error ? error.message : String(error) }];
}

/**
 * kustomize wraps long base64 Secret data at 70 columns; the API server's decoder skips
 * the line breaks, the schema's "byte" format does not. Validate what the server sees.
 */
export function unwrapSecretData(object: K8sObject): K8sObject {
  if (object.kind !== "Secret" || !isRecord(object.data)) return object;
  const data = Object.fromEntries(
    Object.entries(object.data).map(([k, v]) => [k, typeof v === "string" ? v.replace(/[\r\n]/g, "") : v]),
  );
  return { ...object, data };
}

/** Validate against the kubernetes-models OpenAPI schema of the object's kind. */
export async function validateOpenApi(objects: readonly K8sObject[]): Promise<SchemaError[]> {
  const errors: SchemaError[] = [];
  for (const object of objects) {
    const Model = await loadModel(object.apiVersion, object.kind);
    const custom = Model ? undefined : validateCustomResource(object);
    if (custom) {
      for (const e of custom) errors.push({ object: objectId(object), ...e });
      continue;
    }
    if (!Model) {
      errors.push({ object: objectId(object), path: "", message: `no schema for ${object.apiVersion} ${object.kind}` });
      continue;
    }
    try {
      new Model(unwrapSecretData(object)).validate();
    } catch (error) {
      for (const e of ajvErrors(error)) errors.push({ object: objectId(object), ...e });
    }
  }
  return errors;
}

interface Attribute {
  baseName: string;
  type: string;
}
type TypeMaps = Record<string, unknown>;

function attributesOf(models: TypeMaps, typeName: string): Attribute[] | undefined {
  const cls = models[typeName];
  if (typeof cls !== "function") return undefined;
  const getter = (cls as { getAttributeTypeMap?: () => unknown }).getAttributeTypeMap;
  if (typeof getter !== "function") return undefined;
  const map: unknown = getter.call(cls);
  if (!Array.isArray(map)) return undefined;
  return map.filter(
    (a: unknown): a is Attribute => isRecord(a) && typeof a.baseName === "string" && typeof a.type === "string",
  );
}

const escapePointer = (key: string): string => key.replace(/~/g, "~0").replace(/\//g, "~1");

/**
 * Fields not declared by the schema, walking nested types (arrays and maps included).
 * Pure: `models` is the client-node module namespace (or any map of model classes).
 */
export function findUnknownFields(
  models: TypeMaps,
  typeName: string,
  value: unknown,
  path = "",
): { path: string; message: string }[] {
  const array = /^Array<(.+)>$/.exec(typeName);
  if (array?.[1]) {
    const inner = array[1];
    return Array.isArray(value) ? value.flatMap((v, i) => findUnknownFields(models, inner, v, `${path}/${i}`)) : [];
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(typeName);
  if (map?.[1]) {
    const inner = map[1];
    return isRecord(value)
      ? Object.entries(value).flatMap(([k, v]) => findUnknownFields(models, inner, v, `${path}/${escapePointer(k)}`))
      : [];
  }
  const attributes = attributesOf(models, typeName);
  if (!attributes || !isRecord(value)) return [];
  const byName = new Map(attributes.map((a) => [a.baseName, a.type]));
  const out: { path: string; message: string }[] = [];
  for (const [key, child] of Object.entries(value)) {
    const childType = byName.get(key);
    const childPath = `${path}/${escapePointer(key)}`;
    if (childType === undefined) out.push({ path: childPath, message: `unknown field "${key}" (not in ${typeName})` });
    else out.push(...findUnknownFields(models, childType, child, childPath));
  }
  return out;
}

/** Report fields the Kubernetes API would reject under strict field validation. */
export async function validateKnownFields(objects: readonly K8sObject[]): Promise<SchemaError[]> {
  const models = (await import("@kubernetes/client-node")) as unknown as TypeMaps;
  const errors: SchemaError[] = [];
  for (const object of objects) {
    const typeName = clientModelName(object.apiVersion, object.kind);
    if (!attributesOf(models, typeName)) continue; // kinds it does not know are reported by validateOpenApi
    for (const e of findUnknownFields(models, typeName, object)) errors.push({ object: objectId(object), ...e });
  }
  return errors;
}

/** All schema errors of a rendered overlay: OpenAPI validation plus unknown fields. */
export async function validateSchemas(objects: readonly K8sObject[]): Promise<SchemaError[]> {
  return [...(await validateOpenApi(objects)), ...(await validateKnownFields(objects))];
}

export function formatSchemaErrors(errors: readonly SchemaError[]): string {
  return errors.map((e) => `${e.object} ${e.path || "/"}: ${e.message}`).join("\n");
}
