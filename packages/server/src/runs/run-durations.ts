// How long a client refused with 429 RUNS_BUSY should wait before trying again. The queue is full, so
// a start is taken once a running run ends (a queued one then begins, freeing a place): the wait is
// about the time left to the run executing longest, at the typical duration of this server's recent
// runs. Before any run has ended, or once that run is past the typical duration, there is no such
// figure, and the answer is the default.

/** Seconds answered when the wait cannot be told. */
export const DEFAULT_RETRY_SECONDS = 5;

/** Most seconds answered (an hour): a client should look again at least that often. */
const MOST_SECONDS = 3600;

/** Runs ended whose durations are kept (the newest). */
const KEPT = 20;

/** The durations of the runs that ended last, and the wait they imply for the next start. */
export class RunDurations {
  readonly #recent: number[] = [];

  /** Notes a run that ended after `ms` milliseconds. */
  add(ms: number): void {
    this.#recent.push(ms);
    if (this.#recent.length > KEPT) this.#recent.shift();
  }

  /**
   * Whole seconds until the run executing for `longestMs` is expected to end: the median of the
   * recent durations less `longestMs`, at least 1 and at most an hour; {@link DEFAULT_RETRY_SECONDS}
   * when no run has ended yet or that run is past the median.
   */
  retryAfter(longestMs: number): number {
    if (this.#recent.length === 0) return DEFAULT_RETRY_SECONDS;
    const sorted = [...this.#recent].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] as number;
    const left = median - longestMs;
    if (left <= 0) return DEFAULT_RETRY_SECONDS;
    return Math.min(MOST_SECONDS, Math.max(1, Math.ceil(left / 1000)));
  }
}
