// A filter's condition as a three-valued mask, one byte per underlying row: TRUE, FALSE or NULL.
// `&&`, `||`, `!`, comparisons of a column with a constant and plain columns are computed a column at
// a time (no value boxed per row); any other part of the tree is evaluated row by row by its closure.
// The meaning is the evaluator's: a row is kept when the condition is TRUE.
import type { ComparisonOperator, Expr } from './ast.js';
import { COMPARISON_OPS } from './ast.js';
import { compileExpression, type RowSource } from './compile.js';

export const FALSE = 0;
export const TRUE = 1;
export const NULL = 2;

type Values = ArrayLike<unknown>;

/** The mask of a value's truthiness: NULL for null and undefined. */
function truthMask(values: Values, out: Uint8Array): void {
  for (let i = 0; i < out.length; i++) {
    const v = values[i];
    out[i] = v === null || v === undefined ? NULL : v ? TRUE : FALSE;
  }
}

/** column <op> constant for every row: JavaScript's operator, NULL when the value is null. */
function compare(values: Values, op: ComparisonOperator, c: unknown, out: Uint8Array): void {
  const n = out.length;
  if (c === null) {
    const equal = op === '==' || op === '===';
    if (!equal && op !== '!=' && op !== '!==') out.fill(NULL);
    else for (let i = 0; i < n; i++) out[i] = (values[i] == null) === equal ? TRUE : FALSE;
    return;
  }
  const v = values as ArrayLike<number>;
  const k = c as number;
  // biome-ignore format: one line per operator reads as a table
  switch (op) {
    case '<': for (let i = 0; i < n; i++) out[i] = v[i] == null ? NULL : (v[i] as number) < k ? TRUE : FALSE; break;
    case '<=': for (let i = 0; i < n; i++) out[i] = v[i] == null ? NULL : (v[i] as number) <= k ? TRUE : FALSE; break;
    case '>': for (let i = 0; i < n; i++) out[i] = v[i] == null ? NULL : (v[i] as number) > k ? TRUE : FALSE; break;
    case '>=': for (let i = 0; i < n; i++) out[i] = v[i] == null ? NULL : (v[i] as number) >= k ? TRUE : FALSE; break;
    // biome-ignore lint/suspicious/noDoubleEquals: the expression asked for loose equality
    case '==': for (let i = 0; i < n; i++) out[i] = values[i] == null ? NULL : values[i] == c ? TRUE : FALSE; break;
    // biome-ignore lint/suspicious/noDoubleEquals: the expression asked for loose inequality
    case '!=': for (let i = 0; i < n; i++) out[i] = values[i] == null ? NULL : values[i] != c ? TRUE : FALSE; break;
    case '===': for (let i = 0; i < n; i++) out[i] = values[i] == null ? NULL : values[i] === c ? TRUE : FALSE; break;
    case '!==': for (let i = 0; i < n; i++) out[i] = values[i] == null ? NULL : values[i] !== c ? TRUE : FALSE; break;
  }
}

const FLIPPED: Record<string, ComparisonOperator> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** A literal constant, including a negated number literal. */
function constant(expr: Expr): { value: unknown } | undefined {
  if (expr.kind === 'literal') return { value: expr.value };
  if (expr.kind === 'unary' && expr.op === '-' && expr.arg.kind === 'literal' && typeof expr.arg.value === 'number') {
    return { value: -expr.arg.value };
  }
  return undefined;
}

/** Fills `out` (one byte per underlying row) with the condition's truth; rows outside `source.rows` may hold anything. */
function fill(expr: Expr, source: RowSource, out: Uint8Array): void {
  const n = out.length;
  if (expr.kind === 'logical' && expr.op !== '??') {
    const right = new Uint8Array(n);
    fill(expr.left, source, out);
    fill(expr.right, source, right);
    // `a || b` is a when a is truthy, else b: TRUE, else b's truth (null || false is false).
    if (expr.op === '||') for (let i = 0; i < n; i++) out[i] = out[i] === TRUE ? TRUE : (right[i] as number);
    // `a && b` is FALSE when either is, else NULL when either is, else TRUE (SQL's AND).
    else
      for (let i = 0; i < n; i++) {
        const a = out[i] as number;
        const b = right[i] as number;
        out[i] = a === FALSE || b === FALSE ? FALSE : a === NULL || b === NULL ? NULL : TRUE;
      }
    return;
  }
  if (expr.kind === 'unary' && expr.op === '!') {
    fill(expr.arg, source, out);
    for (let i = 0; i < n; i++) out[i] = out[i] === NULL ? NULL : out[i] === TRUE ? FALSE : TRUE;
    return;
  }
  if (expr.kind === 'column') {
    truthMask(source.column(expr.name), out);
    return;
  }
  if (expr.kind === 'binary' && COMPARISON_OPS.has(expr.op)) {
    const op = expr.op as ComparisonOperator;
    const right = constant(expr.right);
    const left = constant(expr.left);
    if (expr.left.kind === 'column' && right) {
      compare(source.column(expr.left.name), op, right.value, out);
      return;
    }
    if (expr.right.kind === 'column' && left) {
      compare(source.column(expr.right.name), FLIPPED[op] ?? op, left.value, out);
      return;
    }
  }
  // Any other form: its closure, row by row, on the rows the filter covers.
  const fn = compileExpression(expr, source);
  const { rows } = source;
  for (let k = 0; k < rows.length; k++) {
    const row = rows[k] as number;
    const v = fn(row);
    out[row] = v === null || v === undefined ? NULL : v ? TRUE : FALSE;
  }
}

/** The condition's truth for every underlying row (meaningful on `source.rows`). */
export function conditionMask(expr: Expr, source: RowSource, n: number): Uint8Array {
  const out = new Uint8Array(n);
  fill(expr, source, out);
  return out;
}
