import type { MaybePromise } from '../maybe-promise.js';
import type { DataTypeLookup } from '../registry/data-type.js';

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
 * Where the values that flow between steps live, each under a ref. A method may answer with a
 * promise where the backend needs one (an object store, Redis); memory and files answer at once
 * ({@link SyncValueStore}), which keeps `RuntimeContext.get` a plain call.
 *
 * Every method checks its ref before doing anything else: a string that is not a ref is a
 * `REF_INVALID` error (thrown, or the promise rejects), never a key or a path. A new value store
 * passes `describeStoreContract` from `@stepwise/core/testing`.
 */
export interface ValueStore {
  /** Called by the context with its registry: stores that encode values find data types there. */
  bind?(registry: DataTypeLookup): void;
  /**
   * How another thread or process opens these same values, when it can: a worker then reads a
   * task's inputs by ref itself, with no decode and re-encode on the way.
   */
  readonly locator?: ValueStoreLocator;
  /** Stores `value` under `ref`, replacing any value there. The context has already checked the type. */
  write(ref: string, value: unknown, meta: ValueMeta): MaybePromise<void>;
  /** The value under `ref`; fails with `RefNotFoundError` (`REF_NOT_FOUND`) when absent. */
  read(ref: string): MaybePromise<unknown>;
  /** True when `ref` holds a value. */
  has(ref: string): MaybePromise<boolean>;
  /** The metadata of `ref`, or undefined when absent. */
  meta(ref: string): MaybePromise<ValueMeta | undefined>;
  /** Removes `ref`; true when it was there. */
  delete(ref: string): MaybePromise<boolean>;
  /** Every ref held. */
  list(): MaybePromise<string[]>;
  /**
   * Makes every value written so far durable: once it resolves, an OS crash or a power loss keeps
   * them, also those that an earlier call is still flushing (it waits for that call). A store whose `write` is durable when it returns (or that is never durable, like memory)
   * leaves it out; one that defers its flushes (a {@link FileStore}) flushes them here, in one batch.
   * The runner calls it before writing any run record or journal entry, and before a cache entry,
   * so no record names a value that is not on disk yet.
   */
  sync?(): MaybePromise<void>;
}

/** How another thread or process opens a value store: a {@link FileStore}'s `values` directory. */
export interface ValueStoreLocator {
  kind: 'file';
  /** The absolute directory. */
  dir: string;
}

/** A {@link ValueStore} that always answers at once (memory, files). */
export interface SyncValueStore extends ValueStore {
  write(ref: string, value: unknown, meta: ValueMeta): void;
  read(ref: string): unknown;
  has(ref: string): boolean;
  meta(ref: string): ValueMeta | undefined;
  delete(ref: string): boolean;
  list(): string[];
}
