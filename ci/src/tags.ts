/**
 * Image tag scheme. Pure: no Dagger, no I/O.
 *
 * Every published image gets exactly two tags: `<short-sha>` and
 * `<sanitised-branch>-<short-sha>`. `latest` is never produced.
 */
import { parseImageReference, TAG_PATTERN } from "./image-ref";

/** Length of the abbreviated commit used in tags. */
export const SHORT_SHA_LENGTH = 7;

const SHA_PATTERN = /^[0-9a-f]{7,40}$/i;

/** True when `sha` is 7–40 hexadecimal characters. */
export function isSha(sha: string): boolean {
  return SHA_PATTERN.test(sha);
}

/** The first 7 characters of a commit SHA, lowercased. Throws on anything but hex. */
export function shortSha(sha: string): string {
  const value = sha.trim();
  if (!isSha(value)) {
    throw new Error(`invalid commit sha "${sha}": expected 7 to 40 hexadecimal characters`);
  }
  return value.slice(0, SHORT_SHA_LENGTH).toLowerCase();
}

/**
 * A branch name usable inside a tag: lowercase, runs of characters other than
 * [a-z0-9._-] become one `-`, no leading `.`/`-`, no trailing `.`/`-`, at most
 * `maxLength` characters. `feature/ABC-12_x` → `feature-abc-12_x`.
 */
export function sanitizeBranch(branch: string, maxLength = 128 - 1 - SHORT_SHA_LENGTH): string {
  let value = branch
    .trim()
    .replace(/^refs\/heads\//, "")
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[.-]+/, "");
  value = value.slice(0, maxLength).replace(/[.-]+$/, "");
  return value === "" ? "branch" : value;
}

/** The two tags of a build: `[<short-sha>, <branch>-<short-sha>]`. Never `latest`. */
export function imageTags(sha: string, branch: string): [string, string] {
  const short = shortSha(sha);
  const tags: [string, string] = [short, `${sanitizeBranch(branch)}-${short}`];
  for (const tag of tags) {
    if (!TAG_PATTERN.test(tag) || tag === "latest") throw new Error(`refusing to produce tag "${tag}"`);
  }
  return tags;
}

/** The registry host of an address: `ghcr.io/org/app` → `ghcr.io`. */
export function registryHost(address: string): string {
  const host = address.split("/")[0] ?? "";
  if (host === "") throw new Error(`registry address "${address}" has no host`);
  return host;
}

/** A fully qualified reference `<repository>:<tag>`. */
export function imageReference(repository: string, tag: string): string {
  if (!TAG_PATTERN.test(tag)) throw new Error(`invalid tag "${tag}"`);
  return `${repository}:${tag}`;
}

/** The parts of a reference such as `ghcr.io/o/app:1a2b3c4@sha256:<64 hex>`. */
export interface ParsedReference {
  readonly repository: string;
  readonly tag?: string;
  readonly digest: string;
}

/** Parses a reference that must carry a sha256 digest (what `publish` returns). */
export function parseReferenceWithDigest(reference: string): ParsedReference {
  const parsed = parseImageReference(reference);
  if (!parsed) throw new Error(`reference "${reference}" is not a valid image reference`);
  if (!parsed.digest) throw new Error(`reference "${reference}" has no sha256 digest`);
  return { repository: parsed.name, ...(parsed.tag ? { tag: parsed.tag } : {}), digest: parsed.digest };
}
