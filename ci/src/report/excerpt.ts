/**
 * The tail of a step's output, as the run's reports show it (summary and Slack). Pure.
 */

/** At most this many lines… */
export const EXCERPT_LINES = 20;
/** …and this many characters, counted from the end. */
export const EXCERPT_CHARS = 1200;

/** The last EXCERPT_LINES lines of `output`, cut to EXCERPT_CHARS from the end. */
export function excerpt(output: string): string {
  const tail = output.replace(/\s+$/, "").split("\n").slice(-EXCERPT_LINES).join("\n");
  return tail.length <= EXCERPT_CHARS ? tail : `…${tail.slice(-(EXCERPT_CHARS - 1))}`;
}
