/**
 * Where a release record lives in the registry and how a lookup's failure is read.
 * Pure: no Dagger, no I/O.
 *
 * The record of a git tree is a one-file OCI image `<registry>/releases:tree-<tree hash>`
 * next to `<registry>/backend` and `<registry>/frontend`: no second store. It is the only
 * tag the pipeline ever moves (a re-run of the same tree on dev overwrites it) and it is
 * written only after dev's deploy and smoke test passed. Image tags stay immutable.
 */
import { validateRegistry, validateTreeHash } from "../validate";

/** Repository, under the registry prefix, that holds the records. */
export const RELEASES_REPOSITORY = "releases";

/** Prefix of a record's tag; the rest is the tree hash. */
export const RECORD_TAG_PREFIX = "tree-";

/** Path of the record inside its image. */
export const RECORD_FILE = "release.json";

/** `tree-<hash>`. */
export function recordTag(tree: string): string {
  return `${RECORD_TAG_PREFIX}${validateTreeHash(tree)}`;
}

/** `<registry>/releases:tree-<hash>`, e.g. `ghcr.io/acme/prestamos/releases:tree-4b825dc…`. */
export function recordReference(registry: string, tree: string): string {
  return `${validateRegistry(registry)}/${RELEASES_REPOSITORY}:${recordTag(tree)}`;
}

/**
 * True when an engine error from pulling the record image means "there is no such tag"
 * (registries answer 404 MANIFEST_UNKNOWN / NAME_UNKNOWN; BuildKit says "not found"),
 * as opposed to an authentication or network failure, which must not read as "no record".
 */
export function isMissingImageError(message: string): boolean {
  if (
    /\b(401|403)\b|unauthori[sz]ed|denied|forbidden|timeout|timed out|connection refused|no such host/i.test(message)
  ) {
    return false;
  }
  return /manifest unknown|name unknown|MANIFEST_UNKNOWN|NAME_UNKNOWN|not found|\b404\b/i.test(message);
}
