import { describe, expect, it } from "vitest";
import { createScrubber, REDACTED, scrubDeep } from "../../src/report/scrub";
import { TOKEN_PATTERNS } from "../../src/secret-patterns";
import { EVERYTHING, HELD, MUST_VANISH, SHAPES } from "./planted-secrets";

const scrub = createScrubber(Object.values(HELD));

describe("createScrubber", () => {
  it("removes every planted secret, held or shaped", () => {
    const out = scrub(EVERYTHING);
    for (const secret of MUST_VANISH) expect(out).not.toContain(secret);
    expect(out).toContain(REDACTED);
  });

  it.each(Object.entries(SHAPES))("removes a %s nobody passed to it", (_name, value) => {
    const out = createScrubber([])(`before ${value} after`);
    for (const secret of MUST_VANISH) expect(out).not.toContain(secret);
    expect(out).toMatch(/^before .*\*\*\*.* after$/s);
  });

  it("has one pattern per credential shape, each catching its planted example", () => {
    for (const { name, pattern } of TOKEN_PATTERNS) {
      const hits = [...Object.values(SHAPES), HELD.kubeconfig].filter((value) =>
        new RegExp(pattern.source, pattern.flags).test(value),
      );
      expect(hits, name).not.toEqual([]);
    }
  });

  it("finds held values in the forms output prints them: JSON-escaped, URL-encoded, base64, line by line", () => {
    const forms = [
      JSON.stringify({ kubeconfig: HELD.kubeconfig }),
      `https://example.com/?next=${encodeURIComponent(HELD.slackWebhook)}`,
      `auth=${Buffer.from(HELD.registryPassword).toString("base64")}`,
      "    token: kube-held-token-0c4e2d9a8b",
      "error: token kube-held-token-0c4e2d9a8b expired",
      `${HELD.registryPassword}\n`,
    ];
    for (const text of forms) {
      const out = scrub(text);
      for (const secret of MUST_VANISH) expect(out).not.toContain(secret);
      expect(out).not.toContain(Buffer.from(HELD.registryPassword).toString("base64"));
      expect(out).not.toContain(encodeURIComponent(HELD.slackWebhook));
    }
  });

  it("finds a held value with quotes and backslashes inside JSON output", () => {
    const password = 'pa"ss\\word-KNOWN-91';
    const out = createScrubber([password])(JSON.stringify({ error: `login failed for ${password}` }));
    expect(out).toBe('{"error":"login failed for ***"}');
  });

  it("strips a value read with its trailing newline (cmd:// secrets keep it) wherever it appears", () => {
    expect(createScrubber(["token-with-newline-123\n"])("x token-with-newline-123 y")).toBe("x *** y");
  });

  it("keeps labels so the reader sees what was there", () => {
    expect(scrub(SHAPES.basicAuthUrl)).toBe("postgres://prestamos:***@db.internal:5432/prestamos");
    expect(scrub(SHAPES.bearer)).toBe("Authorization: Bearer ***");
    expect(scrub(SHAPES.passwordAssignment)).toBe("DB_PASSWORD=***");
    expect(scrub(SHAPES.awsSecretKey)).toBe("aws_secret_access_key = ***");
  });

  it("removes a secret that contains another one whole", () => {
    expect(createScrubber(["abcd1234", "abcd1234efgh"])("[abcd1234efgh] [abcd1234]")).toBe("[***] [***]");
  });

  it("leaves ordinary report text alone", () => {
    const text = [
      "prestamos CI passed on dev (1a2b3c4), author Ada Lovelace <ada@example.com>",
      "ghcr.io/acme/prestamos/backend:dev-1a2b3c4@sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
      "test passed · 1m 35s; token budget exceeded; secretKeyRef: prestamos",
      "https://github.com/acme/prestamos/actions/runs/123456789",
    ].join("\n");
    expect(scrub(text)).toBe(text);
  });

  it("ignores blank, missing and too-short values rather than shredding text", () => {
    const s = createScrubber(["", undefined, "ab"]);
    expect(s("a b ab abc")).toBe("a b ab abc");
  });
});

describe("scrubDeep", () => {
  it("scrubs every string of a nested value and keeps the rest", () => {
    const value = { a: [HELD.registryPassword, 3, { b: `x ${SHAPES.githubToken}` }], c: null, d: true };
    expect(scrubDeep(value, scrub)).toEqual({ a: ["***", 3, { b: "x ***" }], c: null, d: true });
  });
});
