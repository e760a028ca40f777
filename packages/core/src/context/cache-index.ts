import type { MaybePromise } from '../maybe-promise.js';

/**
 * The cache index of `strategy.cache`: cache key → the ref of the output computed under it. It
 * does not check that the ref still holds a value (the runner does), and removing an entry leaves
 * the value alone. Every method checks its key first (`CACHE_KEY_INVALID`) and, for `set`, its
 * ref (`REF_INVALID`). A new index passes `describeStoreContract` from `@stepwise/core/testing`.
 */
export interface CacheIndex {
  /** The ref recorded under `key`, or undefined. */
  get(key: string): MaybePromise<string | undefined>;
  /** Records `ref` under `key`, replacing any earlier entry; a persistent index keeps it for later processes. */
  set(key: string, ref: string): MaybePromise<void>;
  /** Every key held, sorted. */
  keys(): MaybePromise<string[]>;
  /** Removes the entry under `key`; true when it was there. */
  delete(key: string): MaybePromise<boolean>;
}

/** A {@link CacheIndex} that always answers at once (memory, files). */
export interface SyncCacheIndex extends CacheIndex {
  get(key: string): string | undefined;
  set(key: string, ref: string): void;
  keys(): string[];
  delete(key: string): boolean;
}
