/**
 * Test-only TLS material made with the openssl CLI: a CA, a server certificate for the
 * Kubernetes API double (names chosen per test, like minikube's `kubernetes`, `localhost`,
 * 127.0.0.1) and a client certificate signed by the CA (minikube-style client auth).
 * Generated into a temporary folder per process; nothing is committed.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export interface TlsMaterial {
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      code === "ENOENT"
        ? "the deploy tests need the openssl CLI to make test certificates"
        : `openssl ${args[0]} failed: ${String(error)}`,
    );
  }
}

const cache = new Map<string, TlsMaterial>();

/** A CA plus server (with the given DNS names and IPs) and client certificates. */
export function makeTls(
  dnsNames: readonly string[] = ["kubernetes", "localhost"],
  ips: readonly string[] = ["127.0.0.1"],
  clientName = "minikube-user",
): TlsMaterial {
  const key = JSON.stringify([dnsNames, ips, clientName]);
  const cached = cache.get(key);
  if (cached) return cached;
  const dir = mkdtempSync(path.join(tmpdir(), "kube-double-tls-"));
  const san = [...dnsNames.map((d) => `DNS:${d}`), ...ips.map((ip) => `IP:${ip}`)].join(",");
  writeFileSync(path.join(dir, "server.ext"), `subjectAltName=${san}\nextendedKeyUsage=serverAuth\n`);
  writeFileSync(path.join(dir, "client.ext"), "extendedKeyUsage=clientAuth\n");
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  openssl(["req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=double-ca"], dir);
  openssl(["req", ...ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=kube-apiserver"], dir);
  openssl(
    [
      "x509",
      "-req",
      "-in",
      "server.csr",
      "-CA",
      "ca.crt",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      "server.crt",
      "-days",
      "2",
      "-extfile",
      "server.ext",
    ],
    dir,
  );
  openssl(
    ["req", ...ec, "-keyout", "client.key", "-out", "client.csr", "-subj", `/O=system:masters/CN=${clientName}`],
    dir,
  );
  openssl(
    [
      "x509",
      "-req",
      "-in",
      "client.csr",
      "-CA",
      "ca.crt",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      "client.crt",
      "-days",
      "2",
      "-extfile",
      "client.ext",
    ],
    dir,
  );
  const read = (name: string) => readFileSync(path.join(dir, name), "utf8");
  const material = {
    caCert: read("ca.crt"),
    serverCert: read("server.crt"),
    serverKey: read("server.key"),
    clientCert: read("client.crt"),
    clientKey: read("client.key"),
  };
  cache.set(key, material);
  return material;
}
