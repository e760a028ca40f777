// A lazy value (a pushed-down step's output) is stored as its query, so its info has no row count;
// the count is known once the query has run here (a preview page or a download), and is kept for the
// run's view. Bounded: the oldest counts are forgotten first (they are learnt again on the next read).

/** Most row counts kept. */
const KEPT = 10_000;

/** Row counts of lazy values by ref, learnt when this server ran their query. */
export class LazyRows {
  readonly #rows = new Map<string, number>();

  /** The row count of `ref`, when its query has run here. */
  get(ref: string): number | undefined {
    return this.#rows.get(ref);
  }

  /** Keeps `rows` as the count of `ref`. */
  set(ref: string, rows: number): void {
    this.#rows.delete(ref);
    this.#rows.set(ref, rows);
    if (this.#rows.size > KEPT) this.#rows.delete(this.#rows.keys().next().value as string);
  }
}
