import { type DataType, dataType, type JsonValue, StepwiseError } from '@stepwise/core/define';
import type { ColumnTable } from 'arquero';
import { arquero, arqueroIfLoaded, loadArquero, requireSharesImport } from '../arquero/load-arquero.js';
import { LazyFrame } from '../pushdown/lazy-frame.js';
import { describeColumns } from './column-types.js';
import { toJsonSafe } from './json-safe.js';

/** A DataFrame: an Arquero `ColumnTable` (Arrow-columnar). */
export type DataFrame = ColumnTable;

/** True for a lazy table: a pushed-down step's output that has not run (see `DataFrameType.materialize`). */
export function isLazy(value: unknown): value is LazyFrame {
  return value instanceof LazyFrame;
}

/** One row of a DataFrame, as a plain object keyed by column name. */
export type DataFrameRow = Record<string, unknown>;

declare module '@stepwise/core' {
  interface DataTypeMap {
    DataFrame: { value: ColumnTable; row: Record<string, unknown> };
  }
}

/** What `DataFrameType.preview` returns: the columns with their kinds, the row count and the first rows. */
export interface DataFramePreview {
  columns: { name: string; type: string }[];
  rows: number;
  head: Record<string, JsonValue>[];
}

/** The DataFrame data type: its preview, as a JSON-safe object. */
export function previewDataFrame(df: ColumnTable, n: number): DataFramePreview {
  const head = df.objects({ limit: Math.max(0, n) }) as Record<string, unknown>[];
  return {
    columns: describeColumns(df),
    rows: df.numRows(),
    head: head.map((row) => toJsonSafe(row) as Record<string, JsonValue>),
  };
}

/** Rows back into a table; the columns of `like` come first, in its order, then any new ones. */
export function dataFrameFromRows(rows: unknown[], like?: ColumnTable): ColumnTable {
  const seen = new Set<string>();
  for (const row of rows) {
    if (row !== null && typeof row === 'object') for (const key of Object.keys(row)) seen.add(key);
  }
  const names = [...(like?.columnNames().filter((name) => seen.has(name)) ?? [])];
  for (const key of seen) if (!names.includes(key)) names.push(key);
  if (rows.length === 0 && like) return like.slice(0, 0).reify();
  // own keys only: a row without `toString` has null there, not Object.prototype's function; and a
  // null-prototype record, so a `__proto__` key is a column, not a prototype
  const columns: Record<string, unknown[]> = Object.create(null);
  for (const name of names)
    columns[name] = rows.map((row) =>
      row !== null && typeof row === 'object' && Object.hasOwn(row, name)
        ? ((row as DataFrameRow)[name] ?? null)
        : null,
    );
  return arquero().table(columns, names);
}

/** Cuts a table into reified slices of at most `chunkRows` rows (at least one chunk, maybe empty). */
export function* dataFrameChunks(df: ColumnTable, chunkRows: number): Iterable<ColumnTable> {
  const size = Math.max(1, Math.floor(chunkRows));
  const n = df.numRows();
  if (n === 0) {
    yield df.reify();
    return;
  }
  for (let start = 0; start < n; start += size) yield df.slice(start, start + size).reify();
}

/** Joins chunks back into one table (the columns of the first chunk). */
export function concatDataFrames(chunks: ColumnTable[]): ColumnTable {
  const [first, ...rest] = chunks;
  if (!first) return arquero().table({});
  return rest.length === 0 ? first : first.concat(...rest);
}

/**
 * A ColumnTable of our Arquero (instanceof, O(1)) or of another copy of it in the process (a table
 * made before `DataFrameType.load` ran by an Arquero that `arquero()` required under tsx, whose
 * CommonJS hooks make a `require` a module of its own). Never loads Arquero: a value without a
 * table's methods, or any value before Arquero has loaded, is judged by its class's name.
 */
function isColumnTable(value: unknown): value is ColumnTable {
  if (typeof (value as { columnNames?: unknown } | null)?.columnNames !== 'function') return false;
  const aq = arqueroIfLoaded();
  if (aq !== undefined && value instanceof aq.ColumnTable) return true;
  for (let proto = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto))
    if (proto.constructor?.name === 'ColumnTable') return true;
  return false;
}

/** The error of a lazy table handed where rows are needed without `materialize` first. */
function notMaterialized(): StepwiseError {
  return new StepwiseError(
    'VALUE_NOT_MATERIALIZED',
    'This DataFrame is a pushed-down query that has not run yet; call DataFrameType.materialize (or materializeValue) first.',
  );
}

function concrete(df: ColumnTable | LazyFrame): ColumnTable {
  if (df instanceof LazyFrame) throw notMaterialized();
  return df;
}

/**
 * The `DataFrame` data type, registered in the default registry when this package is imported. A value
 * is an Arquero table, or a lazy table (a pushed-down step's output: a query, encoded as its plan) that
 * `materialize` runs.
 */
export const DataFrameType: DataType<ColumnTable> = dataType<ColumnTable>({
  name: 'DataFrame',
  description: 'A table of named, typed columns (an Arquero ColumnTable); persisted as Arrow IPC.',
  // O(1) for our own tables, as the runner calls it on every step output; a lazy table answers
  // without loading Arquero
  is: (value): value is ColumnTable => value instanceof LazyFrame || isColumnTable(value),
  encode: (df) => (isLazy(df) ? df.encode() : arquero().toArrowIPC(df, { format: 'stream' })),
  decode: (bytes) => (LazyFrame.decode(bytes) as ColumnTable | undefined) ?? arquero().fromArrow(bytes),
  preview: (df, n) => previewDataFrame(concrete(df), n) as unknown as JsonValue,
  // a lazy table's rows are known once it has run
  size: (df) => (isLazy(df) ? {} : { rows: df.numRows() }),
  rows: (df) => concrete(df).objects(),
  fromRows: dataFrameFromRows,
  chunks: (df, chunkRows) => dataFrameChunks(concrete(df), chunkRows),
  concat: concatDataFrames,
  materialize: (df, signal) => (isLazy(df) ? df.materialize(signal) : df),
  // the runner and the threads executor await it before a table step: under tsx, Arquero through
  // import() (see load-arquero.ts); elsewhere nothing, as `arquero()` loads it when a step needs it
  load: () => (requireSharesImport() ? Promise.resolve() : loadArquero().then(() => undefined)),
});
