import type { ColumnTable } from 'arquero';
import { packRows } from './bit-words.js';
import { columnValues } from './column-values.js';

/**
 * The rows whose count of missing cells (null, undefined, NaN) over `names` is at most `allowed`, as a
 * filtered view of `df`. Reads each column's values directly, a column at a time.
 */
export function keepFewNulls(df: ColumnTable, names: readonly string[], allowed: number): ColumnTable {
  const n = df.totalRows();
  const missing = names.length < 0xffff ? new Uint16Array(n) : new Uint32Array(n);
  for (const name of names) {
    const values = columnValues(df, name);
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v == null || Number.isNaN(v)) missing[i] = (missing[i] as number) + 1;
    }
  }
  const keep = new Uint8Array(n);
  for (let i = 0; i < n; i++) keep[i] = (missing[i] as number) <= allowed ? 1 : 0;
  return df.create({ filter: packRows(keep, df.mask()) });
}
