/**
 * Kubeconfigs as the deploy reads them: token, client certificate (minikube), EKS exec
 * plugin replaced by minted tokens, the server-host rewrite for a Dagger service binding
 * with TLS still verified by name, and every refusal.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterEach, describe, expect, it, vi } from "vitest";
import { stringify } from "yaml";

import { TOKEN_PREFIX } from "../../src/deploy/eks-token";
import { connect } from "../../src/deploy/session";
import { DeployError } from "../../src/deploy/errors";
import { eksExecTarget, loadKubeconfig } from "../../src/deploy/kubeconfig";
import { DEFAULT_TIMING } from "../../src/deploy/timing";
import { kubeconfigYaml, TOKEN } from "./fixtures";
import { KubeApiDouble } from "./kube-double";
import { makeTls } from "./tls";

vi.setConfig({ testTimeout: 30_000 });

const NS = "challenge-dev";
const tls = makeTls(["kubernetes", "localhost"], ["127.0.0.1"]);
let double: KubeApiDouble | undefined;

afterEach(async () => {
  await double?.stop();
  double = undefined;
});

async function startDouble(
  options: Partial<ConstructorParameters<typeof KubeApiDouble>[0]> = {},
): Promise<KubeApiDouble> {
  double = new KubeApiDouble({ tls, tokens: { [TOKEN]: "ci-deployer" }, namespaces: [NS], ...options });
  await double.start();
  return double;
}

const quiet = (): void => undefined;
const connectWith = (kubeconfig: string, extra: Partial<Parameters<typeof connect>[0]> = {}) =>
  connect({ kubeconfig, ...extra }, NS, { ...DEFAULT_TIMING, requestTimeoutMs: 5000 }, quiet);

function refusal(fn: () => unknown): DeployError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DeployError) return error;
    throw error;
  }
  throw new Error("expected a DeployError");
}

describe("authentication", () => {
  it("token: the bearer token reaches the API", async () => {
    const d = await startDouble();
    const session = await connectWith(kubeconfigYaml({ server: d.url(), ca: tls.caCert, token: TOKEN }));
    expect(session.kubeconfig.auth).toBe("token");
    expect(d.requests[0]).toMatchObject({ path: "/version", user: "ci-deployer", status: 200 });
  });

  it("client certificate (minikube): the API authenticates the certificate's CN", async () => {
    const d = await startDouble();
    const session = await connectWith(
      kubeconfigYaml({ server: d.url(), ca: tls.caCert, clientCert: tls.clientCert, clientKey: tls.clientKey }),
    );
    expect(session.kubeconfig.auth).toBe("client-certificate");
    expect(d.requests[0]?.user).toBe("minikube-user");
  });

  it("client certificate files are read relative to the kubeconfig; missing ones ask for --flatten", async () => {
    const d = await startDouble();
    const dir = mkdtempSync(path.join(tmpdir(), "kubeconfig-"));
    writeFileSync(path.join(dir, "client.crt"), tls.clientCert);
    writeFileSync(path.join(dir, "client.key"), tls.clientKey);
    writeFileSync(path.join(dir, "ca.crt"), tls.caCert);
    const withFiles = stringify({
      clusters: [{ name: "m", cluster: { server: d.url(), "certificate-authority": "ca.crt" } }],
      users: [{ name: "m", user: { "client-certificate": "client.crt", "client-key": "client.key" } }],
      contexts: [{ name: "minikube", context: { cluster: "m", user: "m" } }],
      "current-context": "minikube",
    });
    await expect(connectWith(withFiles, { kubeconfigDir: dir })).resolves.toBeDefined();
    expect(d.requests.at(-1)?.user).toBe("minikube-user");
    const error = refusal(() => loadKubeconfig({ text: withFiles, namespace: NS, baseDir: tmpdir() }));
    expect(error.message).toMatch(
      /certificate-authority file ca\.crt does not exist here: pass a self-contained kubeconfig, e\.g\. kubectl config view --raw --minify --flatten/,
    );
  });

  it("EKS exec plugin: no process is run; tokens are minted from AWS credentials for the plugin's cluster", async () => {
    const seen: string[] = [];
    const d = await startDouble({
      tokenCheck: (token) => {
        seen.push(token);
        if (!token.startsWith(TOKEN_PREFIX)) return undefined;
        const url = new URL(Buffer.from(token.slice(TOKEN_PREFIX.length), "base64url").toString("utf8"));
        const ok =
          url.host === "sts.eu-west-1.amazonaws.com" &&
          url.searchParams.get("X-Amz-SignedHeaders") === "host;x-k8s-aws-id";
        return ok ? "arn:aws:iam::111122223333:role/ci-deployer" : undefined;
      },
    });
    const kubeconfig = kubeconfigYaml({
      server: d.url(),
      ca: tls.caCert,
      exec: {
        command: "/nonexistent/aws",
        args: ["--region", "eu-west-1", "eks", "get-token", "--cluster-name", "prestamos", "--output", "json"],
      },
    });
    const env = {
      AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
      AWS_SECRET_ACCESS_KEY: "secret-KNOWN\n",
      AWS_SESSION_TOKEN: "session",
    };
    const session = await connectWith(kubeconfig, { env });
    expect(session.kubeconfig).toMatchObject({ auth: "eks", eksCluster: "prestamos" });
    expect(d.requests[0]?.user).toBe("arn:aws:iam::111122223333:role/ci-deployer");
    expect(seen).toHaveLength(1);

    // Missing credentials: a clear error naming the variables, never their values.
    const error = refusal(() =>
      loadKubeconfig({ text: kubeconfig, namespace: NS, env: { AWS_SECRET_ACCESS_KEY: "secret-KNOWN" } }),
    );
    expect(error.message).toMatch(/missing AWS_ACCESS_KEY_ID \(short-lived, e\.g\. from GitHub OIDC\)$/);
    expect(error.message).not.toContain("secret-KNOWN");
  });

  it("reads the EKS cluster and region from aws and aws-iam-authenticator plugins", () => {
    expect(
      eksExecTarget({ command: "aws", args: ["eks", "get-token", "--cluster-name=prod", "--region=us-east-2"] }),
    ).toEqual({ cluster: "prod", region: "us-east-2" });
    expect(
      eksExecTarget({
        command: "aws-iam-authenticator",
        args: ["token", "-i", "prod"],
        env: [{ name: "AWS_REGION", value: "sa-east-1" }],
      }),
    ).toEqual({
      cluster: "prod",
      region: "sa-east-1",
    });
    expect(eksExecTarget({ command: "gke-gcloud-auth-plugin", args: [] })).toBeUndefined();
  });

  it("401 from the API is one clear line", async () => {
    const d = await startDouble();
    await expect(connectWith(kubeconfigYaml({ server: d.url(), ca: tls.caCert, token: "wrong" }))).rejects.toThrow(
      /^401 Unauthorized: the API server at https:\/\/localhost:\d+ rejected the credentials of context test/,
    );
  });
});

describe("server rewrite for a bound host service", () => {
  it("replaces only the host (port kept) and still verifies TLS against the new name", async () => {
    const d = await startDouble();
    // As in Dagger: the kubeconfig names minikube's address, the container reaches the API by an alias.
    const kubeconfig = kubeconfigYaml({ server: `https://192.0.2.10:${d.port}`, ca: tls.caCert, token: TOKEN });
    const session = await connectWith(kubeconfig, { apiHost: "localhost" });
    expect(session.kubeconfig.server).toBe(`https://localhost:${d.port}`);
    expect(d.requests[0]?.status).toBe(200);
  });

  it("a name that is not in the certificate fails TLS verification with a clear line", async () => {
    const narrow = makeTls(["kubernetes"], []);
    double = new KubeApiDouble({ tls: narrow, tokens: { [TOKEN]: "u" }, namespaces: [NS] });
    await double.start();
    const kubeconfig = kubeconfigYaml({ server: `https://kubernetes:${double.port}`, ca: narrow.caCert, token: TOKEN });
    await expect(connectWith(kubeconfig, { apiHost: "localhost" })).rejects.toThrow(
      /^TLS verification of the Kubernetes API at https:\/\/localhost:\d+ failed: .*ERR_TLS_CERT_ALTNAME_INVALID.*the host must be a name in the API server certificate/,
    );
    expect(double.requests).toEqual([]);
  });

  it("tls-server-name lets the certificate be checked against another name (client-node 1.4.0 applies it)", async () => {
    const narrow = makeTls(["kubernetes"], []);
    double = new KubeApiDouble({ tls: narrow, tokens: { [TOKEN]: "u" }, namespaces: [NS] });
    await double.start();
    const kubeconfig = kubeconfigYaml({
      server: double.url("127.0.0.1"),
      ca: narrow.caCert,
      token: TOKEN,
      tlsServerName: "kubernetes",
    });
    await expect(connectWith(kubeconfig)).resolves.toBeDefined();
  });

  it("an unknown CA is refused", async () => {
    const d = await startDouble();
    const other = makeTls(["localhost"], [], "someone-else");
    await expect(connectWith(kubeconfigYaml({ server: d.url(), ca: other.caCert, token: TOKEN }))).rejects.toThrow(
      /^TLS verification of the Kubernetes API .* failed/,
    );
  });
});

describe("a request with its own Host header (service-proxy smoke test)", () => {
  it("keeps TLS on the API server's name: the URL's host, none for an IP, or tls-server-name", async () => {
    const d = await startDouble();
    const sniFor = async (server: string, tlsServerName?: string) => {
      const session = await connectWith(kubeconfigYaml({ server, ca: tls.caCert, token: TOKEN, tlsServerName }));
      await session.client.request("GET", "/version", { headers: { Host: "backend" } });
      const last = d.requests.at(-1);
      expect(last?.host).toBe("backend");
      return last?.sni;
    };
    expect(await sniFor(d.url("localhost"))).toBe("localhost");
    expect(await sniFor(d.url("127.0.0.1"))).toBe(false);
    expect(await sniFor(d.url("127.0.0.1"), "kubernetes")).toBe("kubernetes");
  });
});

describe("refusals", () => {
  const server = "https://localhost:6443";
  const cases: Array<[string, string, RegExp]> = [
    ["not YAML", "clusters: [", /^the kubeconfig cannot be loaded/],
    ["no contexts", stringify({ clusters: [], users: [], contexts: [] }), /^the kubeconfig has no contexts$/],
    [
      "another exec plugin",
      kubeconfigYaml({ server, exec: { command: "gke-gcloud-auth-plugin", args: [] } }),
      /runs the exec plugin "gke-gcloud-auth-plugin", which cannot run here: only EKS \(aws eks get-token\) is handled/,
    ],
    [
      "insecure-skip-tls-verify",
      kubeconfigYaml({ server, token: "t" }).replace(
        "server: https://localhost:6443",
        "server: https://localhost:6443\n      insecure-skip-tls-verify: true",
      ),
      /sets insecure-skip-tls-verify: the deploy always verifies the API server's certificate/,
    ],
    ["plain http", kubeconfigYaml({ server: "http://localhost:8080", token: "t" }), /server must be an https:\/\/ URL/],
    ["no credentials", kubeconfigYaml({ server }), /has no credentials/],
    [
      "basic auth",
      stringify({
        clusters: [{ name: "c", cluster: { server } }],
        users: [{ name: "u", user: { username: "admin", password: "pw" } }],
        contexts: [{ name: "x", context: { cluster: "c", user: "u" } }],
        "current-context": "x",
      }),
      /uses basic auth/,
    ],
    [
      "auth-provider",
      stringify({
        clusters: [{ name: "c", cluster: { server } }],
        users: [{ name: "u", user: { "auth-provider": { name: "oidc", config: {} } } }],
        contexts: [{ name: "x", context: { cluster: "c", user: "u" } }],
        "current-context": "x",
      }),
      /uses an auth-provider/,
    ],
    [
      "EKS without a region",
      kubeconfigYaml({ server, exec: { command: "aws", args: ["eks", "get-token", "--cluster-name", "c"] } }),
      /no AWS region for the EKS token/,
    ],
  ];
  it.each(cases)("%s", (_name, text, message) => {
    const error = refusal(() => loadKubeconfig({ text, namespace: NS, env: {} }));
    expect(error.kind).toBe("arguments");
    expect(error.message).toMatch(message);
  });

  it("a context that does not exist lists the available ones", () => {
    const text = kubeconfigYaml({ server, token: "t", context: "minikube" });
    expect(refusal(() => loadKubeconfig({ text, namespace: NS, context: "prod-eks" })).message).toBe(
      'context "prod-eks" is not in the kubeconfig (available: minikube)',
    );
  });

  it("a context pinned to another environment's namespace is the wrong context; other namespaces are just defaults", () => {
    const pinned = (namespace: string) => kubeconfigYaml({ server, token: "t", context: "minikube", namespace });
    const foreignNamespaces = ["challenge-prd"];
    expect(
      refusal(() => loadKubeconfig({ text: pinned("challenge-prd"), namespace: NS, foreignNamespaces })).message,
    ).toBe('wrong context: "minikube" is pinned to namespace challenge-prd, but this deploy targets challenge-dev');
    expect(loadKubeconfig({ text: pinned("default"), namespace: NS, foreignNamespaces }).context).toBe("minikube");
  });

  it("a bad --api-host is refused", () => {
    const text = kubeconfigYaml({ server, token: "t" });
    expect(refusal(() => loadKubeconfig({ text, namespace: NS, apiHost: "kube rnetes/x" })).message).toMatch(
      /--api-host "kube rnetes\/x" is not a host name/,
    );
  });
});
