/**
 * Why the engine sends requests itself, shown against the API double with
 * @kubernetes/client-node 1.4.0 (deploy-anchors §1, §6, §7): its generic object API
 * re-serializes bodies through its models (a field they lack never reaches the server;
 * under server-side apply that field would be deleted), its service-proxy call
 * percent-encodes ":" and "/", and Lease times need V1MicroTime.
 */
import { CoreV1Api, KubeConfig, KubernetesObjectApi, PatchStrategy, V1MicroTime } from "@kubernetes/client-node";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";

import { microTime } from "../../src/deploy/lock";
import { kubeconfigYaml, TOKEN } from "./fixtures";
import { KubeApiDouble } from "./kube-double";
import { makeTls } from "./tls";

const tls = makeTls();
let double: KubeApiDouble;
afterEach(async () => double?.stop());

async function client(): Promise<KubeConfig> {
  double = new KubeApiDouble({ tls, tokens: { [TOKEN]: "u" }, namespaces: ["ns"] });
  const server = await double.start();
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfigYaml({ server, ca: tls.caCert, token: TOKEN }));
  return kc;
}

describe("@kubernetes/client-node 1.4.0", () => {
  it("KubernetesObjectApi.patch drops a field its models do not know, even with server-side apply", async () => {
    const kc = await client();
    const deployment = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: "ns" },
      spec: {
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { labels: { app: "web" } },
          spec: { containers: [{ name: "web", image: "nginx:1.27", fieldFromANewerKubernetes: true }] },
        },
      },
    };
    await KubernetesObjectApi.makeApiClient(kc).patch(
      deployment,
      undefined,
      undefined,
      "probe",
      true,
      PatchStrategy.ServerSideApply,
    );
    const sent = double.requests.find((r) => r.method === "PATCH");
    expect(sent?.contentType).toBe("application/apply-patch+yaml");
    const body = parse(JSON.stringify(sent?.body)) as typeof deployment;
    expect(body.spec.template.spec.containers[0]).toEqual({ name: "web", image: "nginx:1.27" });
  });

  it("connectGetNamespacedServiceProxyWithPath percent-encodes the port separator and the path", async () => {
    const kc = await client();
    double.seed({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "backend", namespace: "ns" },
      spec: { ports: [{ name: "http", port: 8000 }] },
    });
    await kc
      .makeApiClient(CoreV1Api)
      .connectGetNamespacedServiceProxyWithPath({ name: "backend:http", namespace: "ns", path: "api/loans/rules/" })
      .catch(() => undefined);
    expect(double.requests.at(-1)?.path).toBe(
      "/api/v1/namespaces/ns/services/backend%3Ahttp/proxy/api%2Floans%2Frules%2F",
    );
  });

  it("V1MicroTime and the engine's microTime() format Lease times alike (six fractional digits)", () => {
    const date = new Date("2024-01-02T03:04:05.678Z");
    expect(new V1MicroTime(date.getTime()).toISOString()).toBe(microTime(date));
  });
});
