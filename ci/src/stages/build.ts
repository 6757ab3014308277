/**
 * The build stage: the two images from the Dockerfiles at the repository root, with the
 * OCI labels a published image must carry (title, revision, version, source, created).
 */
import type { BuildArg, Container, Directory } from "@dagger.io/dagger";

/** What an image is labelled with; each one is optional outside of `publish`. */
export interface ImageLabels {
  /** Full commit SHA: org.opencontainers.image.revision (build arg VCS_REF). */
  readonly sha?: string;
  /** org.opencontainers.image.version (build arg VERSION). */
  readonly version?: string;
  /** Repository URL: org.opencontainers.image.source (build arg SOURCE_URL). */
  readonly sourceUrl?: string;
  /** RFC 3339 timestamp: org.opencontainers.image.created (build arg BUILD_DATE). */
  readonly buildDate?: string;
}

export const IMAGES = {
  backend: { dockerfile: "backend.Dockerfile", title: "prestamos-backend" },
  frontend: { dockerfile: "frontend.Dockerfile", title: "prestamos-frontend" },
} as const;

export type AppImage = keyof typeof IMAGES;

/** Build argument and label of each value (the Dockerfiles declare the same ARGs). */
const LABELS: ReadonlyArray<readonly [keyof ImageLabels, string, string]> = [
  ["sha", "VCS_REF", "org.opencontainers.image.revision"],
  ["version", "VERSION", "org.opencontainers.image.version"],
  ["sourceUrl", "SOURCE_URL", "org.opencontainers.image.source"],
  ["buildDate", "BUILD_DATE", "org.opencontainers.image.created"],
];

/** Builds one image; labels are validated by the caller. */
export function buildImage(source: Directory, image: AppImage, labels: ImageLabels): Container {
  const buildArgs: BuildArg[] = [];
  for (const [key, arg] of LABELS) {
    const value = labels[key];
    if (value) buildArgs.push({ name: arg, value });
  }
  let ctr = source
    .dockerBuild({ dockerfile: IMAGES[image].dockerfile, buildArgs })
    .withLabel("org.opencontainers.image.title", IMAGES[image].title);
  for (const [key, , label] of LABELS) {
    const value = labels[key];
    if (value) ctr = ctr.withLabel(label, value);
  }
  return ctr;
}
