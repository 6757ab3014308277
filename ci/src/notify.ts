/**
 * Sends the run summary to Slack through an incoming webhook. No Dagger imports: the
 * caller reads the webhook Secret's plaintext at send time and passes the URL here.
 */
import { IncomingWebhook } from "@slack/webhook";
import type { SlackPayload } from "./summary";

/** Outcome of a notification attempt; never throws, so it cannot hide the run's result. */
export interface NotifyResult {
  readonly ok: boolean;
  readonly detail: string;
}

/** Posts `payload` to the webhook `url`. The URL is never included in the returned detail. */
export async function sendSlack(url: string, payload: SlackPayload, timeoutMs = 10_000): Promise<NotifyResult> {
  try {
    const webhook = new IncomingWebhook(url, { timeout: timeoutMs });
    const response = await webhook.send(payload);
    return { ok: true, detail: `slack: sent (${response.text})` };
  } catch (error) {
    // @slack/webhook errors carry the original request (with the URL) in `original`;
    // report only the code/message so the webhook secret never reaches logs.
    const code = (error as { code?: string }).code;
    const message = error instanceof Error ? error.message.replace(url, "<webhook>") : "unknown error";
    return { ok: false, detail: `slack: not sent (${code ? `${code}: ` : ""}${message})` };
  }
}
