import { describe, expect, it } from "vitest";
import { createScrubber } from "../../src/report/scrub";
import { EXCERPT_CHARS, EXCERPT_LINES, excerpt } from "../../src/report/excerpt";
import { escapeMrkdwn, slackMessage, type RunReport } from "../../src/report/slack-message";
import { publishedRefs, STEPS } from "../release/fixtures";
import { EVERYTHING, HELD, MUST_VANISH } from "./planted-secrets";

const scrub = createScrubber(Object.values(HELD));

const PASSED: RunReport = {
  branch: "dev",
  commit: "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d",
  author: "Ada Lovelace <ada@example.com>",
  environment: "dev (challenge-dev)",
  steps: STEPS,
  digests: [publishedRefs("backend")[1]!, publishedRefs("frontend")[1]!],
  runUrl: "https://github.com/acme/prestamos/actions/runs/123456789",
};

const FAILED: RunReport = {
  ...PASSED,
  steps: STEPS.map((s) =>
    s.name === "test"
      ? { ...s, status: "failed" as const, detail: "tests failed: django tests (postgres) (exit 1)" }
      : s.name === "publish" || s.name === "deploy"
        ? { name: s.name, status: "skipped" as const, durationMs: 0, detail: "gate failed" }
        : s,
  ),
  digests: [],
  failure: {
    step: "test",
    output: [
      ...Array.from({ length: 40 }, (_, i) => `ok ${i}`),
      "FAIL: test_approve (loans.tests.test_api.LoanApiTests)",
      "AssertionError: 409 != 200",
    ].join("\n"),
  },
};

type Block = {
  type: string;
  text?: { text: string };
  fields?: Array<{ text: string }>;
  elements?: Array<{ text: string }>;
};
const blocks = (report: RunReport) => (slackMessage(report, scrub).blocks ?? []) as Block[];
const allText = (report: RunReport) => JSON.stringify(slackMessage(report, scrub));

describe("slackMessage", () => {
  it("tells outcome, branch, commit, author, environment, each step with duration, digests and the run link", () => {
    const message = slackMessage(PASSED, scrub);
    expect(message.text).toBe("✅ prestamos CI passed on dev (1a2b3c4)");
    const [header, facts, steps, digests, link] = blocks(PASSED);
    expect(header).toEqual({
      type: "header",
      text: { type: "plain_text", text: "✅ prestamos CI passed on dev", emoji: true },
    });
    expect(facts?.fields?.map((f) => f.text)).toEqual([
      "*Branch*\ndev",
      "*Commit*\n1a2b3c4",
      "*Author*\nAda Lovelace &lt;ada@example.com&gt;",
      "*Environment*\ndev (challenge-dev)",
    ]);
    expect(steps?.text?.text.split("\n")).toEqual([
      ":white_check_mark: *lint* passed · 41.3s",
      ":white_check_mark: *test* passed · 1m 35s",
      ":white_check_mark: *build-backend* passed · 1m 02s",
      ":white_check_mark: *build-frontend* passed · 48.7s",
      ":white_check_mark: *scan* passed · 33.9s",
      ":white_check_mark: *publish* passed · 12.8s",
      ":white_check_mark: *deploy* passed · 1m 11s",
    ]);
    expect(digests?.text?.text).toMatch(
      /^`ghcr\.io\/acme\/prestamos\/backend:dev-1a2b3c4@sha256:[0-9a-f]{64}`\n`ghcr\.io\/acme\/prestamos\/frontend:/,
    );
    expect(link).toEqual({
      type: "context",
      elements: [{ type: "mrkdwn", text: "<https://github.com/acme/prestamos/actions/runs/123456789|CI run>" }],
    });
  });

  it("on failure names the failing step and shows the tail of its output", () => {
    const message = slackMessage(FAILED, scrub);
    expect(message.text).toBe("❌ prestamos CI FAILED on dev (1a2b3c4): test failed");
    const list = blocks(FAILED);
    const steps = list[2]?.text?.text ?? "";
    expect(steps).toContain(":x: *test* failed · 1m 35s — tests failed: django tests (postgres) (exit 1)");
    expect(steps).toContain(":fast_forward: *publish* skipped (gate failed) · -");
    const failure = list.find((b) => b.text?.text.startsWith("*test output"))?.text?.text ?? "";
    expect(failure).toMatch(/^\*test output \(last lines\)\*\n```[\s\S]*AssertionError: 409 != 200```$/);
    expect(failure).not.toContain("ok 10\n");
    expect(failure.split("\n").length).toBe(1 + EXCERPT_LINES);
  });

  it("keeps its whole shape for a failed run (the message as Slack receives it)", () => {
    expect(slackMessage(FAILED, scrub)).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "text": {
              "emoji": true,
              "text": "❌ prestamos CI FAILED on dev",
              "type": "plain_text",
            },
            "type": "header",
          },
          {
            "fields": [
              {
                "text": "*Branch*
      dev",
                "type": "mrkdwn",
              },
              {
                "text": "*Commit*
      1a2b3c4",
                "type": "mrkdwn",
              },
              {
                "text": "*Author*
      Ada Lovelace &lt;ada@example.com&gt;",
                "type": "mrkdwn",
              },
              {
                "text": "*Environment*
      dev (challenge-dev)",
                "type": "mrkdwn",
              },
            ],
            "type": "section",
          },
          {
            "text": {
              "text": ":white_check_mark: *lint* passed · 41.3s
      :x: *test* failed · 1m 35s — tests failed: django tests (postgres) (exit 1)
      :white_check_mark: *build-backend* passed · 1m 02s
      :white_check_mark: *build-frontend* passed · 48.7s
      :white_check_mark: *scan* passed · 33.9s
      :fast_forward: *publish* skipped (gate failed) · -
      :fast_forward: *deploy* skipped (gate failed) · -",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "text": {
              "text": "*test output (last lines)*
      \`\`\`ok 22
      ok 23
      ok 24
      ok 25
      ok 26
      ok 27
      ok 28
      ok 29
      ok 30
      ok 31
      ok 32
      ok 33
      ok 34
      ok 35
      ok 36
      ok 37
      ok 38
      ok 39
      FAIL: test_approve (loans.tests.test_api.LoanApiTests)
      AssertionError: 409 != 200\`\`\`",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "elements": [
              {
                "text": "<https://github.com/acme/prestamos/actions/runs/123456789|CI run>",
                "type": "mrkdwn",
              },
            ],
            "type": "context",
          },
        ],
        "text": "❌ prestamos CI FAILED on dev (1a2b3c4): test failed",
      }
    `);
  });

  it("never lets a planted secret through, whichever field carries it", () => {
    const everywhere: RunReport = {
      branch: `dev ${EVERYTHING}`,
      commit: `1a2b3c4 ${EVERYTHING}`,
      author: EVERYTHING,
      environment: EVERYTHING,
      steps: [
        { name: `lint ${EVERYTHING}`, status: "failed", durationMs: 1, detail: EVERYTHING },
        { name: "publish", status: "skipped", durationMs: 0, detail: EVERYTHING },
      ],
      digests: [EVERYTHING],
      runUrl: `https://ci.example.com/${EVERYTHING}`,
      notes: [EVERYTHING],
      failure: { step: EVERYTHING, output: `${EVERYTHING}\n${EVERYTHING}` },
    };
    const text = allText(everywhere);
    for (const secret of MUST_VANISH) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(escapeMrkdwn(secret));
      expect(text).not.toContain(JSON.stringify(secret).slice(1, -1));
    }
  });

  it("scrubs the failing output before cutting it, so no half secret is left at the cut", () => {
    const secret = HELD.registryPassword;
    // The cut (EXCERPT_CHARS from the end) falls in the middle of the secret.
    const tail = "x".repeat(EXCERPT_CHARS - 10);
    const output = `${secret}${tail}`;
    const text = allText({ ...FAILED, failure: { step: "publish", output } });
    for (let n = 6; n <= secret.length; n++) expect(text).not.toContain(secret.slice(-n));
  });

  it("escapes Slack's control characters and links only plain http(s) run URLs", () => {
    const report: RunReport = { ...PASSED, branch: "feat/<!channel>&co", runUrl: "javascript:alert(1)|x>" };
    const message = slackMessage(report, scrub);
    expect(message.text).toBe("✅ prestamos CI passed on feat/&lt;!channel&gt;&amp;co (1a2b3c4)");
    const mrkdwn = blocks(report).filter((b) => b.type !== "header");
    expect(JSON.stringify(mrkdwn)).toContain("feat/&lt;!channel&gt;&amp;co");
    expect(JSON.stringify(mrkdwn)).not.toContain("<!channel>");
    expect(blocks(report).at(-1)?.elements?.[0]?.text).toBe("CI run: javascript:alert(1)|x&gt;");
  });

  it("stays within Slack's limits (header 150, section 3000 characters)", () => {
    const huge: RunReport = {
      ...FAILED,
      branch: "b".repeat(500),
      steps: Array.from({ length: 200 }, (_, i) => ({
        name: `step-${i}-${"n".repeat(20)}`,
        status: "passed" as const,
        durationMs: 1,
      })),
    };
    const list = blocks(huge);
    expect(list[0]?.text?.text.length).toBeLessThanOrEqual(150);
    for (const b of list) if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
    for (const f of list[1]?.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(2000);
  });

  it("says so when no step ran and marks missing facts with a dash", () => {
    const list = blocks({ steps: [], digests: [] });
    expect(list[1]?.fields?.map((f) => f.text)).toEqual([
      "*Branch*\n-",
      "*Commit*\n-",
      "*Author*\n-",
      "*Environment*\nnone",
    ]);
    expect(list[2]?.text?.text).toBe("no steps ran");
  });
});

describe("excerpt", () => {
  it("keeps the last lines, at most EXCERPT_CHARS characters", () => {
    expect(excerpt("a\nb\n\n")).toBe("a\nb");
    const long = Array.from({ length: 30 }, () => "y".repeat(200)).join("\n");
    const cut = excerpt(long);
    expect(cut.length).toBe(EXCERPT_CHARS);
    expect(cut.startsWith("…")).toBe(true);
  });
});
