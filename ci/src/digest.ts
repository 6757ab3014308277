/**
 * Content digests in the OCI notation (`sha256:<64 hex>`). Pure: no Dagger.
 */
import { createHash } from "node:crypto";

/** The sha256 digest of a text (UTF-8) or bytes, as `sha256:<hex>`. */
export function contentDigest(content: string | Uint8Array): string {
  return `sha256:${createHash("sha256").update(content).digest("hex")}`;
}
