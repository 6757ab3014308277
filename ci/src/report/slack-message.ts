/**
 * The one Slack message of a run, in Block Kit. Pure: no Dagger, no I/O.
 *
 * Outcome, branch, commit, author, environment, every step with status and duration, the
 * image digests, the CI run's link when known and, when a step failed, the tail of its
 * output. The finished message goes through the scrubber as a whole, so no field can carry
 * a secret to Slack.
 */
import type { IncomingWebhookSendArguments } from "@slack/webhook";
import { allPassed, type StepResult } from "../steps";
import { formatDuration } from "../summary";
import { excerpt } from "./excerpt";
import { scrubDeep, type Scrubber } from "./scrub";

export interface RunReport {
  readonly branch?: string;
  readonly commit?: string;
  readonly author?: string;
  /** e.g. `dev (challenge-dev)` */
  readonly environment?: string;
  readonly steps: readonly StepResult[];
  /** Image references with digests (published or promoted). */
  readonly digests: readonly string[];
  readonly runUrl?: string;
  /** Extra lines, e.g. the promotion decision. */
  readonly notes?: readonly string[];
  /** Output of the first failing step, when the run kept it. */
  readonly failure?: { readonly step: string; readonly output: string };
}

export type SlackMessage = IncomingWebhookSendArguments;

/** Slack's limits: header text 150 characters, section text 3000, field text 2000. */
const HEADER_LIMIT = 150;
const SECTION_LIMIT = 3000;
const FIELD_LIMIT = 2000;

const SAFE_URL = /^https?:\/\/[^\s<>|]+$/;

const ICON: Record<StepResult["status"], string> = {
  passed: ":white_check_mark:",
  failed: ":x:",
  skipped: ":fast_forward:",
};

/** Slack mrkdwn control characters (`&`, `<`, `>`) escaped as its docs require. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function limit(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function section(text: string) {
  return { type: "section" as const, text: { type: "mrkdwn" as const, text: limit(text, SECTION_LIMIT) } };
}

/** Builds the message; `scrub` removes the run's secrets and token shapes from all of it. */
export function slackMessage(report: RunReport, scrub: Scrubber): SlackMessage {
  const passed = allPassed(report.steps);
  const short = report.commit ? report.commit.slice(0, 7) : undefined;
  const title = `${passed ? "✅" : "❌"} prestamos CI ${passed ? "passed" : "FAILED"}${report.branch ? ` on ${report.branch}` : ""}`;
  const failed = report.steps.filter((s) => s.status === "failed").map((s) => s.name);
  // The fallback `text` is read as mrkdwn (notifications): escaped, so a branch named
  // `<!channel>` pings nobody. The header is plain_text, which Slack does not parse.
  const fallback = escapeMrkdwn(
    `${title}${short ? ` (${short})` : ""}${failed.length > 0 ? `: ${failed.join(", ")} failed` : ""}`,
  );

  const field = (label: string, value: string | undefined) => ({
    type: "mrkdwn" as const,
    text: limit(`*${label}*\n${value ? escapeMrkdwn(value) : "-"}`, FIELD_LIMIT),
  });
  const steps = report.steps.map((s) => {
    const status = s.status === "skipped" ? `skipped (${s.detail ?? "not run"})` : s.status;
    const detail = s.status !== "skipped" && s.detail ? ` — ${s.detail}` : "";
    return `${ICON[s.status]} *${escapeMrkdwn(s.name)}* ${escapeMrkdwn(status)} · ${formatDuration(s.durationMs, s.status !== "skipped")}${escapeMrkdwn(detail)}`;
  });

  const blocks: NonNullable<SlackMessage["blocks"]> = [
    { type: "header", text: { type: "plain_text", text: limit(title, HEADER_LIMIT), emoji: true } },
    {
      type: "section",
      fields: [
        field("Branch", report.branch),
        field("Commit", short),
        field("Author", report.author),
        field("Environment", report.environment ?? "none"),
      ],
    },
    section(steps.join("\n") || "no steps ran"),
  ];
  if (report.digests.length > 0) blocks.push(section(report.digests.map((d) => `\`${escapeMrkdwn(d)}\``).join("\n")));
  for (const note of report.notes ?? []) blocks.push(section(escapeMrkdwn(note)));
  if (report.failure) {
    // Scrub before cutting, so a secret is never left half-visible at the cut.
    const tail = excerpt(scrub(report.failure.output)).replace(/```/g, "'''");
    blocks.push(
      section(`*${escapeMrkdwn(report.failure.step)} output (last lines)*\n\`\`\`${escapeMrkdwn(tail)}\`\`\``),
    );
  }
  if (report.runUrl) {
    // Only a plain http(s) URL becomes a link; anything else is shown as text.
    const link = SAFE_URL.test(report.runUrl) ? `<${report.runUrl}|CI run>` : `CI run: ${escapeMrkdwn(report.runUrl)}`;
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: limit(link, FIELD_LIMIT) }] });
  }
  return scrubDeep({ text: fallback, blocks }, scrub);
}
