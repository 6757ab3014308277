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
 * kubectl for rendering the kustomize overlays: 1.32.4 embeds kustomize v5.5.0, the same
 * kubectl (and kustomize) the k8s suite renders with on the development machine.
 * The official image (registry.k8s.io/kubectl); tag not pulled from here.
 */
export const KUBECTL_IMAGE = "registry.k8s.io/kubectl:v1.32.4";

/** All pinned images, for tests and documentation. */
export const PINNED_IMAGES: readonly string[] = [PYTHON_IMAGE, NODE_IMAGE, POSTGRES_IMAGE, KUBECTL_IMAGE];
