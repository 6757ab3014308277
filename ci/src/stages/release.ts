/**
 * The release stage: the record as a File, published as a one-file OCI image next to the
 * images, read back by git tree hash, and optional cosign signing by digest. Engine calls
 * only; naming and rules come from ci/src/release/.
 */
import { dag, type Container, type File, type Secret } from "@dagger.io/dagger";

import { COSIGN_IMAGE } from "../images";
import { recordRefusal, type RecordLookup } from "../release/promotion";
import { serializeRecord, type ReleaseRecord } from "../release/record";
import { RECORD_FILE, isMissingImageError, recordReference } from "../release/record-tag";
import { parseReferenceWithDigest, registryHost } from "../tags";

/** Registry prefix and its credentials, as given to publish. */
export interface RegistryAuth {
  readonly registry: string;
  readonly username: string;
  readonly password: Secret;
}

/** A cosign private key (`cosign generate-key-pair`) and its password, both Secrets. */
export interface SigningKey {
  readonly key: Secret;
  readonly password?: Secret;
}

/** `release.json` as a File, for the run's returned artifacts. */
export function recordFile(record: ReleaseRecord): File {
  return dag.file(RECORD_FILE, serializeRecord(record));
}

/** The record image: no base, one file, labelled with the commit it describes. */
export function recordImage(record: ReleaseRecord): Container {
  return dag
    .container()
    .withNewFile(`/${RECORD_FILE}`, serializeRecord(record), { permissions: 0o444 })
    .withLabel("org.opencontainers.image.title", "prestamos-release-record")
    .withLabel("org.opencontainers.image.revision", record.git.commit)
    .withLabel("org.opencontainers.image.description", `prestamos release record of git tree ${record.git.tree}`);
}

/**
 * Pushes the record to `<registry>/releases:tree-<hash>` and returns the reference with
 * its digest. Refuses (before any engine call) a record that could not be promoted: the
 * tag is the one mutable pointer and may only ever name a release that passed dev.
 */
export async function publishRecord(record: ReleaseRecord, auth: RegistryAuth): Promise<string> {
  const refusal = recordRefusal(record, record.git.tree, auth.registry);
  if (refusal) throw new Error(`refusing to publish the release record: ${refusal.reason}`);
  const reference = recordReference(auth.registry, record.git.tree);
  const published = await recordImage(record)
    .withRegistryAuth(registryHost(auth.registry), auth.username, auth.password)
    .publish(reference);
  parseReferenceWithDigest(published);
  return published;
}

/** Reads `release.json` of a tree. A missing tag is `found: false`; any other failure throws. */
export async function readRecord(auth: RegistryAuth, tree: string): Promise<RecordLookup> {
  const reference = recordReference(auth.registry, tree);
  try {
    const text = await dag
      .container()
      .withRegistryAuth(registryHost(auth.registry), auth.username, auth.password)
      .from(reference)
      .file(`/${RECORD_FILE}`)
      .contents();
    return { found: true, text };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (isMissingImageError(message)) return { found: false };
    throw new Error(`could not read the release record ${reference}: ${message.split("\n")[0]}`);
  }
}

/** Where the key is mounted in the cosign container. */
const KEY_PATH = "/run/secrets/cosign.key";

/**
 * Signs images by digest with `cosign sign --key` (signatures go to the same registry;
 * cosign also logs them in the public Rekor transparency log, its default). Registry
 * credentials reach cosign as COSIGN_REGISTRY_USERNAME / COSIGN_REGISTRY_PASSWORD, the
 * environment form of its --registry-username / --registry-password flags (cosign ≥ 2.4).
 */
export async function signImages(
  references: readonly string[],
  auth: RegistryAuth,
  signing: SigningKey,
): Promise<void> {
  const byDigest = references.map((ref) => {
    const parsed = parseReferenceWithDigest(ref);
    return `${parsed.repository}@${parsed.digest}`;
  });
  if (byDigest.length === 0) throw new Error("nothing to sign");
  // The cosign image runs as a non-root user: the key must be readable by it.
  let cosign = dag
    .container()
    .from(COSIGN_IMAGE)
    .withMountedSecret(KEY_PATH, signing.key, { mode: 0o444 })
    .withEnvVariable("COSIGN_REGISTRY_USERNAME", auth.username)
    .withSecretVariable("COSIGN_REGISTRY_PASSWORD", auth.password);
  cosign = signing.password
    ? cosign.withSecretVariable("COSIGN_PASSWORD", signing.password)
    : cosign.withEnvVariable("COSIGN_PASSWORD", "");
  await cosign.withExec(["sign", "--yes", "--key", KEY_PATH, ...new Set(byDigest)], { useEntrypoint: true }).sync();
}
