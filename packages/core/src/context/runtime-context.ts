import { ErrorCode } from '../errors/codes.js';
import { describeValue, RefNotFoundError, StepwiseError } from '../errors/stepwise-error.js';
import { after, type MaybePromise } from '../maybe-promise.js';
import { ANY, type DataType } from '../registry/data-type.js';
import { defaultRegistry } from '../registry/default-registry.js';
import type { StepRegistry } from '../registry/step-registry.js';
import { MemoryStore } from './memory/memory-store.js';
import { assertRef, newRef } from './ref.js';
import type { Store, SyncStore } from './store.js';
import type { Producer, SyncValueStore, ValueMeta, ValueStore } from './value-store.js';

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
export interface RuntimeContextOptions<S extends Store = Store> {
  /** Where values, run records and cache entries live; a new {@link MemoryStore} when left out. */
  store?: S;
  /** Where data types are looked up; the default registry when left out. */
  registry?: StepRegistry;
}

/**
 * What a context's value methods answer: the value itself over a store whose values answer at once
 * (memory, files), else the value or a promise of it (`await` works on both).
 */
export type ContextAnswer<S extends Store, T> = S['values'] extends SyncValueStore ? T : MaybePromise<T>;

/**
 * Holds the values that flow between steps, each under an opaque ref. Values are checked with
 * their data type on `put`; where they live is up to the store's value store (memory by default,
 * or a {@link FileStore} shared between processes). Run records and the cache index are the
 * store's too (`context.store.runs`, `context.store.cache`).
 * @example
 * const ctx = new RuntimeContext();
 * const ref = ctx.put([{ a: 1 }], { type: 'JSON' });
 * ctx.get(ref); // [{ a: 1 }]
 * ctx.info(ref); // { ref, type: 'JSON', createdAt: '2026-…', rows: 1 }
 */
export class RuntimeContext<S extends Store = SyncStore> {
  /** Where the values, run records and cache entries live. */
  readonly store: S;
  /** Where data types are looked up (and step types, by executors that load them by slug). */
  readonly registry: StepRegistry;
  readonly #values: ValueStore;

  constructor(options: RuntimeContextOptions<S> = {}) {
    // without a store the context is a memory one, which S defaults to (a SyncStore)
    this.store = options.store ?? (new MemoryStore() as Store as S);
    this.registry = options.registry ?? defaultRegistry;
    this.#values = this.store.values;
    this.#values.bind?.(this.registry);
  }

  /**
   * Stores `value` under a new ref after checking it with its data type's `is`.
   * Cheap: sizes are computed later, by {@link RuntimeContext.info}.
   * @throws StepwiseError `DATA_TYPE_UNKNOWN`, `OUTPUT_TYPE_MISMATCH`; a store's own codes
   * (a file store: `VALUE_NOT_ENCODABLE`)
   */
  put(value: unknown, options?: PutOptions): ContextAnswer<S, string> {
    const typeName = options?.type ?? ANY;
    const type = this.registry.dataType(typeName) ?? this.registry.requireDataType(typeName);
    if (!type.is(value)) throw typeMismatch(type, typeName, value);
    const ref = newRef();
    const meta: ValueMeta = { type: typeName, createdAt: Date.now() };
    if (options?.producer !== undefined) meta.producer = options.producer;
    return answer<S, string>(after(this.#values.write(ref, value, meta), () => ref));
  }

  /**
   * The value under `ref`.
   * @throws StepwiseError `REF_INVALID` (checked before the store is touched); RefNotFoundError `REF_NOT_FOUND`
   */
  get<T = unknown>(ref: string): ContextAnswer<S, T> {
    assertRef(ref);
    return this.#values.read(ref) as ContextAnswer<S, T>;
  }

  /**
   * True when `ref` holds a value.
   * @throws StepwiseError `REF_INVALID`
   */
  has(ref: string): ContextAnswer<S, boolean> {
    assertRef(ref);
    return answer<S, boolean>(this.#values.has(ref));
  }

  /**
   * Type, producer, creation time and size of the value under `ref`. Rows and bytes come from
   * the store when it recorded them, else from the data type's `size` (computed now, not on put).
   * @throws StepwiseError `REF_INVALID`; RefNotFoundError `REF_NOT_FOUND`
   */
  info(ref: string): ContextAnswer<S, ValueInfo> {
    assertRef(ref);
    return answer<S, ValueInfo>(
      after(this.#values.meta(ref), (meta) => {
        if (meta === undefined) throw new RefNotFoundError(ref);
        if (meta.rows !== undefined || meta.bytes !== undefined) return infoOf(ref, meta, meta);
        const type = this.registry.dataType(meta.type);
        if (type?.size === undefined) return infoOf(ref, meta, {});
        return after(this.#values.read(ref), (value) => infoOf(ref, meta, type.size?.(value) ?? {}));
      }),
    );
  }

  /**
   * Removes the value under `ref`; true when it was there.
   * @throws StepwiseError `REF_INVALID`
   */
  delete(ref: string): ContextAnswer<S, boolean> {
    assertRef(ref);
    return answer<S, boolean>(this.#values.delete(ref));
  }

  /** Every ref the store holds. */
  refs(): ContextAnswer<S, string[]> {
    return answer<S, string[]>(this.#values.list());
  }
}

/** The one place a store's answer is typed by the store: `ContextAnswer` tells at once from a promise by the store's type. */
function answer<S extends Store, T>(value: MaybePromise<T>): ContextAnswer<S, T> {
  return value as ContextAnswer<S, T>;
}

function infoOf(
  ref: string,
  meta: ValueMeta,
  size: { rows?: number | undefined; bytes?: number | undefined },
): ValueInfo {
  const info: ValueInfo = { ref, type: meta.type, createdAt: new Date(meta.createdAt).toISOString() };
  if (meta.producer) info.producer = { runId: meta.producer.runId, stepId: meta.producer.stepId };
  if (size.rows !== undefined) info.rows = size.rows;
  if (size.bytes !== undefined) info.bytes = size.bytes;
  return info;
}

/** The `OUTPUT_TYPE_MISMATCH` of a value `type.is` refused, with the data type's own explanation (the path of the bad part). */
function typeMismatch(type: DataType, typeName: string, value: unknown): StepwiseError {
  let why: string | undefined;
  try {
    why = type.explain?.(value);
  } catch {
    why = undefined;
  }
  const got = why === undefined ? `, got ${describeValue(value)}` : `: ${why}`;
  return new StepwiseError(
    ErrorCode.OUTPUT_TYPE_MISMATCH,
    `Expected a value of data type "${typeName}"${got}. Put it with the data type it has, or convert it to "${typeName}" first.`,
    { details: { type: typeName, value: describeValue(value), ...(why === undefined ? {} : { why }) } },
  );
}
