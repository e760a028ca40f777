// Which expressions are pushed down: those whose SQL rendering (toSql) means what the JavaScript
// evaluation means for every value of the columns' types. The type of each node is worked out from
// the columns' types; a node whose meaning could differ (text `+`, a text as a condition, `==` on
// dates, which JavaScript compares by identity, `||` between values of two types, window aggregates,
// regular expressions, greatest and least, which DuckDB gives NaN another place than Math.max/min)
// has no type,
// and the step then runs in JavaScript on the materialized table.
import type { Expr } from '../expressions/ast.js';
import type { SqlType } from './lazy-plan.js';

/** The type of an expression node; `NULL` for the null literal, which fits any type. */
export type ExprType = SqlType | 'NULL';

type Types = ReadonlyMap<string, SqlType>;

const same = (a: ExprType | undefined, b: ExprType | undefined): ExprType | undefined => {
  if (a === undefined || b === undefined) return undefined;
  if (a === 'NULL') return b;
  if (b === 'NULL' || a === b) return a;
  return undefined;
};
const isNumber = (t: ExprType | undefined) => t === 'DOUBLE' || t === 'NULL';
const isBoolean = (t: ExprType | undefined) => t === 'BOOLEAN' || t === 'NULL';
const isText = (t: ExprType | undefined) => t === 'VARCHAR' || t === 'NULL';

const NUMERIC_CALLS = new Set(['abs', 'round', 'floor', 'ceil', 'trunc', 'sign', 'cbrt', 'exp']);
const TEXT_PREDICATES = new Set(['startswith', 'endswith', 'includes']);

function callType(name: string, args: (ExprType | undefined)[]): ExprType | undefined {
  if (args.some((a) => a === undefined)) return undefined;
  if (NUMERIC_CALLS.has(name)) return args.length === 1 && isNumber(args[0]) ? 'DOUBLE' : undefined;
  if (name === 'pow') return args.length === 2 && args.every(isNumber) ? 'DOUBLE' : undefined;
  if (name === 'lower' || name === 'upper') return args.length === 1 && isText(args[0]) ? 'VARCHAR' : undefined;
  if (TEXT_PREDICATES.has(name)) return args.length === 2 && args.every(isText) ? 'BOOLEAN' : undefined;
  if (name === 'is_null') return args.length === 1 ? 'BOOLEAN' : undefined;
  if (name === 'coalesce') return args.reduce<ExprType | undefined>((a, b) => same(a, b), 'NULL');
  return undefined;
}

function binaryType(op: string, left: ExprType | undefined, right: ExprType | undefined): ExprType | undefined {
  if (op === '+' || op === '-' || op === '*' || op === '/' || op === '%' || op === '**')
    return isNumber(left) && isNumber(right) ? 'DOUBLE' : undefined;
  // comparisons: of two values of one type; JavaScript compares dates with == by identity
  const type = same(left, right);
  return type === undefined || type === 'TIMESTAMP' ? undefined : 'BOOLEAN';
}

/**
 * The type of `expr` over columns of `types` when its SQL rendering has the same meaning as its
 * JavaScript evaluation; undefined when it may not (the step then runs in JavaScript).
 */
export function expressionType(expr: Expr, types: Types): ExprType | undefined {
  switch (expr.kind) {
    case 'column':
      return types.get(expr.name);
    case 'literal': {
      const { value } = expr;
      if (value === null) return 'NULL';
      return typeof value === 'number' ? 'DOUBLE' : typeof value === 'boolean' ? 'BOOLEAN' : 'VARCHAR';
    }
    case 'unary': {
      const arg = expressionType(expr.arg, types);
      if (expr.op === '!') return isBoolean(arg) ? 'BOOLEAN' : undefined;
      return isNumber(arg) ? 'DOUBLE' : undefined;
    }
    case 'binary': {
      const isNull = (e: Expr) => e.kind === 'literal' && e.value === null;
      const equality = expr.op === '==' || expr.op === '===' || expr.op === '!=' || expr.op === '!==';
      if (equality && (isNull(expr.left) || isNull(expr.right))) {
        const other = expressionType(isNull(expr.left) ? expr.right : expr.left, types);
        return other === undefined ? undefined : 'BOOLEAN';
      }
      return binaryType(expr.op, expressionType(expr.left, types), expressionType(expr.right, types));
    }
    case 'logical': {
      const left = expressionType(expr.left, types);
      const right = expressionType(expr.right, types);
      if (expr.op === '??') return same(left, right);
      // `a || b` keeps the first operand that is not null, false, 0, NaN or '': of one type, whose
      // falsy values expressionSql tests for (booleans, numbers, text); never a date (always truthy,
      // but `||` between dates is rare enough not to render)
      if (expr.op === '||') {
        const type = same(left, right);
        return type === 'TIMESTAMP' ? undefined : type;
      }
      return isBoolean(left) && isBoolean(right) ? 'BOOLEAN' : undefined;
    }
    case 'conditional': {
      if (!isBoolean(expressionType(expr.test, types))) return undefined;
      return same(expressionType(expr.then, types), expressionType(expr.otherwise, types));
    }
    case 'call':
      return callType(
        expr.name,
        expr.args.map((arg) => expressionType(arg, types)),
      );
  }
}
