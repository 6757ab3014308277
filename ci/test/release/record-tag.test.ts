import { describe, expect, it } from "vitest";
import { isMissingImageError, recordReference, recordTag } from "../../src/release/record-tag";
import { validateTreeHash } from "../../src/validate";
import { TREE } from "./fixtures";

describe("record tags", () => {
  it("names the record <registry>/releases:tree-<hash>, never latest", () => {
    expect(recordTag(TREE)).toBe(`tree-${TREE}`);
    expect(recordReference("ghcr.io/acme/prestamos", TREE)).toBe(`ghcr.io/acme/prestamos/releases:tree-${TREE}`);
    expect(recordReference("123456789012.dkr.ecr.us-east-1.amazonaws.com/prestamos", "ab".repeat(32))).toBe(
      `123456789012.dkr.ecr.us-east-1.amazonaws.com/prestamos/releases:tree-${"ab".repeat(32)}`,
    );
    expect(() => recordTag("latest")).toThrow(/not a git tree hash/);
  });

  it("keeps a 64-hex tag within the 128-character tag limit", () => {
    expect(recordTag("f".repeat(64)).length).toBeLessThanOrEqual(128);
  });

  it.each(["", "HEAD", TREE.slice(0, 39), `${TREE}0`, "g".repeat(40), "ab".repeat(31)])(
    "refuses tree hash %j",
    (tree) => {
      expect(() => validateTreeHash(tree)).toThrow(/expected the 40 \(or 64\) hexadecimal characters/);
    },
  );

  it("refuses a registry with a tag or scheme", () => {
    expect(() => recordReference("ghcr.io/acme/prestamos:latest", TREE)).toThrow(/not a registry address/);
  });
});

describe("isMissingImageError", () => {
  it.each([
    "failed to resolve source metadata for ghcr.io/acme/prestamos/releases:tree-abc: ghcr.io/acme/prestamos/releases:tree-abc: not found",
    "GET https://ghcr.io/v2/acme/prestamos/releases/manifests/tree-abc: MANIFEST_UNKNOWN: manifest unknown",
    "unexpected status from HEAD request: 404 Not Found",
    "NAME_UNKNOWN: repository name not known to registry",
  ])("reads %j as no record", (message) => {
    expect(isMissingImageError(message)).toBe(true);
  });

  it.each([
    "failed to authorize: 401 Unauthorized",
    "denied: requested access to the resource is denied (repository not found or no access)",
    "403 Forbidden",
    "dial tcp: lookup ghcr.io: no such host",
    "i/o timeout",
    "something else entirely",
  ])("does not read %j as no record", (message) => {
    expect(isMissingImageError(message)).toBe(false);
  });
});
