/**
 * The run's report: a scrubber built from every secret the run holds, and the one Slack
 * message. Secret values are read here only, at report time, to find them in the text the
 * run is about to write or send (never logged, never passed to a container, never part of a
 * cache key); the webhook URL is then used to send.
 */
import type { Secret } from "@dagger.io/dagger";

import { createScrubber, type Scrubber } from "../report/scrub";
import { slackMessage, type RunReport } from "../report/slack-message";
import { sendSlackMessage } from "../report/slack-send";

/** A scrubber for the run's secrets (plus the credential shapes every scrubber removes). */
export async function scrubberFor(secrets: ReadonlyArray<Secret | undefined>): Promise<Scrubber> {
  const values = await Promise.all(secrets.map((secret) => (secret ? secret.plaintext() : Promise.resolve(undefined))));
  return createScrubber(values);
}

/** Sends the run's message; returns the summary line (`slack: sent` or why not). Never throws. */
export async function notifySlack(webhook: Secret, report: RunReport, scrub: Scrubber): Promise<string> {
  let url: string;
  try {
    url = (await webhook.plaintext()).trim();
  } catch {
    return "slack: not sent (could not read the webhook secret)";
  }
  return (await sendSlackMessage(url, slackMessage(report, scrub), scrub)).detail;
}
