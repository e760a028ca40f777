// A lazy value (a pushed-down step's output) is stored as its query, so the store's metadata has no row
// count when the run writes it. The count is known once the query has run in this server: when the
// runner materializes the value for a later step that needs rows, or when a preview or a download
// reads it. It is then written into the value's metadata, where a file store keeps every other
// output's count, so that it outlives the server; and kept here meanwhile (bounded), for a store
// that refuses the write.
import type { Logger, Store, ValueStore } from '@stepwise/core';
import { LazyFrame } from '@stepwise/dataframe';

/** Most row counts kept in memory. */
const KEPT = 10_000;

/** Row counts of lazy values by ref, learnt when this server ran their query, and recorded in the store. */
export class LazyRows {
  readonly #rows = new Map<string, number>();
  readonly #values: ValueStore;
  readonly #logger: Logger | undefined;

  /** Counts recorded into `values`' metadata. */
  constructor(values: ValueStore, logger?: Logger) {
    this.#values = values;
    this.#logger = logger;
  }

  /** The row count of `ref`, when its query has run here and the store has not recorded it. */
  get(ref: string): number | undefined {
    return this.#rows.get(ref);
  }

  /**
   * Keeps `rows` as the count of lazy value `ref`, and records it in the value's metadata (once: a
   * value whose metadata has a count already is left alone). Never throws: a store that cannot take
   * the write keeps the count in this server's memory only, and the logger says why.
   */
  async learn(ref: string, rows: number): Promise<void> {
    this.#rows.delete(ref);
    this.#rows.set(ref, rows);
    if (this.#rows.size > KEPT) this.#rows.delete(this.#rows.keys().next().value as string);
    try {
      const values = this.#values;
      const meta = await values.meta(ref);
      if (meta === undefined) return;
      if (meta.rows === undefined) {
        const value = await values.read(ref);
        // only a lazy value, whose bytes are its plan: the same bytes again, with the count beside them
        if (!(value instanceof LazyFrame)) return;
        await values.write(ref, value, { ...meta, rows });
      }
      this.#rows.delete(ref);
    } catch (error) {
      this.#logger?.warn({ err: error, ref }, 'could not record the row count of a lazy value');
    }
  }

  /**
   * `store` with its values watched: a lazy value read through it (by the runner, before a step that
   * needs its rows, or by a route) reports its row count here once its query has run.
   */
  watch(store: Store): Store {
    const values = forwarding(store.values, {
      read: (ref: string) => {
        const value = store.values.read(ref);
        if (isThenable(value)) return Promise.resolve(value).then((read) => this.#heard(ref, read));
        return this.#heard(ref, value);
      },
    });
    return forwarding(store, { values });
  }

  #heard(ref: string, value: unknown): unknown {
    if (value instanceof LazyFrame && value.rows === undefined) value.onRows((rows) => void this.learn(ref, rows));
    return value;
  }
}

/**
 * `target` with the members of `overrides` replaced and every other member its own (methods bound to
 * it): members a store adds later (`sync`, a `locator`) pass through unchanged.
 */
function forwarding<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get(object, key) {
      if (Object.hasOwn(overrides, key)) return overrides[key as keyof T];
      const member: unknown = Reflect.get(object, key, object);
      return typeof member === 'function' ? member.bind(object) : member;
    },
  });
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
