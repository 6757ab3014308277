/**
 * Progress lines, one per phase, with durations: "▶ apply" when a phase starts and
 * "✔ apply (1.4s)" or "✖ apply (1.4s)" when it ends. Never given secrets to print.
 */

export type Log = (line: string) => void;

/** Elapsed seconds with one decimal, e.g. "1.4s". */
function formatDuration(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

export class Progress {
  private readonly started = Date.now();

  constructor(private readonly log: Log) {}

  /** Runs `fn` as a named phase, printing its start, end and duration. */
  async phase<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const t0 = Date.now();
    this.log(`▶ ${name}`);
    try {
      const out = await fn();
      this.end(name, t0, true);
      return out;
    } catch (error) {
      this.end(name, t0, false);
      throw error;
    }
  }

  /** Total time since this progress was created. */
  totalMs(): number {
    return Date.now() - this.started;
  }

  private end(name: string, t0: number, ok: boolean): void {
    this.log(`${ok ? "✔" : "✖"} ${name} (${formatDuration(Date.now() - t0)})`);
  }
}
