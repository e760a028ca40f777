// An expression as DuckDB SQL for a pushed-down step: toSql's rendering, except that a comparison of
// two numbers treats NaN as JavaScript does (every comparison with NaN is false, `!=` true), where
// DuckDB orders NaN above every number and makes it equal to itself. NaN comes from arithmetic
// (0 / 0, Infinity - Infinity) and from Parquet files. And `a || b` on numbers and text tests for
// JavaScript's falsy values (0, NaN, '').
import { COMPARISON_OPS, type Expr } from '../expressions/ast.js';
import { toSql } from '../expressions/to-sql.js';
import { expressionType } from './expression-types.js';
import type { SqlType } from './lazy-plan.js';

type Types = ReadonlyMap<string, SqlType>;

const isNullLiteral = (e: Expr) => e.kind === 'literal' && e.value === null;

/** A placeholder column for `sql`, which the rendering replaces (a name no document can hold). */
function mark(marks: Map<string, string>, sql: string, pos: number): Expr {
  const key = `\u0000${marks.size}`;
  marks.set(`"${key}"`, sql);
  return { kind: 'column', name: key, pos };
}

/** A copy of `expr` in which every number comparison (and `||` on numbers or text) is marked, rendered by {@link expressionSql}. */
function guarded(expr: Expr, types: Types, marks: Map<string, string>): Expr {
  switch (expr.kind) {
    case 'unary':
      return { ...expr, arg: guarded(expr.arg, types, marks) };
    case 'logical': {
      const left = guarded(expr.left, types, marks);
      const right = guarded(expr.right, types, marks);
      const type = expr.op === '||' ? expressionType(expr.left, types) : undefined;
      if (type !== 'DOUBLE' && type !== 'VARCHAR') return { ...expr, left, right };
      // `a || b` on numbers or text: a unless it is null, 0, NaN or '' (toSql's CAST to BOOLEAN
      // takes NaN for true and cannot cast text)
      const a = toSql(left);
      const truthy = type === 'DOUBLE' ? `(${a} <> 0 AND NOT isnan(${a}))` : `(${a} <> '')`;
      return mark(marks, `(CASE WHEN ${truthy} THEN ${a} ELSE ${toSql(right)} END)`, expr.pos);
    }
    case 'conditional':
      // the AST names a conditional's branches `then` and `otherwise`: set through the copy, not a literal
      return Object.assign(
        { ...expr },
        {
          test: guarded(expr.test, types, marks),
          ['then' as string]: guarded(expr.then, types, marks),
          otherwise: guarded(expr.otherwise, types, marks),
        },
      );
    case 'call':
      return { ...expr, args: expr.args.map((arg) => guarded(arg, types, marks)) };
    case 'binary': {
      const left = guarded(expr.left, types, marks);
      const right = guarded(expr.right, types, marks);
      const numbers =
        COMPARISON_OPS.has(expr.op) &&
        !isNullLiteral(expr.left) &&
        !isNullLiteral(expr.right) &&
        expressionType(expr.left, types) === 'DOUBLE' &&
        expressionType(expr.right, types) === 'DOUBLE';
      if (!numbers) return { ...expr, left, right };
      const a = toSql(left);
      const b = toSql(right);
      const compared = toSql({ ...expr, left, right });
      const nan = expr.op === '!=' || expr.op === '!==' ? 'TRUE' : 'FALSE';
      return mark(marks, `(CASE WHEN isnan(${a}) OR isnan(${b}) THEN ${nan} ELSE ${compared} END)`, expr.pos);
    }
    default:
      return expr;
  }
}

/** The expression as DuckDB SQL with JavaScript's meaning, for columns of `types` (see the file's note). */
export function expressionSql(expr: Expr, types: Types): string {
  const marks = new Map<string, string>();
  let sql = toSql(guarded(expr, types, marks));
  // innermost first: a mark's SQL may hold the marks made before it
  for (const [key, value] of [...marks].reverse()) sql = sql.split(key).join(value);
  return sql;
}
