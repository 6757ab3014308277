/**
 * Maintainer tool: extract the CRD schemas the manifests use from an External Secrets
 * Operator checkout into ci/src/manifests/crds/external-secrets.json (read by crds.ts).
 *
 *   git clone --branch v2.9.0 https://github.com/external-secrets/external-secrets /tmp/eso
 *   npx tsx ci/test/manifests/extract-crd-schemas.ts /tmp/eso v2.9.0
 *
 * Keeps the served `v1` openAPIV3Schema of ExternalSecret and SecretStore. SecretStore's
 * `spec.provider` keeps only `aws` (the provider this project uses), so the file stays small
 * and another provider in our manifests is reported as an unknown field.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const KINDS = [
  { file: "config/crds/bases/external-secrets.io_externalsecrets.yaml", kind: "ExternalSecret" },
  { file: "config/crds/bases/external-secrets.io_secretstores.yaml", kind: "SecretStore" },
];
const OUT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../src/manifests/crds/external-secrets.json",
);

type Json = Record<string, unknown>;

function main(): void {
  const [checkout, tag] = process.argv.slice(2);
  if (!checkout || !tag) {
    console.error("usage: extract-crd-schemas.ts <external-secrets checkout> <tag, e.g. v2.9.0>");
    process.exit(2);
  }
  const commit = execFileSync("git", ["-C", checkout, "rev-list", "-n", "1", tag], { encoding: "utf8" }).trim();
  const schemas: Record<string, unknown> = {};
  for (const { file, kind } of KINDS) {
    const text = execFileSync("git", ["-C", checkout, "show", `${commit}:${file}`], { encoding: "utf8" });
    const crd = parse(text) as {
      spec: { group: string; versions: { name: string; served: boolean; schema: { openAPIV3Schema: Json } }[] };
    };
    const v1 = crd.spec.versions.find((v) => v.name === "v1" && v.served);
    if (!v1) throw new Error(`${file}: no served v1 version`);
    const schema = v1.schema.openAPIV3Schema;
    if (kind === "SecretStore") {
      const provider = ((schema.properties as Json).spec as Json & { properties: Json }).properties.provider as Json & {
        properties: Json;
      };
      provider.properties = { aws: provider.properties.aws };
    }
    schemas[`${crd.spec.group}/${v1.name}/${kind}`] = schema;
  }
  const source = {
    repository: "https://github.com/external-secrets/external-secrets",
    tag,
    commit,
    files: KINDS.map((k) => k.file),
    note: "served v1 openAPIV3Schema; SecretStore spec.provider reduced to aws",
  };
  writeFileSync(OUT, `${JSON.stringify({ source, schemas }, null, 1)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), OUT)} (${Object.keys(schemas).join(", ")}) from ${tag} ${commit}`);
}

main();
