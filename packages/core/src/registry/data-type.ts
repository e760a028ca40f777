import type { MaybePromise } from '../maybe-promise.js';
import type { JsonValue } from '../model/json.js';

/** What `ctx.info(ref)` and the editor show of a value's size. */
export interface ValueSize {
  rows?: number;
  bytes?: number;
}

/**
 * A kind of data that flows between steps. The runner checks every step output with `is`;
 * `encode`/`decode` serve the file store, threads and the queue; `preview` serves the editor.
 * The optional members let a type take part in row_iterative (`rows`/`fromRows`) and streaming
 * (`chunks`/`concat`) execution.
 */
export interface DataType<T = unknown> {
  /** Unique name, e.g. `DataFrame`. */
  readonly name: string;
  readonly description: string;
  /** True when `value` is of this type. Called on every step output: keep it cheap. */
  is(value: unknown): value is T;
  /**
   * Why `value` is not of this type, naming the part that is not (`$.m is a Map`); asked only after
   * `is` said no, for the `OUTPUT_TYPE_MISMATCH` message.
   */
  explain?(value: unknown): string | undefined;
  /** The value as bytes, for persistence and transfer. */
  encode(value: T): Uint8Array;
  /** The inverse of `encode`. */
  decode(bytes: Uint8Array): T;
  /** A JSON-safe preview showing at most `n` rows or items. */
  preview(value: T, n: number): JsonValue;
  /** Rows and bytes, where cheap to know. */
  size?(value: T): ValueSize;
  /** The rows of a value, for row_iterative steps. */
  rows?(value: T): Iterable<unknown>;
  /** A value rebuilt from rows; `like` is the input the rows came from, when there was one. */
  fromRows?(rows: unknown[], like?: T): T;
  /** The value cut into chunks of at most `chunkRows` rows, for streaming steps. */
  chunks?(value: T, chunkRows: number): Iterable<T>;
  /** Chunks joined back into one value. */
  concat?(chunks: T[]): T;
  /**
   * For a type whose values may be lazy (a DataFrame that is still a query): the value with its
   * deferred work done, answering a value that is already concrete itself, at once. The runner awaits
   * it before a step that does not take lazy input reads the value (see the step type's
   * `lazyInput`), and before a cached step's output is stored; a reader outside a run (a preview, a
   * download) calls it through `materializeValue`. `preview`, `rows`, `chunks` and `size` may
   * assume a concrete value.
   */
  materialize?(value: T, signal?: AbortSignal): MaybePromise<T>;
  /**
   * Loads what the type's values need before any is made, read or written: a heavy library (Arquero
   * for a DataFrame) that the module defining the type does not import, so that importing it stays
   * cheap. The runner awaits it before a step whose input or output is of this type runs (and before
   * its inputs are read), a worker thread before it decodes or runs anything of the type; after it
   * resolves, `is`, `encode`, `decode` and the rest may use the library synchronously. Load with
   * `import()`: the library then comes through one path, the module instance a user's own `import`
   * gets. Called again after it resolved only when a new registry or thread asks; answer the same
   * promise (a second call must be cheap). See {@link loadDataTypes}.
   * @example
   * let aq: typeof import('arquero') | undefined;
   * const load = () => import('arquero').then((m) => { aq = m; });
   */
  load?(): Promise<void>;
}

/** What {@link dataType} takes: a {@link DataType} whose `description` may be left out. */
export type DataTypeDefinition<T> = Omit<DataType<T>, 'description'> & { description?: string };

/** Names of the data types every registry knows. */
export type BuiltInDataTypeName = 'JSON' | 'Text' | 'Bytes' | 'FileReference' | 'Any';

/** The name `Any`: accepts and produces anything. */
export const ANY = 'Any';

/** True when a value of type `produced` may feed an input of type `expected`. */
export function typesCompatible(produced: string, expected: string): boolean {
  return produced === expected || expected === ANY || produced === ANY;
}

/** Where data types are found by name: a `StepRegistry`, or a view over several. */
export interface DataTypeLookup {
  /** The data type with this name, or undefined. */
  dataType(name: string): DataType | undefined;
  /**
   * The data type with this name.
   * @throws StepwiseError `DATA_TYPE_UNKNOWN`
   */
  requireDataType(name: string): DataType;
}

/**
 * `value` made concrete by its data type's `materialize` (a lazy DataFrame's query run), or `value`
 * itself for a type without one: what a reader outside a run (a preview, a download) calls first.
 */
export function materializeValue(
  lookup: Pick<DataTypeLookup, 'dataType'>,
  typeName: string,
  value: unknown,
  signal?: AbortSignal,
): MaybePromise<unknown> {
  const type = lookup.dataType(typeName);
  return type?.materialize === undefined ? value : type.materialize(value, signal);
}

/** The data types whose `load` has resolved in this thread. */
const loadedTypes = new WeakSet<DataType>();

/**
 * Awaits the {@link DataType.load} of each named data type that has one and has not loaded yet in
 * this thread; answers `undefined` (nothing to await) when there is none, so that a caller on a hot
 * path keeps its synchronous fast path. Unknown names and `undefined` are skipped.
 * @example
 * const loading = loadDataTypes(registry, [stepType.inputType, stepType.outputType]);
 * if (loading !== undefined) await loading;
 */
export function loadDataTypes(
  lookup: Pick<DataTypeLookup, 'dataType'>,
  names: Iterable<string | undefined>,
): Promise<void> | undefined {
  let pending: Promise<void>[] | undefined;
  for (const name of names) {
    const type = name === undefined ? undefined : lookup.dataType(name);
    if (type?.load === undefined || loadedTypes.has(type)) continue;
    pending ??= [];
    pending.push(type.load().then(() => void loadedTypes.add(type)));
  }
  return pending === undefined ? undefined : Promise.all(pending).then(() => undefined);
}
