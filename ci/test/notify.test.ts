import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { sendSlack } from "../src/notify";

let server: http.Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

async function slack(status: number): Promise<{ url: string; bodies: unknown[] }> {
  const bodies: unknown[] = [];
  server = http.createServer((req, res) => {
    let data = "";
    req.on("data", (c: Buffer) => (data += c.toString()));
    req.on("end", () => {
      bodies.push(JSON.parse(data));
      res.writeHead(status).end(status === 200 ? "ok" : "invalid_token");
    });
  });
  await new Promise<void>((r) => server?.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server?.address() as AddressInfo).port}/services/SECRET-PATH`, bodies };
}

describe("sendSlack", () => {
  it("posts the payload", async () => {
    const { url, bodies } = await slack(200);
    const result = await sendSlack(url, { text: "hi", blocks: [] });
    expect(result).toEqual({ ok: true, detail: "slack: sent (ok)" });
    expect(bodies).toEqual([{ text: "hi", blocks: [] }]);
  });
  it("reports failures without throwing and without the webhook URL", async () => {
    const { url } = await slack(403);
    const result = await sendSlack(url, { text: "hi", blocks: [] });
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(/^slack: not sent/);
    expect(result.detail).not.toContain("SECRET-PATH");
  });
});
