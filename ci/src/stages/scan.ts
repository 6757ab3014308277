/**
 * The scan stage (gate step `scan-images`): Trivy (the gate's pinned image, toolchains.trivy)
 * on both images' tarballs, a JSON vulnerability report and a CycloneDX SBOM per image,
 * returned as Files. Engine calls only; the verdict and SBOM summary come from ci/src/scan/.
 */
import { dag, type Container, type Directory, type File } from "@dagger.io/dagger";

import type { ImageScan } from "../release/record";
import { summarizeSbom } from "../scan/sbom";
import { sbomArgs, vulnerabilityScanArgs } from "../scan/trivy-commands";
import { describeVerdict, trivyVerdict } from "../scan/trivy-report";
import { trivy } from "./toolchains";

/** Where the image tarball and the outputs live in the Trivy container. */
const WORK = "/scan";
/** Trivy's default cache (vulnerability DB, layer analysis), kept between runs. */
const TRIVY_CACHE = "/root/.cache/trivy";

export type ImageName = "backend" | "frontend";

/** Names of one image's files in the artifacts directory. */
export function scanFileNames(image: ImageName): { report: string; sbom: string } {
  return { report: `${image}-trivy.json`, sbom: `${image}.cdx.json` };
}

export interface ImageScanFiles {
  readonly report: File;
  readonly sbom: File;
}

/**
 * Trivy's report and SBOM of one image. `day` (YYYY-MM-DD) is part of the scan's cache
 * key: the engine would otherwise replay an old verdict for an unchanged image, while the
 * vulnerability database changes daily. The SBOM depends on the image alone.
 */
export function scanImageFiles(image: ImageName, container: Container, day: string): ImageScanFiles {
  const names = scanFileNames(image);
  const tarball = `${WORK}/${image}.tar`;
  const base = trivy()
    .withMountedCache(TRIVY_CACHE, dag.cacheVolume("prestamos-trivy"))
    .withMountedFile(tarball, container.asTarball())
    .withWorkdir(WORK);
  return {
    report: base
      .withEnvVariable("SCAN_DAY", day)
      .withExec(["trivy", ...vulnerabilityScanArgs(tarball, `${WORK}/${names.report}`)])
      .file(`${WORK}/${names.report}`),
    sbom: base.withExec(["trivy", ...sbomArgs(tarball, `${WORK}/${names.sbom}`)]).file(`${WORK}/${names.sbom}`),
  };
}

export interface ScanResult {
  readonly scans: Readonly<Record<ImageName, ImageScan>>;
  /** `<image>-trivy.json` and `<image>.cdx.json` for both images. */
  readonly artifacts: Directory;
}

/** Scans both images concurrently and reads the verdicts. Throws when a report is unusable. */
export async function scanImages(images: Readonly<Record<ImageName, Container>>, day: string): Promise<ScanResult> {
  const names: ImageName[] = ["backend", "frontend"];
  const files = names.map((name) => [name, scanImageFiles(name, images[name], day)] as const);
  const scanned = await Promise.all(
    files.map(async ([name, f]) => {
      const [report, sbom] = await Promise.all([f.report.contents(), f.sbom.contents()]);
      return [name, { ...trivyVerdict(name, report), sbom: summarizeSbom(name, sbom) }] as const;
    }),
  );
  let artifacts = dag.directory();
  for (const [name, f] of files) {
    const fileNames = scanFileNames(name);
    artifacts = artifacts.withFile(fileNames.report, f.report).withFile(fileNames.sbom, f.sbom);
  }
  return { scans: Object.fromEntries(scanned) as Record<ImageName, ImageScan>, artifacts };
}

/** One verdict line per image; throws listing them when an image has a fixable HIGH/CRITICAL vulnerability. */
export function requireCleanScans(result: ScanResult): string[] {
  const images: ImageName[] = ["backend", "frontend"];
  const lines = images.map((name) => describeVerdict(name, result.scans[name]));
  if (images.some((name) => result.scans[name].verdict !== "passed"))
    throw new Error(`fixable HIGH/CRITICAL vulnerabilities\n${lines.join("\n")}`);
  return lines;
}
