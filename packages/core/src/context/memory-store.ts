import { RefNotFoundError } from '../errors/stepwise-error.js';
import type { ContextStore, ValueMeta } from './context-store.js';
import { assertCacheKey, assertRef, assertRunId, runRecordToJson } from './ref.js';

interface Entry {
  value: unknown;
  meta: ValueMeta;
}

/**
 * A store in this process's memory: values are kept by reference (never copied), so a put
 * and a get cost a map operation each. The default store of a {@link RuntimeContext}.
 * Run records are kept as JSON snapshots, like a file store would.
 * @example new RuntimeContext({ store: new MemoryStore() })
 */
export class MemoryStore implements ContextStore {
  readonly #entries = new Map<string, Entry>();
  readonly #runs = new Map<string, string>();
  readonly #cache = new Map<string, string>();

  /** @throws StepwiseError `REF_INVALID` */
  write(ref: string, value: unknown, meta: ValueMeta): void {
    assertRef(ref);
    this.#entries.set(ref, { value, meta });
  }

  /** @throws StepwiseError `REF_INVALID`, RefNotFoundError `REF_NOT_FOUND` */
  read(ref: string): unknown {
    assertRef(ref);
    const entry = this.#entries.get(ref);
    if (entry === undefined) throw new RefNotFoundError(ref);
    return entry.value;
  }

  /** @throws StepwiseError `REF_INVALID` */
  has(ref: string): boolean {
    assertRef(ref);
    return this.#entries.has(ref);
  }

  /** @throws StepwiseError `REF_INVALID` */
  meta(ref: string): ValueMeta | undefined {
    assertRef(ref);
    return this.#entries.get(ref)?.meta;
  }

  /** @throws StepwiseError `REF_INVALID` */
  delete(ref: string): boolean {
    assertRef(ref);
    return this.#entries.delete(ref);
  }

  list(): string[] {
    return [...this.#entries.keys()];
  }

  /** @throws StepwiseError `RUN_ID_INVALID`, `RUN_RECORD_INVALID` */
  saveRun(runId: string, record: unknown): void {
    assertRunId(runId);
    this.#runs.set(runId, runRecordToJson(runId, record));
  }

  /** @throws StepwiseError `RUN_ID_INVALID` */
  loadRun(runId: string): unknown | undefined {
    assertRunId(runId);
    const text = this.#runs.get(runId);
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  }

  listRuns(): string[] {
    return [...this.#runs.keys()].sort();
  }

  /** @throws StepwiseError `RUN_ID_INVALID` */
  deleteRun(runId: string): boolean {
    assertRunId(runId);
    return this.#runs.delete(runId);
  }

  /** @throws StepwiseError `CACHE_KEY_INVALID` */
  readCacheEntry(key: string): string | undefined {
    assertCacheKey(key);
    return this.#cache.get(key);
  }

  /** @throws StepwiseError `CACHE_KEY_INVALID`, `REF_INVALID` */
  writeCacheEntry(key: string, ref: string): void {
    assertCacheKey(key);
    assertRef(ref);
    this.#cache.set(key, ref);
  }

  listCacheEntries(): string[] {
    return [...this.#cache.keys()].sort();
  }

  /** @throws StepwiseError `CACHE_KEY_INVALID` */
  deleteCacheEntry(key: string): boolean {
    assertCacheKey(key);
    return this.#cache.delete(key);
  }
}
