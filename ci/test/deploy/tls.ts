/**
 * TLS material for the Kubernetes API double: a CA, a server certificate with minikube's
 * names by default (`kubernetes`, `localhost`, 127.0.0.1) and a client certificate signed by
 * the CA (minikube-style client auth), from the suites' one certificate helper.
 */
import { makeTestCertificates, type TlsMaterial } from "../../../tests/support/test-certificates";

export type { TlsMaterial };

/** A CA plus server (with the given DNS names and IPs) and client certificates. */
export function makeTls(
  dnsNames: readonly string[] = ["kubernetes", "localhost"],
  ips: readonly string[] = ["127.0.0.1"],
  clientName = "minikube-user",
): TlsMaterial {
  return makeTestCertificates({ dnsNames, ips, clientName });
}
