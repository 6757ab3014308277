/**
 * Trivy arguments for the image scan and the SBOM, shared by the pipeline (pinned Trivy
 * image, ci/src/stages/scan.ts) and the native container suite (offline Trivy binary,
 * tests/containers/sbom.test.ts), so both run the same command. Pure: no Dagger, no I/O.
 *
 * Both read the image from a `docker save` / OCI tarball (`--input`), so no Docker daemon
 * or registry pull is needed where Trivy runs.
 */

/**
 * Vulnerability scan to a JSON report. Exit code 0 whatever is found: the verdict is
 * decided by ci/src/scan/trivy-report.ts from the report (kept with the run's artifacts);
 * a crash or a missing vulnerability database still fails the command.
 */
export function vulnerabilityScanArgs(tarball: string, report: string): string[] {
  return [
    "image",
    "--input",
    tarball,
    "--scanners",
    "vuln",
    "--format",
    "json",
    "--output",
    report,
    "--exit-code",
    "0",
    "--no-progress",
  ];
}

/** CycloneDX SBOM of the image (packages only: `--format cyclonedx` disables scanning). */
export function sbomArgs(tarball: string, sbom: string): string[] {
  return ["image", "--input", tarball, "--format", "cyclonedx", "--output", sbom, "--no-progress"];
}
