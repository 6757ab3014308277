import { afterEach, describe, expect, it } from "vitest";

import { leaseExpired, LOCK_NAME, microTime } from "../../src/deploy/lock";
import { TOKEN } from "./fixtures";
import { KubeApiDouble } from "./kube-double";
import { makeTls } from "./tls";

describe("microTime", () => {
  it("has exactly six fractional digits", () => {
    expect(microTime(new Date("2024-01-02T03:04:05.678Z"))).toBe("2024-01-02T03:04:05.678000Z");
    expect(microTime(new Date("2024-01-02T03:04:05.000Z"))).toBe("2024-01-02T03:04:05.000000Z");
  });
});

describe("leaseExpired", () => {
  const now = Date.parse("2024-01-02T03:10:00Z");
  const spec = (renew: string, holder = "other") => ({
    holderIdentity: holder,
    leaseDurationSeconds: 60,
    renewTime: renew,
  });
  it("is free without a holder", () => expect(leaseExpired(spec("2024-01-02T03:09:59.000000Z", ""), now)).toBe(true));
  it("is held while renewed within duration + skew allowance", () => {
    expect(leaseExpired(spec("2024-01-02T03:09:00.000000Z"), now)).toBe(false);
    expect(leaseExpired(spec("2024-01-02T03:08:29.000000Z"), now)).toBe(true);
  });
  it("expires after being watched unchanged for its duration (clock-skew proof)", () => {
    const future = spec("2024-01-02T03:30:00.000000Z");
    expect(leaseExpired(future, now, now - 59_000)).toBe(false);
    expect(leaseExpired(future, now, now - 60_000)).toBe(true);
  });
});

describe("the Lease API pitfall the engine avoids", () => {
  let double: KubeApiDouble | undefined;
  afterEach(async () => double?.stop());

  it("a plain Date's ISO string is refused for MicroTime fields; microTime() is accepted", async () => {
    const tls = makeTls();
    double = new KubeApiDouble({ tls, tokens: { [TOKEN]: "u" }, namespaces: ["ns"] });
    const url = await double.start();
    const create = (renewTime: string) =>
      fetchJson(url, tls.caCert, `/apis/coordination.k8s.io/v1/namespaces/ns/leases`, {
        apiVersion: "coordination.k8s.io/v1",
        kind: "Lease",
        metadata: { name: LOCK_NAME },
        spec: { holderIdentity: "x", renewTime },
      });
    const now = new Date();
    expect((await create(now.toISOString())).status).toBe(400);
    expect((await create(microTime(now))).status).toBe(201);
  });
});

async function fetchJson(url: string, ca: string, path: string, body: object): Promise<{ status: number }> {
  const https = await import("node:https");
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${url}${path}`,
      { method: "POST", ca, headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" } },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0 }));
      },
    );
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}
