// Renders a syntax tree as a DuckDB SQL expression with the same meaning, for the forms that have
// one: arithmetic and comparisons on numbers, boolean logic, the null rules, and the op functions
// listed in SQL_FUNCTIONS. Other op functions are refused with ExpressionError (the caller then
// evaluates in JavaScript). Column names and strings are quoted, never spliced in raw.
import type { Expr } from './ast.js';
import { ExpressionError } from './lexer.js';

const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const str = (text: string): string => `'${text.replace(/'/g, "''")}'`;

type Render = (args: string[]) => string;

const fn =
  (name: string): Render =>
  (args) =>
    `${name}(${args.join(', ')})`;
const window =
  (render: Render): Render =>
  (args) =>
    `${render(args)} OVER ()`;
/** SQL's greatest/least skip nulls; the language's give null when any argument is null. */
const strict =
  (name: string): Render =>
  (args) =>
    `CASE WHEN ${args.map((a) => `${a} IS NULL`).join(' OR ')} THEN NULL ELSE ${name}(${args.join(', ')}) END`;

/** The op functions with a DuckDB rendering of the same meaning (for numbers, booleans and text). */
export const SQL_FUNCTIONS: Readonly<Record<string, Render>> = {
  coalesce: fn('coalesce'),
  is_null: ([x]) => `(${x} IS NULL)`,
  is_valid: ([x]) => `(${x} IS NOT NULL)`,
  lower: fn('lower'),
  upper: fn('upper'),
  startswith: fn('starts_with'),
  endswith: fn('ends_with'),
  includes: fn('contains'),
  test: fn('regexp_matches'),
  abs: fn('abs'),
  // JavaScript's Math.round takes halves up (-2.5 to -2); SQL's round takes them away from zero.
  round: ([x]) => `floor(${x} + 0.5)`,
  floor: fn('floor'),
  ceil: fn('ceil'),
  trunc: fn('trunc'),
  sign: fn('sign'),
  cbrt: fn('cbrt'),
  exp: fn('exp'),
  pow: fn('power'),
  greatest: strict('greatest'),
  least: strict('least'),
  is_nan: fn('isnan'),
  is_finite: fn('isfinite'),
  count: () => 'count(*) OVER ()',
  valid: window(fn('count')),
  invalid: ([x]) => `(count(*) OVER () - count(${x}) OVER ())`,
  sum: window(fn('sum')),
  mean: window(fn('avg')),
  min: window(fn('min')),
  max: window(fn('max')),
  median: window(fn('median')),
  variance: window(fn('var_samp')),
  stdev: window(fn('stddev_samp')),
};

const COMPARISON: Record<string, string> = {
  '==': '=',
  '===': '=',
  '!=': '<>',
  '!==': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

/** The value as a condition: null and false, 0 and NaN are not true. */
const condition = (sql: string): string => `CAST(${sql} AS BOOLEAN)`;

/**
 * The tree as a DuckDB SQL expression over a table whose columns are the expression's columns, with
 * the language's meaning for numbers, booleans and nulls: `a || b` is b when a is null, false or 0;
 * `x == null` is `x IS NULL`; aggregates become window aggregates over the whole table (`OVER ()`).
 * Number literals are DOUBLE. Text: `+` renders as numeric `+` (join text with a text-typed renderer,
 * a later step), and a text value as a condition is refused by DuckDB at run time.
 * @throws ExpressionError at an op function that has no SQL rendering of the same meaning
 */
export function toSql(expr: Expr): string {
  switch (expr.kind) {
    case 'column':
      return ident(expr.name);
    case 'literal': {
      const { value } = expr;
      if (value === null) return 'NULL';
      if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
      if (typeof value === 'number') return `CAST(${String(value)} AS DOUBLE)`;
      return str(value);
    }
    case 'unary': {
      const arg = toSql(expr.arg);
      if (expr.op === '!') return `(NOT ${condition(arg)})`;
      return expr.op === '-' ? `(- ${arg})` : `CAST(${arg} AS DOUBLE)`;
    }
    case 'binary': {
      const { op, left, right } = expr;
      const isNull = (e: Expr) => e.kind === 'literal' && e.value === null;
      if ((op === '==' || op === '===' || op === '!=' || op === '!==') && (isNull(left) || isNull(right))) {
        const other = toSql(isNull(left) ? right : left);
        return op === '==' || op === '===' ? `(${other} IS NULL)` : `(${other} IS NOT NULL)`;
      }
      const a = toSql(left);
      const b = toSql(right);
      if (op === '**') return `power(${a}, ${b})`;
      return `(${a} ${COMPARISON[op] ?? op} ${b})`;
    }
    case 'logical': {
      const a = toSql(expr.left);
      const b = toSql(expr.right);
      if (expr.op === '??') return `coalesce(${a}, ${b})`;
      if (expr.op === '||') return `(CASE WHEN ${condition(a)} THEN ${a} ELSE ${b} END)`;
      return `(${condition(a)} AND ${condition(b)})`;
    }
    case 'conditional':
      return `(CASE WHEN ${condition(toSql(expr.test))} THEN ${toSql(expr.then)} ELSE ${toSql(expr.otherwise)} END)`;
    case 'call': {
      const render = SQL_FUNCTIONS[expr.name];
      if (render === undefined) {
        throw new ExpressionError(expr.pos, `op.${expr.name} has no SQL rendering with the same meaning`);
      }
      return render(expr.args.map(toSql));
    }
  }
}
