import type { ColumnTable } from 'arquero';
import { columnValues } from './column-values.js';

/** One sort key: a column, ascending unless `descending`. */
export interface SortKey {
  column: string;
  descending: boolean;
}

interface KeyValues {
  values: ArrayLike<unknown>;
  /** 1 ascending, -1 descending. */
  order: number;
}

/**
 * Compares rows a and b on one key as Arquero's generated comparator does: null and undefined last
 * ascending, then `<` and `>` (dates by their time), then NaN after numbers; 0 when still tied.
 */
function compareKey({ values, order }: KeyValues, a: number, b: number): number {
  let u = values[a] as number | Date | null | undefined;
  let v = values[b] as number | Date | null | undefined;
  if (((u as number) < (v as number) || u == null) && v != null) return -order;
  if (((u as number) > (v as number) || v == null) && u != null) return order;
  v = v instanceof Date ? +v : v;
  u = u instanceof Date ? +u : u;
  if (Number.isNaN(u) && !Number.isNaN(v)) return -order;
  if (Number.isNaN(v) && !Number.isNaN(u)) return order;
  return 0;
}

/**
 * The table sorted by the keys (stable), materialized: the same rows in the same order as Arquero's
 * `orderby(...).reify()`, by a comparator over the column values instead of one Arquero compiles
 * from parsed expressions (which costs more than sorting a small table).
 */
export function sortRows(df: ColumnTable, keys: readonly SortKey[]): ColumnTable {
  const columns: KeyValues[] = keys.map((key) => ({
    values: columnValues(df, key.column),
    order: key.descending ? -1 : 1,
  }));
  const order = (a: number, b: number): number => {
    for (const key of columns) {
      const c = compareKey(key, a, b);
      if (c !== 0) return c;
    }
    return 0;
  };
  return df.create({ order }).reify();
}
