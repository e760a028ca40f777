// A lazy plan as one DuckDB SELECT. Row order is Stepwise's: DuckDB keeps the source's order through
// filters, projections and LIMIT; where a step reorders (aggregate: groups in order of first
// appearance; sort: stable; dedupe: the first row of each key; join: Arquero's order, see
// render-join.ts) a row number column carries the order, made at the source only when a
// step needs it (not for an aggregate followed by a sort on all its group columns, whose order is
// then the sort's), and the outermost SELECT orders by it.
import { parseExpression } from '../expressions/expression.js';
import { expressionSql } from './expression-sql.js';
import type { LazyAggregate, LazyCast, LazyColumn, LazyOp, LazyPlan, LazySource } from './lazy-plan.js';
import { joinSql } from './render-join.js';
import { ident, ROW_COLUMN } from './sql-names.js';

export { ROW_COLUMN } from './sql-names.js';

const ROW = ident(ROW_COLUMN);

/** The SELECT of a source's rows, its columns in order. */
export type SourceSql = (source: LazySource) => string;

/** Steps that change the rows' order, or keep the first of equal rows: they need it carried. */
const REORDERING: ReadonlySet<LazyOp['op']> = new Set(['aggregate', 'sort', 'dedupe', 'join']);

interface Relation {
  sql: string;
  columns: LazyColumn[];
  /** The relation has the row number column. */
  ordered: boolean;
}

/** True when an aggregate's group order is set by the sort right after it (on all its group columns). */
function sortedAfter(op: LazyOp, next: LazyOp | undefined): boolean {
  if (op.op !== 'aggregate' || next?.op !== 'sort') return false;
  const keys = new Set(next.by.map((key) => key.column));
  return op.groupBy.every((name) => keys.has(name));
}

/** True when the first reordering step needs the source's row order. */
function needsSourceOrder(ops: readonly LazyOp[]): boolean {
  const first = ops.findIndex((op) => REORDERING.has(op.op));
  if (first === -1) return false;
  const op = ops[first] as LazyOp;
  return !sortedAfter(op, ops[first + 1]);
}

const star = (r: Relation) => (r.ordered ? `* EXCLUDE (${ROW})` : '*');
const keepRow = (r: Relation) => (r.ordered ? `, ${ROW}` : '');
const list = (columns: readonly LazyColumn[]) => columns.map((c) => ident(c.name)).join(', ');

/** True for a missing cell as the cleaning steps count it: null, or NaN in a number column. */
function missingSql(column: LazyColumn): string {
  const name = ident(column.name);
  return column.type === 'DOUBLE' ? `(${name} IS NULL OR isnan(${name}))` : `(${name} IS NULL)`;
}

/** An aggregate with the kernel's meaning: null and NaN skipped, counts as numbers, null for no values. */
function aggregateSql(spec: LazyAggregate, columns: readonly LazyColumn[]): string {
  if (spec.column === undefined) return 'CAST(count(*) AS DOUBLE)';
  const column = columns.find((c) => c.name === spec.column) as LazyColumn;
  const name = ident(column.name);
  const skipNaN = column.type === 'DOUBLE' ? ` FILTER (WHERE NOT isnan(${name}))` : '';
  const fn = spec.op === 'mean' ? 'avg' : spec.op;
  const value = `${fn}(${name})${skipNaN}`;
  return spec.op === 'count' ? `CAST(${value} AS DOUBLE)` : value;
}

/** Sort keys with Arquero's order: ascending puts nulls first, then NaN, then values; descending the reverse. */
function sortKeySql(key: { column: string; descending: boolean }, columns: readonly LazyColumn[]): string {
  const column = columns.find((c) => c.name === key.column) as LazyColumn;
  const name = ident(column.name);
  const nan = column.type === 'DOUBLE' ? ` WHEN isnan(${name}) THEN 1` : '';
  const dir = key.descending ? 'DESC' : 'ASC';
  // a number key sorts by a copy (-0 + 0 is 0, which sorts as -0 does): DuckDB gives a column it
  // sorts by back from the sort key, where -0 has become 0
  const value = column.type === 'DOUBLE' ? `(${name} + 0)` : name;
  return `CASE WHEN ${name} IS NULL THEN 0${nan} ELSE 2 END ${dir}, ${value} ${dir}`;
}

/** A cast column with castValue's meaning (see castOf in push-steps.ts). */
function castSql(how: LazyCast, column: LazyColumn, out: LazyColumn): string {
  const name = ident(column.name);
  switch (how) {
    case 'keep':
      return name;
    case 'number':
      return `CAST(${name} AS DOUBLE)`;
    case 'boolean':
      return `(${name} <> 0 OR isnan(${name}))`;
    case 'text':
      return `CAST(${name} AS VARCHAR)`;
    case 'not_nan':
      return `(CASE WHEN isnan(${name}) THEN NULL ELSE ${name} END)`;
    case 'trunc':
      return `(CASE WHEN isnan(${name}) THEN NULL ELSE trunc(${name}) END)`;
    case 'null':
      return `CAST(NULL AS ${out.type})`;
  }
}

/** The relation with the row number column (in DuckDB's order, which is the rows' order here). */
function numbered(r: Relation): Relation {
  return r.ordered ? r : { ...r, sql: `SELECT *, row_number() OVER () AS ${ROW} FROM (${r.sql})`, ordered: true };
}

function exprSql(text: string, columns: readonly LazyColumn[]): string {
  return expressionSql(parseExpression(text), new Map(columns.map((c) => [c.name, c.type])));
}

function applyOp(r: Relation, op: LazyOp, next: LazyOp | undefined, sourceSql: SourceSql): Relation {
  const columns = op.out;
  const from = `FROM (${r.sql})`;
  switch (op.op) {
    case 'filter':
      return { ...r, sql: `SELECT * ${from} WHERE ${exprSql(op.where, r.columns)}`, columns };
    case 'derive': {
      const replaced = r.columns.map((c) =>
        Object.hasOwn(op.columns, c.name)
          ? `${exprSql(op.columns[c.name] as string, r.columns)} AS ${ident(c.name)}`
          : ident(c.name),
      );
      const added = Object.keys(op.columns)
        .filter((name) => !r.columns.some((c) => c.name === name))
        .map((name) => `${exprSql(op.columns[name] as string, r.columns)} AS ${ident(name)}`);
      return { ...r, sql: `SELECT ${[...replaced, ...added].join(', ')}${keepRow(r)} ${from}`, columns };
    }
    case 'select':
      return { ...r, sql: `SELECT ${list(columns)}${keepRow(r)} ${from}`, columns };
    case 'rename': {
      const renamed = r.columns.map((c) =>
        Object.hasOwn(op.columns, c.name)
          ? `${ident(c.name)} AS ${ident(op.columns[c.name] as string)}`
          : ident(c.name),
      );
      return { ...r, sql: `SELECT ${renamed.join(', ')}${keepRow(r)} ${from}`, columns };
    }
    case 'head':
      return { ...r, sql: `SELECT * ${from}${r.ordered ? ` ORDER BY ${ROW}` : ''} LIMIT ${op.n}`, columns };
    case 'clean_nulls': {
      const names = op.columns.length > 0 ? op.columns : r.columns.map((c) => c.name);
      const counted = names.map((name) => r.columns.find((c) => c.name === name) as LazyColumn);
      const nulls = counted.map((c) => `CAST(${missingSql(c)} AS INTEGER)`).join(' + ');
      return { ...r, sql: `SELECT * ${from} WHERE ${nulls} <= ${op.keep}`, columns };
    }
    case 'aggregate': {
      const keys = op.groupBy.map(ident);
      const values = op.aggregates.map((spec) => `${aggregateSql(spec, r.columns)} AS ${ident(spec.as)}`);
      const ordered = r.ordered && !sortedAfter(op, next);
      const row = ordered ? `, min(${ROW}) AS ${ROW}` : '';
      const group = keys.length > 0 ? ` GROUP BY ${keys.join(', ')}` : '';
      return { sql: `SELECT ${[...keys, ...values].join(', ')}${row} ${from}${group}`, columns, ordered };
    }
    case 'sort': {
      const keys = op.by.map((key) => sortKeySql(key, r.columns));
      if (r.ordered) keys.push(ROW);
      const sql = `SELECT ${star(r)}, row_number() OVER (ORDER BY ${keys.join(', ')}) AS ${ROW} ${from}`;
      return { sql, columns, ordered: true };
    }
    case 'cast': {
      const cast = r.columns.map((c, i) => {
        const how = op.columns[c.name];
        return how === undefined ? ident(c.name) : `${castSql(how, c, columns[i] as LazyColumn)} AS ${ident(c.name)}`;
      });
      return { ...r, sql: `SELECT ${cast.join(', ')}${keepRow(r)} ${from}`, columns };
    }
    case 'dedupe': {
      // the first row number of each key, then those rows: not QUALIFY row_number() = 1, which
      // DuckDB rewrites into an aggregate of the rows' values that turns -0 into 0
      const keys = op.columns.map(ident).join(', ');
      const first = `SELECT min(${ROW}) FROM __stepwise_dedupe GROUP BY ${keys}`;
      const sql = `WITH __stepwise_dedupe AS MATERIALIZED (${numbered(r).sql}) SELECT * FROM __stepwise_dedupe WHERE ${ROW} IN (${first})`;
      return { sql, columns, ordered: true };
    }
    case 'join': {
      const right = relationOf(op.right, sourceSql, true);
      return { sql: joinSql(numbered(r), right, op, columns), columns, ordered: true };
    }
  }
}

/** The plan's relation; with the row number column when `ordered` asks for it or a step needs it. */
function relationOf(plan: LazyPlan, sourceSql: SourceSql, ordered: boolean): Relation {
  const number = ordered || needsSourceOrder(plan.ops);
  const source = sourceSql(plan.source);
  let relation: Relation = {
    sql: number ? `SELECT *, row_number() OVER () AS ${ROW} FROM (${source})` : source,
    columns: plan.source.columns,
    ordered: number,
  };
  plan.ops.forEach((op, i) => {
    relation = applyOp(relation, op, plan.ops[i + 1], sourceSql);
  });
  return ordered ? numbered(relation) : relation;
}

/** Every source the plan reads: its own, and those of the tables it joins. */
export function planSources(plan: LazyPlan): LazySource[] {
  return [plan.source, ...plan.ops.flatMap((op) => (op.op === 'join' ? planSources(op.right) : []))];
}

/**
 * The plan as one SELECT over its sources (`sourceSql` gives each one's rows, its columns in order),
 * giving the plan's columns in order and its rows in Stepwise's order.
 */
export function renderPlan(plan: LazyPlan, sourceSql: SourceSql): string {
  const relation = relationOf(plan, sourceSql, false);
  if (!relation.ordered) return relation.sql;
  return `SELECT ${list(relation.columns)} FROM (${relation.sql}) ORDER BY ${ROW}`;
}
