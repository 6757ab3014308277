/**
 * The real @slack/webhook client against a real local HTTP server standing in for Slack's
 * incoming-webhook endpoint.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createScrubber } from "../../src/report/scrub";
import { slackMessage } from "../../src/report/slack-message";
import { sendSlackMessage } from "../../src/report/slack-send";
import { STEPS } from "../release/fixtures";
import { EVERYTHING, HELD, MUST_VANISH } from "./planted-secrets";

interface Received {
  method?: string;
  url?: string;
  contentType?: string;
  body: string;
}

let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

/** A webhook endpoint answering each request with the next status (the last one repeats); 0 = never answer. */
async function webhook(...statuses: number[]): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      received.push({ method: req.method, url: req.url, contentType: req.headers["content-type"], body });
      const status = statuses[Math.min(received.length - 1, statuses.length - 1)] ?? 200;
      if (status === 0) return; // hang: the client's timeout must end it
      res
        .writeHead(status, { "content-type": "text/plain" })
        .end(status === 200 ? "ok" : status === 403 ? "invalid_token" : "server_error");
    });
  });
  await new Promise<void>((r) => server?.listen(0, "127.0.0.1", r));
  const port = (server?.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/services/T0SECRET/B0SECRET/webhook-secret-path`, received };
}

/** A loopback port nothing listens on any more. */
async function closedPort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

const message = slackMessage({ branch: "dev", commit: "1a2b3c4d5e", steps: STEPS, digests: [] }, createScrubber([]));
const fast = { timeoutMs: 2_000, retry: { retries: 2, minTimeout: 10, maxTimeout: 20 } };

describe("sendSlackMessage", () => {
  it("posts the Block Kit message as JSON to the webhook", async () => {
    const { url, received } = await webhook(200);
    expect(await sendSlackMessage(url, message, createScrubber([url]), fast)).toEqual({
      ok: true,
      detail: "slack: sent",
    });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      method: "POST",
      url: "/services/T0SECRET/B0SECRET/webhook-secret-path",
      contentType: "application/json",
    });
    expect(JSON.parse(received[0]?.body ?? "")).toEqual(message);
  });

  it("delivers a message built from planted secrets without any of them", async () => {
    const { url, received } = await webhook(200);
    const scrub = createScrubber([...Object.values(HELD), url]);
    const planted = slackMessage(
      {
        branch: EVERYTHING,
        author: EVERYTHING,
        steps: [{ name: "deploy", status: "failed", durationMs: 3, detail: `${EVERYTHING} ${url}` }],
        digests: [EVERYTHING],
        failure: { step: "deploy", output: EVERYTHING },
      },
      scrub,
    );
    expect((await sendSlackMessage(url, planted, scrub, fast)).ok).toBe(true);
    const body = received[0]?.body ?? "";
    for (const secret of [...MUST_VANISH, url, "webhook-secret-path"]) expect(body).not.toContain(secret);
  });

  it("retries a 5xx answer and then delivers", async () => {
    const { url, received } = await webhook(503, 200);
    expect(await sendSlackMessage(url, message, createScrubber([url]), fast)).toEqual({
      ok: true,
      detail: "slack: sent",
    });
    expect(received).toHaveLength(2);
  });

  it("retries a 5xx answer by default too", async () => {
    const { url, received } = await webhook(502, 200);
    expect(await sendSlackMessage(url, message, createScrubber([url]))).toEqual({ ok: true, detail: "slack: sent" });
    expect(received).toHaveLength(2);
  });

  it("reports a revoked webhook (403) without retrying, throwing or printing the URL", async () => {
    const { url, received } = await webhook(403);
    const result = await sendSlackMessage(url, message, createScrubber([url]), fast);
    expect(result).toEqual({ ok: false, detail: "slack: not sent (slack_webhook_http_error: HTTP 403)" });
    expect(received).toHaveLength(1);
  });

  it("reports a server that keeps failing after the retries", async () => {
    const { url, received } = await webhook(500);
    expect(await sendSlackMessage(url, message, createScrubber([url]), fast)).toEqual({
      ok: false,
      detail: "slack: not sent (slack_webhook_http_error: HTTP 500)",
    });
    expect(received).toHaveLength(3);
  });

  it("reports an unreachable or hanging webhook without throwing", async () => {
    const { url } = await webhook(0);
    const hung = await sendSlackMessage(url, message, createScrubber([url]), { timeoutMs: 200, retry: { retries: 0 } });
    expect(hung.ok).toBe(false);
    expect(hung.detail).toMatch(/^slack: not sent \(slack_webhook_request_error: /);
    expect(hung.detail).not.toContain("webhook-secret-path");

    const closed = `http://127.0.0.1:${await closedPort()}/services/T0SECRET/B0SECRET/closed-port-secret`;
    const refused = await sendSlackMessage(closed, message, createScrubber([closed]), { retry: { retries: 0 } });
    expect(refused).toEqual({
      ok: false,
      detail: expect.stringMatching(/^slack: not sent \(slack_webhook_request_error: .*ECONNREFUSED/),
    });
    expect(refused.detail).not.toContain("closed-port-secret");
  });

  it("scrubs the webhook URL out of errors that quote it", async () => {
    // fetch refuses URLs with credentials and quotes the whole URL in its error.
    const quoted = "https://user:pw-secret-1@hooks.example.com/services/quoted-secret-path";
    const result = await sendSlackMessage(quoted, message, createScrubber([quoted]), { retry: { retries: 0 } });
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(
      /^slack: not sent \(slack_webhook_request_error: Request cannot be constructed from a URL that includes credentials: \*\*\*\)$/,
    );
  });

  it("never echoes a malformed webhook URL, which is still a secret", async () => {
    const bad = "hooks.slack.com/services/no-scheme-secret-value";
    const result = await sendSlackMessage(bad, message, createScrubber([bad]), { retry: { retries: 0 } });
    expect(result.ok).toBe(false);
    expect(result.detail).not.toContain("no-scheme-secret-value");
  });
});
