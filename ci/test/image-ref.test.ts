import { describe, expect, it } from "vitest";
import { parseImageReference } from "../src/image-ref";

const DIGEST = `sha256:${"0".repeat(64)}`;

describe("parseImageReference", () => {
  it.each([
    ["prestamos-backend:dev", { name: "prestamos-backend", tag: "dev" }],
    ["python:3.13-slim-bookworm", { name: "python", tag: "3.13-slim-bookworm" }],
    ["library/python", { name: "library/python" }],
    ["ghcr.io/org/app:abc1234", { name: "ghcr.io/org/app", domain: "ghcr.io", tag: "abc1234" }],
    [`localhost:5000/a/b@${DIGEST}`, { name: "localhost:5000/a/b", domain: "localhost:5000", digest: DIGEST }],
    [`ghcr.io/o/app:1a2b3c4@${DIGEST}`, { name: "ghcr.io/o/app", domain: "ghcr.io", tag: "1a2b3c4", digest: DIGEST }],
    [
      "123456789012.dkr.ecr.us-east-1.amazonaws.com/prestamos",
      {
        name: "123456789012.dkr.ecr.us-east-1.amazonaws.com/prestamos",
        domain: "123456789012.dkr.ecr.us-east-1.amazonaws.com",
      },
    ],
  ])("parses %s", (reference, expected) => {
    expect(parseImageReference(reference)).toEqual(expected);
  });

  it.each([
    "",
    "App:1",
    "a:b:c",
    "app@sha256:1234",
    "app:-bad",
    "https://ghcr.io/o/app",
    "ghcr.io/o/App",
    "a//b",
    `app@md5:${"0".repeat(32)}`,
  ])("rejects %s", (reference) => expect(parseImageReference(reference)).toBeUndefined());
});
