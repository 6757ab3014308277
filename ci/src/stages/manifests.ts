/**
 * The manifests stage: both overlays rendered by kubectl's kustomize in the pinned kubectl
 * image, then checked here, in the module runtime, with the same code as test:k8s: OpenAPI
 * schemas (ci/src/manifests/schema.ts) and our policy (ci/src/manifests/policy.ts).
 */
import { dag, type Directory } from "@dagger.io/dagger";
import { kustomizeCommand } from "../commands";
import { OVERLAYS } from "../manifests/overlays";
import { formatExemptions, formatFindings, runPolicies } from "../manifests/policy";
import { parseManifests } from "../manifests/render";
import { formatSchemaErrors, validateSchemas } from "../manifests/schema";
import { SRC } from "./exec";
import { kubectl } from "./toolchains";

export type OverlayName = keyof typeof OVERLAYS;
export const OVERLAY_NAMES = Object.keys(OVERLAYS) as OverlayName[];

/** `<overlay>.yaml` for each overlay, as `kubectl kustomize` renders it. */
export function renderOverlays(source: Directory): Directory {
  const ctr = kubectl().withDirectory(`${SRC}/k8s`, source.directory("k8s")).withWorkdir(SRC);
  let out = dag.directory();
  for (const name of OVERLAY_NAMES) {
    const file = `/rendered/${name}.yaml`;
    out = out.withFile(
      `${name}.yaml`,
      ctr.withExec([...kustomizeCommand(OVERLAYS[name].dir).argv], { redirectStdout: file }).file(file),
    );
  }
  return out;
}

/**
 * Renders and checks both overlays. Returns the rendered YAML plus `report.txt`; throws
 * with every schema error and policy finding.
 */
export async function manifests(source: Directory): Promise<Directory> {
  const rendered = renderOverlays(source);
  const lines: string[] = [];
  const problems: string[] = [];
  for (const name of OVERLAY_NAMES) {
    const overlay = OVERLAYS[name];
    const objects = parseManifests(await rendered.file(`${name}.yaml`).contents());
    const schema = formatSchemaErrors(await validateSchemas(objects));
    const { findings, exemptions } = runPolicies(objects, overlay);
    lines.push(
      `${overlay.dir}: ${objects.length} objects, ${findings.length} policy findings, ${exemptions.length} exemptions`,
    );
    if (exemptions.length > 0) lines.push(formatExemptions(exemptions));
    if (schema) problems.push(`${overlay.dir} schema:\n${schema}`);
    if (findings.length > 0) problems.push(`${overlay.dir} policy:\n${formatFindings(findings)}`);
  }
  if (problems.length > 0) throw new Error(`manifests failed:\n${problems.join("\n")}`);
  return rendered.withNewFile("report.txt", `${lines.join("\n")}\n`);
}
