/**
 * The publish stage: both images pushed as <registry>/backend and <registry>/frontend,
 * tagged <short-sha> and <branch>-<short-sha> (never latest). Returns references with digests.
 */
import type { Container, Secret } from "@dagger.io/dagger";
import { imageReference, imageTags, parseReferenceWithDigest, registryHost } from "../tags";

export interface PublishTarget {
  readonly registry: string;
  readonly username: string;
  readonly password: Secret;
  readonly sha: string;
  readonly branch: string;
}

export async function publish(
  target: PublishTarget,
  images: { backend: Container; frontend: Container },
): Promise<string[]> {
  const tags = imageTags(target.sha, target.branch);
  const host = registryHost(target.registry);
  const refs = await Promise.all(
    Object.entries(images).flatMap(([name, image]) => {
      const authed = image.withRegistryAuth(host, target.username, target.password);
      return tags.map((tag) => authed.publish(imageReference(`${target.registry}/${name}`, tag)));
    }),
  );
  for (const ref of refs) parseReferenceWithDigest(ref);
  return refs;
}
