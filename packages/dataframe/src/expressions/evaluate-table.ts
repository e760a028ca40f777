// Runs compiled expressions over a table: the filter's rows as a bit set, derived columns as arrays.
// Arquero only assembles the result (`create` with a filter or new columns); it never sees the text.
import type { ColumnTable } from 'arquero';
import { keptRows, packRows } from '../kernels/bit-words.js';
import { columnValues } from '../kernels/column-values.js';
import type { Expr } from './ast.js';
import { compileExpression, keepsRow, type RowSource } from './compile.js';
import { conditionMask, TRUE } from './filter-mask.js';

function rowSource(df: ColumnTable): RowSource {
  const cache = new Map<string, ArrayLike<unknown>>();
  return {
    column(name) {
      let values = cache.get(name);
      if (values === undefined) {
        values = columnValues(df, name);
        cache.set(name, values);
      }
      return values;
    },
    rows: keptRows(df.totalRows(), df.mask()),
  };
}

/**
 * The rows of the table for which the expression is true (not null, not false, 0, '' or NaN):
 * boolean logic and comparisons with constants a column at a time, other parts row by row.
 */
export function evaluateFilter(df: ColumnTable, where: Expr): ColumnTable {
  const source = rowSource(df);
  const n = df.totalRows();
  const mask = conditionMask(where, source, n);
  const keep = new Uint8Array(n);
  for (let i = 0; i < n; i++) keep[i] = mask[i] === TRUE ? 1 : 0;
  return df.create({ filter: packRows(keep, df.mask()) });
}

/** `evaluateFilter` by the closure of the whole expression, row by row: the reference for the masks. */
export function evaluateFilterByRow(df: ColumnTable, where: Expr): ColumnTable {
  const source = rowSource(df);
  const fn = compileExpression(where, source);
  const keep = new Uint8Array(df.totalRows());
  const { rows } = source;
  for (let k = 0; k < rows.length; k++) {
    const row = rows[k] as number;
    keep[row] = keepsRow(fn(row)) ? 1 : 0;
  }
  return df.create({ filter: packRows(keep, df.mask()) });
}

/**
 * The table with each expression's values as a column (replaced when the name exists, else appended).
 * Every expression reads the input's columns, not ones derived beside it.
 */
export function evaluateDerive(df: ColumnTable, columns: ReadonlyArray<readonly [string, Expr]>): ColumnTable {
  const source = rowSource(df);
  const n = df.totalRows();
  const { rows } = source;
  const dense = rows.length === n;
  const computed = columns.map(([name, expr]) => {
    const fn = compileExpression(expr, source);
    // Without a filter the values are pushed in row order (a packed array, doubles unboxed until a
    // value that is not a number); behind a filter, rows that are filtered out hold null.
    const out: unknown[] = dense ? [] : new Array<unknown>(n).fill(null);
    for (let k = 0; k < rows.length; k++) {
      const row = rows[k] as number;
      const v = fn(row);
      if (dense) out.push(v === undefined ? null : v);
      else out[row] = v === undefined ? null : v;
    }
    return [name, out] as const;
  });
  const data: Record<string, unknown> = { ...df.data() };
  const names = df.columnNames();
  for (const [name, values] of computed) {
    data[name] = values;
    if (!names.includes(name)) names.push(name);
  }
  return df.create({ data: data as ReturnType<ColumnTable['data']>, names });
}
