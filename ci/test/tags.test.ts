import { describe, expect, it } from "vitest";
import {
  imageReference,
  imageTags,
  parseReferenceWithDigest,
  registryHost,
  sanitizeBranch,
  shortSha,
} from "../src/tags";

const SHA = "ABCDEF1234567890abcdef1234567890abcdef12";
const DIGEST = `sha256:${"a".repeat(64)}`;

describe("shortSha", () => {
  it("takes 7 lowercase characters", () => expect(shortSha(SHA)).toBe("abcdef1"));
  it("rejects non-hex and short values", () => {
    expect(() => shortSha("xyz1234")).toThrow(/invalid commit sha/);
    expect(() => shortSha("abc12")).toThrow(/invalid commit sha/);
  });
});

describe("sanitizeBranch", () => {
  it.each([
    ["feature/ABC-12_x", "feature-abc-12_x"],
    ["refs/heads/main", "main"],
    ["--weird..//name--", "weird..-name"],
    ["renovate/@types/node 20", "renovate-types-node-20"],
    ["///", "branch"],
  ])("%s → %s", (input, out) => expect(sanitizeBranch(input)).toBe(out));
  it("keeps the whole tag within 128 characters", () => {
    const [, tag] = imageTags(SHA, "x".repeat(300));
    expect(tag.length).toBeLessThanOrEqual(128);
    expect(tag.endsWith("-abcdef1")).toBe(true);
  });
});

describe("imageTags", () => {
  it("gives <short-sha> and <branch>-<short-sha>, never latest", () => {
    // The deploying branches are where a `latest` would creep in: pin them literally.
    expect(imageTags(SHA, "main")).toEqual(["abcdef1", "main-abcdef1"]);
    expect(imageTags(SHA, "refs/heads/main")).toEqual(["abcdef1", "main-abcdef1"]);
    expect(imageTags(SHA, "dev")).toEqual(["abcdef1", "dev-abcdef1"]);
    expect(imageTags(SHA, "latest")).toEqual(["abcdef1", "latest-abcdef1"]);
  });
});

describe("references", () => {
  it("finds the registry host", () => {
    expect(registryHost("ghcr.io/org/app")).toBe("ghcr.io");
    expect(registryHost("123456789012.dkr.ecr.us-east-1.amazonaws.com/prestamos")).toBe(
      "123456789012.dkr.ecr.us-east-1.amazonaws.com",
    );
    expect(registryHost("localhost:5000/app")).toBe("localhost:5000");
  });
  it("builds references and refuses bad tags", () => {
    expect(imageReference("ghcr.io/o/app", "abc1234")).toBe("ghcr.io/o/app:abc1234");
    expect(() => imageReference("ghcr.io/o/app", "-bad")).toThrow(/invalid tag/);
  });
  it("parses references with digests", () => {
    expect(parseReferenceWithDigest(`ghcr.io/o/app:abc1234@${DIGEST}`)).toEqual({
      repository: "ghcr.io/o/app",
      tag: "abc1234",
      digest: DIGEST,
    });
    expect(parseReferenceWithDigest(`localhost:5000/app@${DIGEST}`)).toEqual({
      repository: "localhost:5000/app",
      digest: DIGEST,
    });
    expect(() => parseReferenceWithDigest("ghcr.io/o/app:abc")).toThrow(/has no sha256 digest/);
    expect(() => parseReferenceWithDigest("ghcr.io/o/app:abc@sha256:123")).toThrow(/not a valid image reference/);
  });
});
