import type { ColumnTable } from 'arquero';
import { dropRows, packRows } from './bit-words.js';
import { columnValues, missingWords, numericColumn } from './column-values.js';

/** missing[i] += 1 where the cell is null, undefined or NaN, read from the column's numeric view (NaN there). */
function countNumeric(values: Float64Array, missing: Uint16Array | Uint32Array): void {
  const n = values.length;
  for (let i = 0; i < n; i++) if (Number.isNaN(values[i])) missing[i] = (missing[i] as number) + 1;
}

/** missing[i] += 1 where the cell is null, undefined or NaN, value by value. */
function countAny(values: ArrayLike<unknown>, missing: Uint16Array | Uint32Array): void {
  const n = missing.length;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v == null || Number.isNaN(v)) missing[i] = (missing[i] as number) + 1;
  }
}

/**
 * The rows whose count of missing cells (null, undefined, NaN) over `names` is at most `allowed`, as a
 * filtered view of `df`. Reads each column's values directly, a column at a time (numeric columns
 * through their numeric view, which the filter and derive kernels then reuse).
 */
export function keepFewNulls(df: ColumnTable, names: readonly string[], allowed: number): ColumnTable {
  const n = df.totalRows();
  const only = names.length === 1 && allowed === 0 ? numericColumn(df, names[0] as string) : undefined;
  if (only) {
    // The common case (threshold 0 over one numeric column): the view knows its missing cells.
    const missing = missingWords(only);
    return missing ? df.create({ filter: dropRows(n, df.mask(), missing) }) : df;
  }
  const keep = new Uint8Array(n);
  const missing = names.length < 0xffff ? new Uint16Array(n) : new Uint32Array(n);
  for (const name of names) {
    const view = numericColumn(df, name);
    if (view) countNumeric(view.values, missing);
    else countAny(columnValues(df, name), missing);
  }
  for (let i = 0; i < n; i++) keep[i] = (missing[i] as number) <= allowed ? 1 : 0;
  return df.create({ filter: packRows(keep, df.mask()) });
}
