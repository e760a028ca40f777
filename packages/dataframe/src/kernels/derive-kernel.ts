import type { BitSet, ColumnTable } from 'arquero';
import type { Expr } from '../expressions/ast.js';
import { columnColumn, columnConstant, constantColumn, scaleShift } from './arithmetic-loops.js';
import { anyCommon, bitWords } from './bit-words.js';
import { columnValues, nullWords, numericColumn } from './column-values.js';
import { type Arithmetic, type ArithmeticOp, arithmeticShape, type FallbackOp } from './expression-shape.js';

/**
 * A computed operand: one number per underlying row (owned when the kernel may overwrite it) with the
 * rows that are null (`nulls[i] === 1`; none when `nulls` is null), or one number.
 */
type Vector = { values: Float64Array; owned: boolean; nulls: Uint8Array | null } | number;

/** Thrown inside the kernel when a column holds something other than numbers and nulls. */
const NOT_NUMERIC = Symbol('not numeric');

/**
 * A column's values as numbers, null and undefined marked null (the result is null there, SQL's
 * rule). A kept row holding anything else (text, a date, a bigint) stops the kernel: the row-by-row
 * evaluator takes over.
 */
function load(values: ArrayLike<unknown>, rows: BitSet | null): Vector {
  if (values instanceof Float64Array) return { values, owned: false, nulls: null };
  const n = values.length;
  const out = new Float64Array(n);
  let nulls: Uint8Array | null = null;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v === 'number') out[i] = v;
    else if (rows !== null && !rows.get(i))
      continue; // a filtered-out row is never read
    else if (v === null || v === undefined) {
      nulls ??= new Uint8Array(n);
      nulls[i] = 1;
    } else throw NOT_NUMERIC;
  }
  return { values: out, owned: true, nulls };
}

/** The rows null in either operand. */
function eitherNull(a: Uint8Array | null, b: Uint8Array | null): Uint8Array | null {
  if (a === null || b === null) return a ?? b;
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] as number) | (b[i] as number);
  return out;
}

/** `a op b` for every row, written over an operand the kernel owns when there is one. */
function binary(op: ArithmeticOp, a: Vector, b: Vector, n: number): Vector {
  if (typeof a === 'number' && typeof b === 'number') {
    const one = binary(op, { values: new Float64Array([a]), owned: true, nulls: null }, b, 1);
    return (one as { values: Float64Array }).values[0] as number;
  }
  const av = typeof a === 'number' ? undefined : a.values;
  const bv = typeof b === 'number' ? undefined : b.values;
  const ac = typeof a === 'number' ? a : 0;
  const bc = typeof b === 'number' ? b : 0;
  const out =
    typeof a !== 'number' && a.owned ? a.values : typeof b !== 'number' && b.owned ? b.values : new Float64Array(n);
  const nulls = eitherNull(typeof a === 'number' ? null : a.nulls, typeof b === 'number' ? null : b.nulls);
  if (av && bv) columnColumn[op](out, av, bv, n);
  else if (av) columnConstant[op](out, av, bc, n);
  else constantColumn[op](out, ac, bv as Float64Array, n);
  return { values: out, owned: true, nulls };
}

/** `a ?? b` or `a || b` for every row: b's value (and nullness) where a is null, or for `||` 0 or NaN. */
function fallback(op: FallbackOp, a: Vector, b: Vector, n: number): Vector {
  if (typeof a === 'number') return op === '??' || (a !== 0 && !Number.isNaN(a)) ? a : b;
  const av = a.values;
  const an = a.nulls;
  const bv = typeof b === 'number' ? undefined : b.values;
  const bn = typeof b === 'number' ? null : b.nulls;
  const bc = typeof b === 'number' ? b : 0;
  const out = new Float64Array(n);
  const nulls = bn === null ? null : new Uint8Array(n);
  const or = op === '||';
  for (let i = 0; i < n; i++) {
    const x = av[i] as number;
    // -0 === 0 holds, and -0 is falsy too.
    if ((an !== null && an[i] === 1) || (or && (x === 0 || Number.isNaN(x)))) {
      out[i] = bv ? (bv[i] as number) : bc;
      if (nulls !== null) nulls[i] = (bn as Uint8Array)[i] as number;
    } else out[i] = x;
  }
  return { values: out, owned: true, nulls };
}

/**
 * `column * c + k` and the like (a numeric column scaled by a constant, then shifted by another) in one
 * pass instead of two; undefined for any other shape. Null rows stay null (NaN in the values).
 */
function scaleAndShift(df: ColumnTable, shape: Arithmetic, n: number): Vector | undefined {
  if (!('right' in shape) || 'fallback' in shape || !('constant' in shape.right)) return undefined;
  if (shape.op !== '+' && shape.op !== '-') return undefined;
  const inner = shape.left;
  if (!('right' in inner) || 'fallback' in inner || !('column' in inner.left) || !('constant' in inner.right)) return;
  if (inner.op !== '*' && inner.op !== '/') return undefined;
  const view = numericColumn(df, inner.left.column);
  if (!view) return undefined;
  const out = new Float64Array(n);
  scaleShift[inner.op][shape.op](out, view.values, inner.right.constant, shape.right.constant, n);
  return { values: out, owned: true, nulls: view.nulls };
}

function evaluate(df: ColumnTable, shape: Arithmetic, rows: BitSet | null): Vector {
  const n = df.totalRows();
  const fused = scaleAndShift(df, shape, n);
  if (fused) return fused;
  if ('column' in shape) {
    const view = numericColumn(df, shape.column);
    return view ? { values: view.values, owned: false, nulls: view.nulls } : load(columnValues(df, shape.column), rows);
  }
  if ('constant' in shape) return shape.constant;
  if ('arg' in shape) {
    const arg = evaluate(df, shape.arg, rows);
    // `x * 1` is x for every number; multiplying keeps the result a fresh array, never a source column.
    return binary('*', arg, shape.op === 'neg' ? -1 : 1, n);
  }
  if ('fallback' in shape)
    return fallback(shape.op, evaluate(df, shape.left, rows), evaluate(df, shape.right, rows), n);
  return binary(shape.op, evaluate(df, shape.left, rows), evaluate(df, shape.right, rows), n);
}

/** True when some row of `rows` (all rows when null) is marked in `nulls`. */
function anyKept(nulls: Uint8Array, rows: BitSet | null): boolean {
  const words = nullWords(nulls);
  // A column's own nulls: a word at a time.
  if (words) return rows ? anyCommon(words, bitWords(rows)) : words.some((word) => word !== 0);
  const n = nulls.length;
  for (let i = 0; i < n; i++) if (nulls[i] === 1 && (rows === null || rows.get(i))) return true;
  return false;
}

/**
 * The derived column over all underlying rows (values at filtered-out rows are never read): a
 * Float64Array, or an array with null where an operand was null in a kept row.
 */
function column(vector: Vector, n: number, rows: BitSet | null): Float64Array | (number | null)[] {
  if (typeof vector === 'number') return new Float64Array(n).fill(vector);
  const { values, nulls } = vector;
  // The null rows were all dropped (as after clean_nulls): the numbers of the kept rows are the column.
  if (nulls === null || !anyKept(nulls, rows)) return values;
  const out: (number | null)[] = [];
  for (let i = 0; i < n; i++) out.push(nulls[i] === 1 ? null : (values[i] as number));
  return out;
}

/**
 * The derived columns by loops over Float64Arrays, when every expression is arithmetic (`+ - * / %`,
 * unary minus, and `??` / `||` for defaults such as `d.discount || 0`) over numeric columns and number
 * constants; undefined otherwise, or when a kept row of a
 * column holds anything but a number or null (the caller then evaluates row by row). Null gives null.
 * A new column without nulls is a Float64Array (Arrow type Float64), where the row-by-row evaluator
 * builds a plain array whose Arrow type is inferred from the values: the values are the same.
 */
export function fastDerive(df: ColumnTable, columns: ReadonlyArray<readonly [string, Expr]>): ColumnTable | undefined {
  const shapes = columns.map(([name, expression]) => [name, arithmeticShape(expression)] as const);
  if (shapes.some(([, shape]) => shape === undefined)) return undefined;
  const rows = df.mask();
  const n = df.totalRows();
  const data: Record<string, unknown> = { ...df.data() };
  const names = df.columnNames();
  try {
    for (const [name, shape] of shapes) {
      data[name] = column(evaluate(df, shape as Arithmetic, rows), n, rows);
      if (!names.includes(name)) names.push(name);
    }
  } catch (error) {
    if (error === NOT_NUMERIC) return undefined;
    throw error;
  }
  return df.create({ data: data as ReturnType<ColumnTable['data']>, names });
}
