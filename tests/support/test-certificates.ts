/**
 * Test-only TLS material made with the openssl CLI in a temporary folder: a throwaway CA, a
 * server certificate for the names a test chooses (e.g. minikube's `kubernetes`, `localhost`,
 * 127.0.0.1) and, optionally, a client certificate signed by the same CA. Used by the
 * Kubernetes API double (ci/test/deploy) and the database TLS test (tests/platform). Nothing
 * is committed; certificates are valid for two days.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { runProgramSync } from "./run";

export interface CertificateRequest {
  /** DNS names of the server certificate. */
  readonly dnsNames?: readonly string[];
  /** IP addresses of the server certificate. */
  readonly ips?: readonly string[];
  /** Common name of a client certificate; none is made without it. */
  readonly clientName?: string;
}

/** The PEM texts and the folder holding them as ca.crt, server.crt/.key, client.crt/.key. */
export interface TlsMaterial {
  readonly dir: string;
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
}

function openssl(args: readonly string[], cwd: string): void {
  const run = runProgramSync(["openssl", ...args], { cwd });
  if (run.exitCode !== 0) {
    throw new Error(`openssl ${args[0]} failed (the tests need the openssl CLI for certificates): ${run.stderr}`);
  }
}

const EC_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

/** A key and a certificate `name`, signed by the CA in `dir`, with the given x509v3 extensions. */
function issue(dir: string, name: string, subject: string, extensions: string): void {
  writeFileSync(path.join(dir, `${name}.ext`), extensions);
  openssl(["req", ...EC_KEY, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subject], dir);
  const sign = ["x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial"];
  openssl([...sign, "-out", `${name}.crt`, "-days", "2", "-extfile", `${name}.ext`], dir);
}

const cache = new Map<string, TlsMaterial>();

/** A CA, a server certificate for `dnsNames` and `ips`, and a client certificate when asked. */
export function makeTestCertificates(request: CertificateRequest = {}): TlsMaterial {
  const { dnsNames = [], ips = [], clientName } = request;
  const key = JSON.stringify([dnsNames, ips, clientName]);
  const cached = cache.get(key);
  if (cached) return cached;

  const dir = mkdtempSync(path.join(tmpdir(), "test-certificates-"));
  openssl(
    ["req", "-x509", ...EC_KEY, "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=test-ca"],
    dir,
  );
  const san = [...dnsNames.map((d) => `DNS:${d}`), ...ips.map((ip) => `IP:${ip}`)].join(",");
  issue(
    dir,
    "server",
    `/CN=${dnsNames[0] ?? ips[0] ?? "server"}`,
    `subjectAltName=${san}\nextendedKeyUsage=serverAuth\n`,
  );
  if (clientName) issue(dir, "client", `/O=system:masters/CN=${clientName}`, "extendedKeyUsage=clientAuth\n");

  const read = (name: string) =>
    clientName || !name.startsWith("client") ? readFileSync(path.join(dir, name), "utf8") : "";
  const material: TlsMaterial = {
    dir,
    caCert: read("ca.crt"),
    serverCert: read("server.crt"),
    serverKey: read("server.key"),
    clientCert: read("client.crt"),
    clientKey: read("client.key"),
  };
  cache.set(key, material);
  return material;
}
