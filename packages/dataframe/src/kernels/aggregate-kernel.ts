import type { ColumnTable } from 'arquero';
import { arquero } from '../arquero/load-arquero.js';
import { keptRows } from './bit-words.js';
import { columnValues, isArrayColumn, type NumericColumn, numericColumn } from './column-values.js';
import { groupCodes } from './group-codes.js';

/** One aggregate the kernel computes: its output name, function and column (none for a row count). */
export interface KernelAggregate {
  name: string;
  op: 'count' | 'sum' | 'mean' | 'min' | 'max';
  column?: string | undefined;
}

/**
 * The rows of the table (ascending), the group code of each (by position), the value of each group's
 * key (none without a group column) and its number of rows.
 */
interface Groups {
  rows: Uint32Array;
  ids: Int32Array;
  keys: unknown[];
  sizes: number[];
}

/**
 * Groups rows by one column's values, in order of first appearance, as dictionary codes
 * ({@link groupCodes}); undefined for a value that is not text, a number, a boolean or null.
 */
function groupRows(df: ColumnTable, groupBy: readonly string[]): Groups | undefined {
  const rows = keptRows(df.totalRows(), df.mask());
  if (groupBy.length === 0) return { rows, ids: new Int32Array(rows.length), keys: [], sizes: [rows.length] };
  const codes = groupCodes(columnValues(df, groupBy[0] as string), rows);
  return codes && { rows, ...codes };
}

/**
 * The mean of a group from its running mean and its numbers of +Infinity and -Infinity values, as
 * SQL's `sum / count` gives it: +Infinity with only +Infinity among the infinities, -Infinity with only
 * -Infinity, NaN with both; the running mean otherwise (the running mean alone gives NaN for an
 * infinity followed by any value, since `Infinity - Infinity` is NaN). Shared by the kernel, the
 * rollup fallback and the streaming fold, so that all three agree with the pushed-down SQL.
 */
export function meanWithInfinities(mean: number, positive: number, negative: number): number {
  if (positive > 0) return negative > 0 ? Number.NaN : Number.POSITIVE_INFINITY;
  return negative > 0 ? Number.NEGATIVE_INFINITY : mean;
}

/**
 * Corrects the running means of the groups holding an infinity ({@link meanWithInfinities}). Only a
 * group whose running mean is not finite can hold one, so the rows are read again only then.
 */
function correctMeans(acc: Float64Array, count: Float64Array, values: ArrayLike<unknown>, groups: Groups): void {
  let anyInfinite = false;
  for (let g = 0; g < acc.length; g++) if (count[g] && !Number.isFinite(acc[g])) anyInfinite = true;
  if (!anyInfinite) return;
  const positive = new Float64Array(acc.length);
  const negative = new Float64Array(acc.length);
  const { rows, ids } = groups;
  for (let k = 0; k < rows.length; k++) {
    const v = values[rows[k] as number];
    const g = ids[k] as number;
    if (v === Number.POSITIVE_INFINITY) positive[g] = (positive[g] as number) + 1;
    else if (v === Number.NEGATIVE_INFINITY) negative[g] = (negative[g] as number) + 1;
  }
  for (let g = 0; g < acc.length; g++) {
    acc[g] = meanWithInfinities(acc[g] as number, positive[g] as number, negative[g] as number);
  }
}

/**
 * One aggregate per group, with Arquero's arithmetic: the sum adds in row order, the mean is the
 * running mean `m += (v - m) / k` (corrected for infinities by {@link meanWithInfinities}), min and max keep the first of equal values; null, undefined and NaN
 * are skipped (count with a column counts the other values). A value that is not a number returns
 * undefined, except for count.
 */
function reduce(values: ArrayLike<unknown> | undefined, op: KernelAggregate['op'], groups: Groups) {
  const size = groups.sizes.length;
  const count = new Float64Array(size);
  const acc = new Float64Array(size);
  const { rows, ids } = groups;
  for (let k = 0; k < rows.length; k++) {
    const g = ids[k] as number;
    if (!values) {
      count[g] = (count[g] as number) + 1;
      continue;
    }
    const v = values[rows[k] as number] as number;
    if (v === null || v === undefined || Number.isNaN(v)) continue;
    if (typeof v !== 'number' && op !== 'count') return undefined;
    const n = ++(count[g] as number);
    const a = acc[g] as number;
    if (op === 'sum') acc[g] = a + v;
    else if (op === 'mean') acc[g] = a + (v - a) / n;
    else if (op === 'min') acc[g] = n === 1 || v < a ? v : a;
    else if (op === 'max') acc[g] = n === 1 || v > a ? v : a;
  }
  if (op === 'count') return Array.from(count);
  if (op === 'mean' && values) correctMeans(acc, count, values, groups);
  return Array.from(acc, (a, g) => (count[g] ? a : null));
}

/** {@link reduce} over a numeric view: null and NaN (NaN in the view both) skipped. */
function reduceNumbers({ values }: NumericColumn, op: KernelAggregate['op'], groups: Groups) {
  const size = groups.sizes.length;
  const count = new Float64Array(size);
  const acc = new Float64Array(size);
  const { rows, ids } = groups;
  for (let k = 0; k < rows.length; k++) {
    const v = values[rows[k] as number] as number;
    if (Number.isNaN(v)) continue;
    const g = ids[k] as number;
    const n = ++(count[g] as number);
    const a = acc[g] as number;
    if (op === 'mean') acc[g] = a + (v - a) / n;
    else if (op === 'sum') acc[g] = a + v;
    else if (op === 'min') acc[g] = n === 1 || v < a ? v : a;
    else if (op === 'max') acc[g] = n === 1 || v > a ? v : a;
  }
  if (op === 'count') return Array.from(count);
  if (op === 'mean') correctMeans(acc, count, values, groups);
  return Array.from(acc, (a, g) => (count[g] ? a : null));
}

/**
 * `aggregateTable` by loops over the column values, for no group column or one (stored as an array)
 * and count, sum, mean, min and max over numeric columns; undefined otherwise (the caller then asks
 * Arquero). The table has the same groups, in the same order, and the same values as Arquero's.
 */
export function fastAggregate(
  df: ColumnTable,
  groupBy: readonly string[],
  aggregates: readonly KernelAggregate[],
): ColumnTable | undefined {
  const names = [...groupBy, ...aggregates.map((a) => a.name)];
  if (groupBy.length > 1 || df.isOrdered() || df.isGrouped() || new Set(names).size < names.length) return;
  // Arquero groups an Arrow dictionary column in dictionary order, not in order of first appearance.
  if (groupBy.length === 1 && !isArrayColumn(df.column(groupBy[0] as string))) return;
  const groups = groupRows(df, groupBy);
  if (!groups) return undefined;
  const data: Record<string, unknown[]> = {};
  if (groupBy.length === 1) data[groupBy[0] as string] = groups.keys.map((key) => key ?? null);
  for (const spec of aggregates) {
    if (spec.column === undefined) {
      data[spec.name] = groups.sizes;
      continue;
    }
    const view = spec.column === undefined ? undefined : numericColumn(df, spec.column);
    const values = spec.column === undefined || view ? undefined : columnValues(df, spec.column);
    const op = spec.column === undefined ? 'count' : spec.op;
    const out = view ? reduceNumbers(view, op, groups) : reduce(values, op, groups);
    if (!out) return undefined;
    data[spec.name] = out;
  }
  return arquero().table(data, names);
}
