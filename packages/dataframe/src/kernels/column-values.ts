import type { ColumnTable } from 'arquero';

/** The values of a column as something indexable by row: what `column.at(row)` returns, row by row. */
export type ColumnValues = ArrayLike<unknown>;

interface ArrowLikeColumn {
  at(row: number): unknown;
  toArray?: () => ArrayLike<unknown>;
}

/**
 * The values of a column, indexable by the table's underlying row numbers (filtered-out rows included).
 * Plain arrays and typed arrays are returned as they are; an Arrow column gives its `toArray()` (zero-copy
 * for one batch without nulls); anything else is copied through `at`. The values equal `column.at(row)`.
 */
export function columnValues(df: ColumnTable, name: string): ColumnValues {
  const column = df.column(name) as unknown;
  if (isArrayColumn(column)) return column;
  const arrow = column as ArrowLikeColumn;
  if (typeof arrow.toArray === 'function') return arrow.toArray();
  return Array.from({ length: df.totalRows() }, (_, row) => arrow.at(row));
}

/** True for a column stored as a plain array or a typed array (not an Arrow column). */
export function isArrayColumn(column: unknown): column is ColumnValues {
  return Array.isArray(column) || (ArrayBuffer.isView(column) && !(column instanceof DataView));
}

/**
 * A numeric column as kernels read it: `values[i]` is the number at underlying row i (NaN where it is
 * null, so that comparisons are false there), `nulls[i] === 1` where the cell is null or undefined
 * (`nulls` is null when none is). NaN and -0 stay as they are. `missing` has the bit of each row that
 * is null, undefined or NaN, as words in Arquero's BitSet layout (null when there is none; undefined
 * until {@link missingWords} is asked, for a Float64Array column).
 */
export interface NumericColumn {
  values: Float64Array;
  nulls: Uint8Array | null;
  missing: Uint32Array | null | undefined;
}

/**
 * Numeric views already built, by column object (null: the column holds something else). Tables are
 * immutable, so a column read by several steps (clean, filter, derive) is converted once.
 */
const views = new WeakMap<object, NumericColumn | null>();

/** The bits of the NaN values, or null when there is none. */
function nanWords(values: Float64Array): Uint32Array | null {
  const n = values.length;
  let missing: Uint32Array | null = null;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(values[i])) {
      missing ??= new Uint32Array((n + 31) >>> 5);
      missing[i >>> 5] = (missing[i >>> 5] as number) | (0x80000000 >>> (i & 31));
    }
  }
  return missing;
}

/** The column as numbers and nulls, or null when a cell (kept or not) holds anything else. */
function toNumeric(values: ColumnValues): NumericColumn | null {
  if (values instanceof Float64Array) return { values, nulls: null, missing: undefined };
  const n = values.length;
  const out = new Float64Array(n);
  let nulls: Uint8Array | null = null;
  let missing: Uint32Array | null = null;
  let hasNaN = false;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    // Nulls and NaN are rare: marking them where they occur keeps the loop to one test per number.
    if (typeof v === 'number') {
      out[i] = v;
      if (Number.isNaN(v)) {
        hasNaN = true;
        missing ??= new Uint32Array((n + 31) >>> 5);
        missing[i >>> 5] = (missing[i >>> 5] as number) | (0x80000000 >>> (i & 31));
      }
    } else if (v === null || v === undefined) {
      nulls ??= new Uint8Array(n);
      missing ??= new Uint32Array((n + 31) >>> 5);
      nulls[i] = 1;
      missing[i >>> 5] = (missing[i >>> 5] as number) | (0x80000000 >>> (i & 31));
      out[i] = Number.NaN;
    } else return null;
  }
  if (nulls !== null && missing !== null && !hasNaN) nullBits.set(nulls, missing);
  return { values: out, nulls, missing };
}

/** The view's missing rows (null, undefined or NaN) as words, null when none is; found once. */
export function missingWords(view: NumericColumn): Uint32Array | null {
  if (view.missing === undefined) view.missing = nanWords(view.values);
  return view.missing;
}

/** The null rows of a view with no NaN, as words, by its `nulls` array. */
const nullBits = new WeakMap<Uint8Array, Uint32Array>();

/**
 * The rows marked in `nulls`, as words in the BitSet layout, when `nulls` is a numeric view's and known
 * so (the view held no NaN); undefined otherwise.
 */
export function nullWords(nulls: Uint8Array): Uint32Array | undefined {
  return nullBits.get(nulls);
}

/**
 * The column's values as a {@link NumericColumn}, or undefined when some cell holds anything but a
 * number, null or undefined (text, a boolean, a date, a bigint): the caller then reads the values one
 * by one. A Float64Array column's values are used as they are; other columns are converted; the view
 * is remembered for the column.
 */
export function numericColumn(df: ColumnTable, name: string): NumericColumn | undefined {
  const column = df.column(name) as unknown;
  if (typeof column !== 'object' || column === null) return undefined;
  let view = views.get(column);
  if (view === undefined) {
    view = toNumeric(columnValues(df, name));
    views.set(column, view);
  }
  return view ?? undefined;
}
