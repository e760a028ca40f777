import type { StepRegistry } from '../registry/step-registry.js';

/** The run and step that produced a value. */
export interface Producer {
  runId: string;
  stepId: string;
}

/** What a store keeps beside each value. */
export interface ValueMeta {
  /** Name of the value's data type. */
  type: string;
  /** When the value was put, in milliseconds since the epoch (made an ISO string by `info`). */
  createdAt: number;
  producer?: Producer;
  /** Rows, when the store already knows them (a file store records them on write). */
  rows?: number;
  /** Bytes, when the store already knows them (a file store records the file size). */
  bytes?: number;
}

/**
 * Where a {@link RuntimeContext} keeps values and run records. Synchronous, so that `ctx.get`
 * stays a plain call inside step functions.
 *
 * Every method checks its ref (or run id, or cache key) before doing anything else: a string that
 * is not a ref is a `REF_INVALID` error (`RUN_ID_INVALID` for run ids, `CACHE_KEY_INVALID` for
 * cache keys), never a key or a path.
 * A new store is a new class that passes the shared contract suite (`store.contract.ts`).
 */
export interface ContextStore {
  /** Called by the context with its registry: stores that encode values find data types there. */
  bind?(registry: StepRegistry): void;
  /** Stores `value` under `ref`, replacing any value there. The context has already checked the type. */
  write(ref: string, value: unknown, meta: ValueMeta): void;
  /** The value under `ref`; throws `RefNotFoundError` (`REF_NOT_FOUND`) when absent. */
  read(ref: string): unknown;
  /** True when `ref` holds a value. */
  has(ref: string): boolean;
  /** The metadata of `ref`, or undefined when absent. */
  meta(ref: string): ValueMeta | undefined;
  /** Removes `ref`; true when it was there. */
  delete(ref: string): boolean;
  /** Every ref held. */
  list(): string[];
  /** Keeps a snapshot of a run record (JSON), replacing an earlier one. */
  saveRun(runId: string, record: unknown): void;
  /** A copy of the run record saved last, or undefined. */
  loadRun(runId: string): unknown | undefined;
  /** The ids of every run record kept, sorted. */
  listRuns(): string[];
  /** Removes the run record of `runId` (not the values it references); true when it was there. */
  deleteRun(runId: string): boolean;
  /**
   * The ref recorded under a cache key (`strategy.cache`), or undefined. Does not check that the
   * ref still holds a value: the context does. Throws `CACHE_KEY_INVALID` for a malformed key.
   */
  readCacheEntry(key: string): string | undefined;
  /** Records `ref` under a cache key, replacing any earlier entry; a persistent store keeps it for later processes. */
  writeCacheEntry(key: string, ref: string): void;
  /** The keys of every cache entry kept, sorted. */
  listCacheEntries(): string[];
  /** Removes the cache entry under `key` (not the value it points at); true when it was there. */
  deleteCacheEntry(key: string): boolean;
}
