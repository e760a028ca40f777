// A pushed-down `join` as SQL, rows in Arquero's order. Arquero's hash join scans the larger table
// (the left one when both have as many rows) in its order and, for each row, emits its matches in
// the other table's order; then the left rows without a match (left and full joins), then the right
// ones (right and full joins), each in their table's order. Both sides come numbered (their row
// number column), with their row counts; the joined rows are numbered in that order.
import type { LazyColumn, LazyJoin } from './lazy-plan.js';
import { ident, ROW_COLUMN } from './sql-names.js';

/** A side of the join: a SELECT with the row number column, and its columns. */
export interface JoinSide {
  sql: string;
  columns: readonly LazyColumn[];
}

const ROW = ident(ROW_COLUMN);
const HOW = { inner: 'INNER JOIN', left: 'LEFT JOIN', right: 'RIGHT JOIN', full: 'FULL JOIN' } as const;

/** A side with its columns under positional names (no clash with the other side's), its row number and count. */
function sideSql(side: JoinSide, tag: 'l' | 'r'): string {
  const columns = side.columns.map((c, i) => `${ident(c.name)} AS __stepwise_${tag}${i}`);
  const extra = `${ROW} AS __stepwise_${tag}row, count(*) OVER () AS __stepwise_${tag}n`;
  return `SELECT ${[...columns, extra].join(', ')} FROM (${side.sql})`;
}

/**
 * The join of `left` and `right` giving `out`'s columns and the row number column, numbered in
 * Arquero's order (see the file's note). Keys match as Arquero's do: null never, NaN never.
 */
export function joinSql(left: JoinSide, right: JoinSide, join: LazyJoin, out: readonly LazyColumn[]): string {
  const l = (name: string) => `__stepwise_l${left.columns.findIndex((c) => c.name === name)}`;
  const r = (name: string) => `__stepwise_r${right.columns.findIndex((c) => c.name === name)}`;
  const on = join.on.flatMap((key, i) => {
    const equal = `${l(key)} = ${r(join.rightOn[i] as string)}`;
    const type = left.columns.find((c) => c.name === key)?.type;
    return type === 'DOUBLE' ? [equal, `NOT isnan(${l(key)})`] : [equal];
  });
  const values = join.take.map((take, i) => {
    const sql =
      take.side === 'left'
        ? l(take.column)
        : take.side === 'right'
          ? r(take.column)
          : `coalesce(${l(take.column)}, ${r(take.right as string)})`;
    return `${sql} AS ${ident((out[i] as LazyColumn).name)}`;
  });
  const part = 'CASE WHEN __stepwise_lrow IS NULL THEN 2 WHEN __stepwise_rrow IS NULL THEN 1 ELSE 0 END';
  const scanLeft = '__stepwise_ln >= __stepwise_rn';
  const first = `CASE WHEN __stepwise_rrow IS NULL OR (__stepwise_lrow IS NOT NULL AND ${scanLeft}) THEN __stepwise_lrow ELSE __stepwise_rrow END`;
  const second = `CASE WHEN __stepwise_lrow IS NULL OR __stepwise_rrow IS NULL THEN 0 WHEN ${scanLeft} THEN __stepwise_rrow ELSE __stepwise_lrow END`;
  const numbered = `row_number() OVER (ORDER BY ${part}, ${first}, ${second}) AS ${ROW}`;
  const from = `(${sideSql(left, 'l')}) ${HOW[join.how]} (${sideSql(right, 'r')}) ON ${on.join(' AND ')}`;
  return `SELECT ${[...values, numbered].join(', ')} FROM ${from}`;
}
