import type { MaybePromise } from '../maybe-promise.js';
import type { CacheIndex, SyncCacheIndex } from './cache-index.js';
import type { RunStore, SyncRunStore } from './run-store.js';
import type { SyncValueStore, ValueStore } from './value-store.js';

/**
 * What a {@link RuntimeContext} keeps its data in: values, run records and the cache index. The
 * three may live in different places (values in an object store, runs in SQLite), or together in
 * a {@link MemoryStore} or a {@link FileStore}.
 * @example new RuntimeContext({ store: { values: myS3Values, runs: sqliteRuns, cache: fileStore.cache } })
 */
export interface Store {
  readonly values: ValueStore;
  readonly runs: RunStore;
  readonly cache: CacheIndex;
  /**
   * Removes what writes cut short left behind (a file store's temporary files) that was last
   * modified before `before` (epoch milliseconds); with `dryRun`, only counts it. `pruneStore` calls it.
   */
  sweep?(before: number, dryRun?: boolean): MaybePromise<SweepReport>;
}

/** What {@link Store.sweep} removed (or would remove). */
export interface SweepReport {
  files: number;
  bytes: number;
}

/** A {@link Store} whose parts all answer at once: `RuntimeContext.get` then answers the value, not a promise. */
export interface SyncStore extends Store {
  readonly values: SyncValueStore;
  readonly runs: SyncRunStore;
  readonly cache: SyncCacheIndex;
}
