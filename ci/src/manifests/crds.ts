/**
 * Schema validation for the custom resources the overlays render (External Secrets'
 * ExternalSecret and SecretStore), against the CRDs' own openAPIV3Schema, vendored in
 * crds/external-secrets.json (source repository, tag and commit recorded in the file;
 * refreshed with ci/test/manifests/extract-crd-schemas.ts).
 *
 * The API server treats CRD schemas as structural: fields a schema does not declare are
 * pruned, and `kubectl apply` (strict field validation) rejects them. Here every object
 * schema with `properties` is closed (additionalProperties: false) unless it says
 * x-kubernetes-preserve-unknown-fields, so a misspelt field fails. CEL rules
 * (x-kubernetes-validations) are not evaluated offline.
 *
 * Loaded lazily: importing this module reads nothing.
 */
import { readFileSync } from "node:fs";
import { Ajv, type ValidateFunction } from "ajv";
import { isRecord, type K8sObject } from "./render";

export interface CrdSource {
  repository: string;
  tag: string;
  commit: string;
  files: string[];
}

interface CrdFile {
  source: CrdSource;
  schemas: Record<string, unknown>;
}

const FILE = new URL("./crds/external-secrets.json", import.meta.url);

let loaded: { source: CrdSource; validators: Map<string, ValidateFunction> } | undefined;

/** Close object schemas the way structural pruning does; int-or-string becomes a union. */
export function structural(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(structural);
  if (!isRecord(schema)) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    out[key] =
      key === "properties" && isRecord(value)
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, structural(v)]))
        : structural(value);
  }
  if (out["x-kubernetes-int-or-string"] === true) {
    delete out.anyOf;
    out.type = ["integer", "string"];
  }
  if (
    isRecord(out.properties) &&
    out.additionalProperties === undefined &&
    out["x-kubernetes-preserve-unknown-fields"] !== true
  ) {
    out.additionalProperties = false;
  }
  return out;
}

function load(): NonNullable<typeof loaded> {
  if (loaded) return loaded;
  const file = JSON.parse(readFileSync(FILE, "utf8")) as CrdFile;
  const ajv = new Ajv({ allErrors: true, strict: false });
  // The formats these schemas name; the API server checks only their JSON type.
  for (const format of ["int32", "int64", "date-time"]) ajv.addFormat(format, true);
  const validators = new Map<string, ValidateFunction>();
  for (const [key, schema] of Object.entries(file.schemas))
    validators.set(key, ajv.compile(structural(schema) as object));
  loaded = { source: file.source, validators };
  return loaded;
}

/** Where the vendored schemas come from (repository, tag, commit, files). */
export function crdSource(): CrdSource {
  return load().source;
}

/** Kinds with a vendored schema, as `group/version/Kind`. */
export function crdKinds(): string[] {
  return [...load().validators.keys()];
}

/**
 * Validate one object against its CRD schema. `undefined` when no CRD schema is vendored
 * for its apiVersion and kind; otherwise the errors (empty when valid).
 */
export function validateCustomResource(object: K8sObject): { path: string; message: string }[] | undefined {
  const validate = load().validators.get(`${object.apiVersion}/${object.kind}`);
  if (!validate) return undefined;
  if (validate(object)) return [];
  return (validate.errors ?? []).map((e) => ({
    path: e.instancePath,
    message:
      e.keyword === "additionalProperties" && isRecord(e.params)
        ? `unknown field "${String(e.params.additionalProperty)}"`
        : `${e.message ?? "invalid"}${isRecord(e.params) ? ` ${JSON.stringify(e.params)}` : ""}`,
  }));
}
