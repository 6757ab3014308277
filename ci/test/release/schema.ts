/** The record's JSON Schema, compiled with ajv (draft 2020-12), for the release tests. */
import { Ajv2020 } from "ajv/dist/2020.js";
import { readFileSync } from "node:fs";

export const schema = JSON.parse(
  readFileSync(new URL("../../src/release/release-record.schema.json", import.meta.url), "utf8"),
) as Record<string, unknown>;

const ajv = new Ajv2020({ allErrors: true, strict: true });
const validate = ajv.compile(schema);

/** Schema errors of `value`, as `path message` lines; empty when valid. */
export function schemaErrors(value: unknown): string[] {
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""}`);
}
