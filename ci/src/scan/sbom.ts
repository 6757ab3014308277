/**
 * What the release record keeps of an image's CycloneDX SBOM: format, spec version,
 * component count and the digest of the exact file returned with the run's artifacts.
 * Pure: no Dagger, no I/O.
 */
import { contentDigest } from "../digest";

export interface SbomSummary {
  readonly format: "CycloneDX";
  readonly specVersion: string;
  readonly components: number;
  /** sha256 of the SBOM file's bytes as produced (Trivy stamps a serial number and time). */
  readonly digest: string;
}

/** Checks that `json` is a CycloneDX JSON document and summarises it. Throws otherwise. */
export function summarizeSbom(image: string, json: string): SbomSummary {
  let bom: unknown;
  try {
    bom = JSON.parse(json);
  } catch {
    throw new Error(`SBOM of the ${image} image is not JSON`);
  }
  const { bomFormat, specVersion, components } = (bom ?? {}) as {
    bomFormat?: unknown;
    specVersion?: unknown;
    components?: unknown;
  };
  if (bomFormat !== "CycloneDX")
    throw new Error(`SBOM of the ${image} image is not CycloneDX (bomFormat ${JSON.stringify(bomFormat)})`);
  if (typeof specVersion !== "string" || !/^1\.\d+$/.test(specVersion)) {
    throw new Error(`SBOM of the ${image} image has no CycloneDX specVersion 1.x`);
  }
  if (components !== undefined && !Array.isArray(components))
    throw new Error(`SBOM of the ${image} image: components is not a list`);
  return { format: "CycloneDX", specVersion, components: components?.length ?? 0, digest: contentDigest(json) };
}
