import type { BitSet, ColumnTable } from 'arquero';
import type { Expr } from '../expressions/ast.js';
import { andWords, bitWords, emptyRows, packRows } from './bit-words.js';
import { columnValues, numericColumn } from './column-values.js';
import { packLoop } from './compare-loops.js';
import { type Comparison, type ComparisonOp, comparisonShape } from './expression-shape.js';

type Values = ArrayLike<unknown>;

/**
 * keep[i] = values[i] <op> c: JavaScript's own operators on non-null values (as Arquero's predicate
 * gives them), and SQL's rule for null: a comparison with null is not true, except `== null` and
 * `!= null`, which test for null. One loop per operator: the operator is the same for every row.
 */
function compareToConstant(values: Values, op: ComparisonOp, c: unknown, keep: Uint8Array): void {
  if (c === null) {
    compareToNull(values, op, keep);
    return;
  }
  const v = values as ArrayLike<number>;
  const k = c as number;
  const n = keep.length;
  // `x != null` is false for null and undefined alone (the rows SQL's rule drops).
  // biome-ignore format: one line per operator reads as a table
  switch (op) {
    case '<': for (let i = 0; i < n; i++) keep[i] = v[i] != null && (v[i] as number) < k ? 1 : 0; break;
    case '<=': for (let i = 0; i < n; i++) keep[i] = v[i] != null && (v[i] as number) <= k ? 1 : 0; break;
    case '>': for (let i = 0; i < n; i++) keep[i] = v[i] != null && (v[i] as number) > k ? 1 : 0; break;
    case '>=': for (let i = 0; i < n; i++) keep[i] = v[i] != null && (v[i] as number) >= k ? 1 : 0; break;
    // biome-ignore lint/suspicious/noDoubleEquals: the expression asked for loose equality
    case '==': for (let i = 0; i < n; i++) keep[i] = values[i] == c ? 1 : 0; break;
    // biome-ignore lint/suspicious/noDoubleEquals: the expression asked for loose inequality
    case '!=': for (let i = 0; i < n; i++) keep[i] = values[i] != null && values[i] != c ? 1 : 0; break;
    case '===': for (let i = 0; i < n; i++) keep[i] = values[i] === c ? 1 : 0; break;
    case '!==': for (let i = 0; i < n; i++) keep[i] = values[i] != null && values[i] !== c ? 1 : 0; break;
  }
}

/** keep[i] for a comparison with the null constant: a test for null, or never true. */
function compareToNull(values: Values, op: ComparisonOp, keep: Uint8Array): void {
  const n = keep.length;
  const equal = op === '==' || op === '===';
  if (!equal && op !== '!=' && op !== '!==') {
    keep.fill(0);
    return;
  }
  for (let i = 0; i < n; i++) keep[i] = (values[i] == null) === equal ? 1 : 0;
}

const FLIPPED: Record<ComparisonOp, ComparisonOp> = {
  '<': '>',
  '<=': '>=',
  '>': '<',
  '>=': '<=',
  '==': '==',
  '!=': '!=',
  '===': '===',
  '!==': '!==',
};

/**
 * The rows of `rows` (all when null) where `column op c`, for a number constant over a numeric view
 * (null rows hold NaN there, so only `!=` has to drop them apart); undefined for other operands.
 */
function compareNumbers(df: ColumnTable, column: string, op: ComparisonOp, c: unknown, rows: BitSet | null) {
  const view = typeof c === 'number' ? numericColumn(df, column) : undefined;
  if (!view || (view.nulls !== null && (op === '!=' || op === '!=='))) return undefined;
  const n = df.totalRows();
  const out = emptyRows(n);
  const words = bitWords(out);
  packLoop(op)(words, view.values, c as number, n);
  if (rows) andWords(words, bitWords(rows));
  return out;
}

/** The rows of `rows` (all when null) where the comparison, a column against a constant either way round, holds. */
function compareInto(df: ColumnTable, { op, left, right }: Comparison, rows: BitSet | null, keep: Uint8Array) {
  const [column, c, o] =
    'column' in left && 'constant' in right
      ? [left.column, right.constant, op]
      : [(right as { column: string }).column, (left as { constant: unknown }).constant, FLIPPED[op]];
  const fast = compareNumbers(df, column, o, c, rows);
  if (fast) return fast;
  compareToConstant(columnValues(df, column), o, c, keep);
  return packRows(keep, rows);
}

/**
 * The filter by loops over the column values, for `where` made of comparisons of a column with a
 * constant joined by `&&`; undefined for any other expression (the caller then evaluates it row by
 * row). The result is a filtered view: the same rows, in order, over the same columns.
 */
export function fastFilter(df: ColumnTable, where: Expr): ColumnTable | undefined {
  const comparisons = comparisonShape(where);
  if (!comparisons) return undefined;
  let rows: BitSet | null = df.mask();
  const keep = new Uint8Array(df.totalRows());
  try {
    for (const comparison of comparisons) rows = compareInto(df, comparison, rows, keep);
  } catch {
    // A value JavaScript cannot compare (an object without a prototype, a symbol): the evaluator decides.
    return undefined;
  }
  return df.create({ filter: rows });
}
