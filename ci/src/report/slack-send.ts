/**
 * Posts the run's Slack message through `@slack/webhook`. No Dagger import: the caller reads
 * the webhook Secret at send time and passes the URL.
 *
 * Never throws: a Slack outage or a revoked webhook must not turn a green deploy red. The
 * outcome comes back as one line for the run summary, with the webhook URL (a secret) and
 * any other secret scrubbed out of it.
 */
import { IncomingWebhook, type RetryOptions } from "@slack/webhook";
import { createScrubber, type Scrubber } from "./scrub";
import type { SlackMessage } from "./slack-message";

export interface SendResult {
  readonly ok: boolean;
  /** `slack: sent` or `slack: not sent (<why>)`, safe to print. */
  readonly detail: string;
}

export interface SendOptions {
  /** Per attempt; default 10 s. */
  readonly timeoutMs?: number;
  /** Retries on network errors and 5xx answers (4xx, e.g. a revoked webhook, never retry); default 2. */
  readonly retry?: RetryOptions;
}

/** Sends `message` to the incoming webhook `url`. */
export async function sendSlackMessage(
  url: string,
  message: SlackMessage,
  scrub: Scrubber = (text) => text,
  options: SendOptions = {},
): Promise<SendResult> {
  const redact = (text: string) => createScrubber([url])(scrub(text));
  try {
    const webhook = new IncomingWebhook(url, {
      timeout: options.timeoutMs ?? 10_000,
      retryConfig: options.retry ?? { retries: 2, minTimeout: 500, maxTimeout: 2_000 },
    });
    await webhook.send(message);
    return { ok: true, detail: "slack: sent" };
  } catch (error) {
    const { code, statusCode, original } = error as { code?: string; statusCode?: number; original?: Error };
    const why = statusCode
      ? `HTTP ${statusCode}`
      : ((original?.cause as Error | undefined)?.message ??
        original?.message ??
        (error as Error)?.message ??
        String(error));
    return { ok: false, detail: redact(`slack: not sent (${code ? `${code}: ` : ""}${why})`) };
  }
}
