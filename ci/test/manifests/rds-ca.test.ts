/**
 * The vendored Amazon RDS global CA bundle (k8s/components/aws/rds-ca/): pinned by checksum,
 * and every certificate in it is a self-signed Amazon RDS root CA that is still valid.
 * Where the copy came from and how to refresh it: rds-ca/README.md.
 */
import { createHash, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./testing";

const DIR = path.join(REPO_ROOT, "k8s/components/aws/rds-ca");
const pem = readFileSync(path.join(DIR, "global-bundle.pem"));
const certificates = (
  pem.toString("utf8").match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []
).map((block) => new X509Certificate(block));
const commonName = (cert: X509Certificate) => /CN=(.*)/.exec(cert.subject)?.[1] ?? "";

describe("RDS global CA bundle", () => {
  it("matches the pinned SHA-256", () => {
    const [pinned, name] = readFileSync(path.join(DIR, "global-bundle.pem.sha256"), "utf8").trim().split(/\s+/);
    expect(name).toBe("global-bundle.pem");
    expect(createHash("sha256").update(pem).digest("hex")).toBe(pinned);
  });

  it("holds only self-signed Amazon RDS root CAs, none expired", () => {
    expect(certificates.length).toBeGreaterThanOrEqual(90);
    const now = Date.now();
    for (const cert of certificates) {
      const name = commonName(cert);
      expect(name).toMatch(/^Amazon RDS .+ Root CA (RSA2048|RSA4096|ECC384) G1$/);
      expect(cert.subject).toContain("O=Amazon Web Services\\, Inc.");
      expect(cert.subject, name).toBe(cert.issuer);
      expect(cert.ca, name).toBe(true);
      expect(cert.verify(cert.publicKey), name).toBe(true);
      expect(Date.parse(cert.validTo), name).toBeGreaterThan(now);
    }
  });

  it("includes the three root CAs of the placeholder region (us-east-1)", () => {
    const names = certificates.map(commonName);
    for (const algorithm of ["RSA2048", "RSA4096", "ECC384"])
      expect(names).toContain(`Amazon RDS us-east-1 Root CA ${algorithm} G1`);
  });
});
