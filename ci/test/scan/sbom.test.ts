import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { summarizeSbom } from "../../src/scan/sbom";
import { fixture } from "../fixtures";

describe("summarizeSbom", () => {
  it("keeps format, spec version, component count and the digest of the exact bytes", () => {
    const text = fixture("cyclonedx/small.cdx.json");
    expect(summarizeSbom("backend", text)).toEqual({
      format: "CycloneDX",
      specVersion: "1.6",
      components: 2,
      digest: `sha256:${createHash("sha256").update(text).digest("hex")}`,
    });
    expect(summarizeSbom("backend", `${text} `).digest).not.toBe(summarizeSbom("backend", text).digest);
  });

  it.each([
    ["not JSON", "<bom/>", /not JSON/],
    ["SPDX", '{"spdxVersion": "SPDX-2.3"}', /not CycloneDX/],
    ["no spec version", '{"bomFormat": "CycloneDX"}', /specVersion/],
    [
      "components not a list",
      '{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": {}}',
      /components is not a list/,
    ],
  ])("refuses %s", (_case, text, message) => {
    expect(() => summarizeSbom("frontend", text)).toThrow(message);
  });
});
