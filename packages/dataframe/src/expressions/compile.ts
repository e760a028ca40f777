// Compiles a syntax tree to a tree of closures, one value per row: no code is generated, no text is
// evaluated. The null rules are SQL's (DESIGN.md section 7): arithmetic, comparisons and op functions
// given a null give null (a comparison with null is not true); `x == null` / `x != null` test for
// null; `a ?? b` is coalesce; `a || b` is the first operand that is not null, false, 0, '' or NaN.
import type { ComparisonOperator, Expr } from './ast.js';
import { OPS, type OpSpec } from './ops.js';
import { compilePattern } from './regex.js';

/** One value per row, by underlying row number. */
export type RowFn = (row: number) => unknown;

/** What a compiled expression reads: the values of a column by row, and the rows it covers. */
export interface RowSource {
  /** The column's values, indexable by underlying row number. */
  column(name: string): ArrayLike<unknown>;
  /** The rows the expression covers (aggregates reduce over these). */
  rows: ArrayLike<number>;
}

const isNull = (v: unknown): v is null | undefined => v === null || v === undefined;
const truthy = (v: unknown): boolean => !isNull(v) && Boolean(v);

type Binary = (a: never, b: never) => unknown;

// JavaScript's own operators on non-null values (as Arquero gives them); null is handled around them.
const BINARY: Record<string, Binary> = {
  '+': (a: number, b: number) => a + b,
  '-': (a: number, b: number) => a - b,
  '*': (a: number, b: number) => a * b,
  '/': (a: number, b: number) => a / b,
  '%': (a: number, b: number) => a % b,
  '**': (a: number, b: number) => a ** b,
  // biome-ignore lint/suspicious/noDoubleEquals: the expression asked for loose equality
  '==': (a: unknown, b: unknown) => a == b,
  // biome-ignore lint/suspicious/noDoubleEquals: the expression asked for loose inequality
  '!=': (a: unknown, b: unknown) => a != b,
  '===': (a: unknown, b: unknown) => a === b,
  '!==': (a: unknown, b: unknown) => a !== b,
  '<': (a: number, b: number) => a < b,
  '<=': (a: number, b: number) => a <= b,
  '>': (a: number, b: number) => a > b,
  '>=': (a: number, b: number) => a >= b,
};

/** `x == null` and friends: a test for null, true or false, never null. */
function nullTest(op: ComparisonOperator, other: RowFn): RowFn | undefined {
  if (op === '==' || op === '===') return (row) => isNull(other(row));
  if (op === '!=' || op === '!==') return (row) => !isNull(other(row));
  return undefined;
}

function compileBinary(op: string, left: RowFn, right: RowFn): RowFn {
  const f = BINARY[op] as (a: unknown, b: unknown) => unknown;
  return (row) => {
    const a = left(row);
    if (isNull(a)) return null;
    const b = right(row);
    return isNull(b) ? null : f(a, b);
  };
}

function compileLogical(op: string, left: RowFn, right: RowFn): RowFn {
  if (op === '??') {
    return (row) => {
      const a = left(row);
      return isNull(a) ? right(row) : a;
    };
  }
  if (op === '||') {
    // As users write it (`d.discount || 0`): the first operand that is not null, false, 0, '' or NaN, else b.
    return (row) => {
      const a = left(row);
      return truthy(a) ? a : right(row);
    };
  }
  // &&: a falsy non-null operand decides (SQL: NULL AND FALSE is FALSE); else null when either is null.
  return (row) => {
    const a = left(row);
    if (!isNull(a) && !a) return a;
    const b = right(row);
    if (!isNull(b) && !b) return b;
    return isNull(a) || isNull(b) ? null : b;
  };
}

function compileCall(spec: OpSpec, args: Expr[], source: RowSource): RowFn {
  if (spec.kind === 'aggregate') {
    const fn = args[0] ? compileExpression(args[0], source) : undefined;
    const values: unknown[] = [];
    const { rows } = source;
    if (fn) {
      for (let k = 0; k < rows.length; k++) {
        const v = fn(rows[k] as number);
        if (!isNull(v)) values.push(v);
      }
    }
    const value = (spec.reduce as NonNullable<OpSpec['reduce']>)(values, rows.length) ?? null;
    return () => value;
  }
  const fns = args.map((arg, index) => {
    if (index === spec.pattern && arg.kind === 'literal') {
      const pattern = compilePattern(String(arg.value), arg.pos);
      return () => pattern;
    }
    return compileExpression(arg, source);
  });
  const f = spec.row as NonNullable<OpSpec['row']>;
  if (spec.kind === 'null') return (row) => f(...fns.map((fn) => fn(row)));
  const out = (result: unknown) => (result === undefined ? null : result);
  // One and two arguments without an array per row: most calls have one or two.
  const [first, second] = fns as [RowFn, RowFn];
  if (fns.length === 1) {
    return (row) => {
      const a = first(row);
      return isNull(a) ? null : out(f(a));
    };
  }
  if (fns.length === 2) {
    return (row) => {
      const a = first(row);
      if (isNull(a)) return null;
      const b = second(row);
      return isNull(b) ? null : out(f(a, b));
    };
  }
  return (row) => {
    const values = new Array<unknown>(fns.length);
    for (let k = 0; k < fns.length; k++) {
      const v = (fns[k] as RowFn)(row);
      if (isNull(v)) return null;
      values[k] = v;
    }
    return out(f(...values));
  };
}

/** The tree as a function from row number to value. */
export function compileExpression(expr: Expr, source: RowSource): RowFn {
  switch (expr.kind) {
    case 'column': {
      const values = source.column(expr.name);
      return (row) => values[row];
    }
    case 'literal': {
      const { value } = expr;
      return () => value;
    }
    case 'unary': {
      const arg = compileExpression(expr.arg, source);
      if (expr.op === '!') {
        return (row) => {
          const v = arg(row);
          return isNull(v) ? null : !v;
        };
      }
      const sign = expr.op === '-' ? -1 : 1;
      return (row) => {
        const v = arg(row);
        // `-x` and `+x` convert as JavaScript does ("2" to 2); -0 stays -0.
        return isNull(v) ? null : sign === -1 ? -(v as number) : +(v as number);
      };
    }
    case 'binary': {
      const { op, left, right } = expr;
      const isNullLiteral = (e: Expr) => e.kind === 'literal' && e.value === null;
      if (isNullLiteral(right) || isNullLiteral(left)) {
        const other = compileExpression(isNullLiteral(right) ? left : right, source);
        const test = nullTest(op as ComparisonOperator, other);
        if (test) return test;
        return () => null;
      }
      return compileBinary(op, compileExpression(left, source), compileExpression(right, source));
    }
    case 'logical':
      return compileLogical(expr.op, compileExpression(expr.left, source), compileExpression(expr.right, source));
    case 'conditional': {
      const test = compileExpression(expr.test, source);
      const then = compileExpression(expr.then, source);
      const otherwise = compileExpression(expr.otherwise, source);
      return (row) => (truthy(test(row)) ? then(row) : otherwise(row));
    }
    case 'call':
      return compileCall(OPS.get(expr.name) as OpSpec, expr.args, source);
  }
}

/** True when the value keeps a row in a filter: not null, and truthy. */
export const keepsRow = truthy;
