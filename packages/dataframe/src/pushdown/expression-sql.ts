// An expression as DuckDB SQL for a pushed-down step: toSql's rendering, except that a comparison of
// two numbers treats NaN as JavaScript does (every comparison with NaN is false, `!=` true), where
// DuckDB orders NaN above every number and makes it equal to itself. NaN comes from arithmetic
// (0 / 0, Infinity - Infinity) and from Parquet files.
import { COMPARISON_OPS, type Expr } from '../expressions/ast.js';
import { toSql } from '../expressions/to-sql.js';
import { expressionType } from './expression-types.js';
import type { SqlType } from './lazy-plan.js';

type Types = ReadonlyMap<string, SqlType>;

const isNullLiteral = (e: Expr) => e.kind === 'literal' && e.value === null;

/** A copy of `expr` in which every number comparison is marked, rendered by {@link expressionSql}. */
function guarded(expr: Expr, types: Types, marks: Map<string, string>): Expr {
  switch (expr.kind) {
    case 'unary':
      return { ...expr, arg: guarded(expr.arg, types, marks) };
    case 'logical':
      return { ...expr, left: guarded(expr.left, types, marks), right: guarded(expr.right, types, marks) };
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
      // a placeholder column the rendering below replaces (a name no document can hold)
      const key = `\u0000${marks.size}`;
      marks.set(`"${key}"`, `(CASE WHEN isnan(${a}) OR isnan(${b}) THEN ${nan} ELSE ${compared} END)`);
      return { kind: 'column', name: key, pos: expr.pos };
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
