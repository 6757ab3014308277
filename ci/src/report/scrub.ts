/**
 * Removes secrets from everything the run reports (Slack message, summary, record).
 * Pure: no Dagger, no I/O.
 *
 * Two passes: first every secret value the run holds (the caller reads them only to build
 * the scrubber) in the forms they may be printed in (as is, JSON-escaped, URL-encoded,
 * base64, and for multi-line secrets such as a kubeconfig each line and each `key: value`
 * value); then the credential shapes of ../secret-patterns.ts, for secrets the run never held
 * (a token printed by a tool, a URL with a password).
 */
import { TOKEN_PATTERNS } from "../secret-patterns";

export const REDACTED = "***";

/** Values shorter than this are not searched for: they would shred ordinary text. */
export const MIN_SECRET_LENGTH = 4;
/** Minimum length of a line or `key: value` value of a multi-line secret searched on its own. */
const MIN_PART_LENGTH = 8;

export type Scrubber = (text: string) => string;

/** Every printed form of one secret value worth searching for. */
function forms(secret: string): string[] {
  const value = secret.replace(/\r?\n$/, "");
  const out = new Set<string>([secret, value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]);
  out.add(Buffer.from(value, "utf8").toString("base64"));
  if (value.includes("\n")) {
    for (const line of value.split(/\r?\n/)) {
      const trimmed = line.trim();
      if (trimmed.length >= MIN_PART_LENGTH) out.add(trimmed);
      const assigned = /^[^:=]+[:=]\s*["']?(.*?)["']?$/.exec(trimmed)?.[1];
      if (assigned && assigned.length >= MIN_PART_LENGTH) out.add(assigned);
    }
  }
  return [...out].filter((form) => form.length >= MIN_SECRET_LENGTH);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A scrubber for the given secret values (blank and too-short values are ignored). */
export function createScrubber(secrets: ReadonlyArray<string | undefined>): Scrubber {
  const values = [...new Set(secrets.flatMap((s) => (s ? forms(s) : [])))].sort((a, b) => b.length - a.length);
  // Longest first, in one alternation, so a secret containing another is removed whole.
  const exact = values.length > 0 ? new RegExp(values.map(escapeRegExp).join("|"), "g") : undefined;
  return (text: string) => {
    let out = exact ? text.replace(exact, REDACTED) : text;
    for (const { pattern } of TOKEN_PATTERNS) {
      out = out.replace(pattern, (_match, label: unknown) =>
        typeof label === "string" ? `${label}${REDACTED}` : REDACTED,
      );
    }
    return out;
  };
}

/** Applies a scrubber to every string inside a JSON-like value (objects, arrays), keys excepted. */
export function scrubDeep<T>(value: T, scrub: Scrubber): T {
  if (typeof value === "string") return scrub(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => scrubDeep(item, scrub)) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubDeep(v, scrub)])) as T;
  }
  return value;
}
