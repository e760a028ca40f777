import { ErrorCode } from '../errors/codes.js';
import { describeValue, RefNotFoundError, StepwiseError } from '../errors/stepwise-error.js';
import { ANY } from '../registry/data-type.js';
import { defaultRegistry } from '../registry/default-registry.js';
import type { StepRegistry } from '../registry/step-registry.js';
import type { ContextStore, Producer, ValueMeta } from './context-store.js';
import { MemoryStore } from './memory-store.js';
import { type PruneOptions, type PruneReport, pruneStore } from './prune.js';
import { assertCacheKey, assertRef, assertRunId, isRef, newRef } from './ref.js';

/** What `ctx.info(ref)` tells about a value. */
export interface ValueInfo {
  ref: string;
  /** Name of the value's data type. */
  type: string;
  /** The run and step that produced it, when a step did. */
  producer?: Producer;
  /** When it was put, as an ISO 8601 string. */
  createdAt: string;
  /** Rows, when the data type can tell (a JSON array, a DataFrame). */
  rows?: number;
  /** Bytes, when known (a Text's UTF-8 length, a file store's file size). */
  bytes?: number;
}

/** Options of {@link RuntimeContext.put}. */
export interface PutOptions {
  /** Name of the value's data type; `Any` when left out. */
  type?: string;
  /** The run and step that produced the value. */
  producer?: Producer;
}

/** Options of a {@link RuntimeContext}. */
export interface RuntimeContextOptions {
  /** Where values live; a new {@link MemoryStore} when left out. */
  store?: ContextStore;
  /** Where data types are looked up; the default registry when left out. */
  registry?: StepRegistry;
}

/**
 * Holds the values that flow between steps, each under an opaque ref. Values are checked with
 * their data type on `put`; where they live is up to the store (memory by default, or a
 * {@link FileStore} shared between processes).
 * @example
 * const ctx = new RuntimeContext();
 * const ref = ctx.put([{ a: 1 }], { type: 'JSON' });
 * ctx.get(ref); // [{ a: 1 }]
 * ctx.info(ref); // { ref, type: 'JSON', createdAt: '2026-…', rows: 1 }
 */
export class RuntimeContext {
  /** The store the values live in. */
  readonly store: ContextStore;
  readonly #registry: StepRegistry;

  constructor(options: RuntimeContextOptions = {}) {
    this.store = options.store ?? new MemoryStore();
    this.#registry = options.registry ?? defaultRegistry;
    this.store.bind?.(this.#registry);
  }

  /**
   * Stores `value` under a new ref after checking it with its data type's `is`.
   * Cheap: sizes are computed later, by {@link RuntimeContext.info}.
   * @throws StepwiseError `DATA_TYPE_UNKNOWN`, `OUTPUT_TYPE_MISMATCH`; a store's own codes
   * (a file store: `VALUE_NOT_ENCODABLE`)
   */
  put(value: unknown, options?: PutOptions): string {
    const typeName = options?.type ?? ANY;
    const type = this.#registry.dataType(typeName) ?? this.#registry.requireDataType(typeName);
    if (!type.is(value))
      throw new StepwiseError(
        ErrorCode.OUTPUT_TYPE_MISMATCH,
        `Expected a value of data type "${typeName}", got ${describeValue(value)}. ` +
          `Put it with the data type it has, or convert it to "${typeName}" first.`,
        { details: { type: typeName, value: describeValue(value) } },
      );
    const ref = newRef();
    const meta: ValueMeta = { type: typeName, createdAt: Date.now() };
    if (options?.producer !== undefined) meta.producer = options.producer;
    this.store.write(ref, value, meta);
    return ref;
  }

  /**
   * The value under `ref`.
   * @throws StepwiseError `REF_INVALID` (checked before the store is touched); RefNotFoundError `REF_NOT_FOUND`
   */
  get<T = unknown>(ref: string): T {
    assertRef(ref);
    return this.store.read(ref) as T;
  }

  /**
   * True when `ref` holds a value.
   * @throws StepwiseError `REF_INVALID`
   */
  has(ref: string): boolean {
    assertRef(ref);
    return this.store.has(ref);
  }

  /**
   * Type, producer, creation time and size of the value under `ref`. Rows and bytes come from
   * the store when it recorded them, else from the data type's `size` (computed now, not on put).
   * @throws StepwiseError `REF_INVALID`; RefNotFoundError `REF_NOT_FOUND`
   */
  info(ref: string): ValueInfo {
    assertRef(ref);
    const meta = this.store.meta(ref);
    if (meta === undefined) throw new RefNotFoundError(ref);
    const info: ValueInfo = { ref, type: meta.type, createdAt: new Date(meta.createdAt).toISOString() };
    if (meta.producer) info.producer = { runId: meta.producer.runId, stepId: meta.producer.stepId };
    let { rows, bytes } = meta;
    if (rows === undefined && bytes === undefined) {
      const size = this.#registry.dataType(meta.type)?.size?.(this.store.read(ref));
      rows = size?.rows;
      bytes = size?.bytes;
    }
    if (rows !== undefined) info.rows = rows;
    if (bytes !== undefined) info.bytes = bytes;
    return info;
  }

  /**
   * Removes the value under `ref`; true when it was there.
   * @throws StepwiseError `REF_INVALID`
   */
  delete(ref: string): boolean {
    assertRef(ref);
    return this.store.delete(ref);
  }

  /** Every ref the store holds. */
  refs(): string[] {
    return this.store.list();
  }

  /**
   * Keeps a run record (JSON) so that a later process can resume the run (a file store keeps it on disk).
   * @throws StepwiseError `RUN_ID_INVALID`, `RUN_RECORD_INVALID`
   */
  saveRun(runId: string, record: unknown): void {
    assertRunId(runId);
    this.store.saveRun(runId, record);
  }

  /**
   * The run record saved last under `runId`, or undefined.
   * @throws StepwiseError `RUN_ID_INVALID`
   */
  loadRun(runId: string): unknown | undefined {
    assertRunId(runId);
    return this.store.loadRun(runId);
  }

  /**
   * The ref recorded under a cache `key` (see `strategy.cache`), only while the context still
   * holds a value under it; undefined otherwise.
   * @throws StepwiseError `CACHE_KEY_INVALID`; a store's own codes (a file store: `STORE_CORRUPT`)
   */
  cachedRef(key: string): string | undefined {
    assertCacheKey(key);
    const ref = this.store.readCacheEntry(key);
    return isRef(ref) && this.store.has(ref) ? ref : undefined;
  }

  /**
   * Records `ref` as the output for a cache `key`, replacing any earlier entry.
   * @throws StepwiseError `CACHE_KEY_INVALID`, `REF_INVALID`
   */
  setCachedRef(key: string, ref: string): void {
    assertCacheKey(key);
    assertRef(ref);
    this.store.writeCacheEntry(key, ref);
  }

  /**
   * Removes old runs and the data only they used, keeping the newest `options.keepRuns` runs
   * and everything they reference: {@link pruneStore} on this context.
   * @example context.prune({ keepRuns: 10 }) // { runsDeleted: 3, valuesDeleted: 12, … }
   * @throws StepwiseError `FIELD_INVALID` for a bad `keepRuns`
   */
  prune(options: PruneOptions): PruneReport {
    return pruneStore(this, options);
  }
}
