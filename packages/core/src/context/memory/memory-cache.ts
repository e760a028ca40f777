import type { SyncCacheIndex } from '../cache-index.js';
import { assertCacheKey, assertRef } from '../ref.js';

/** Cache entries in this process's memory. The cache index of a {@link MemoryStore}. */
export class MemoryCacheIndex implements SyncCacheIndex {
  readonly #entries = new Map<string, string>();

  /** @throws StepwiseError `CACHE_KEY_INVALID` */
  get(key: string): string | undefined {
    assertCacheKey(key);
    return this.#entries.get(key);
  }

  /** @throws StepwiseError `CACHE_KEY_INVALID`, `REF_INVALID` */
  set(key: string, ref: string): void {
    assertCacheKey(key);
    assertRef(ref);
    this.#entries.set(key, ref);
  }

  keys(): string[] {
    return [...this.#entries.keys()].sort();
  }

  /** @throws StepwiseError `CACHE_KEY_INVALID` */
  delete(key: string): boolean {
    assertCacheKey(key);
    return this.#entries.delete(key);
  }
}
