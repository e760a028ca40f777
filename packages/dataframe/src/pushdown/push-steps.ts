// Each pushable step as a change to a lazy table's plan: the step's op with its output columns, or
// undefined when the step's meaning in SQL could differ from its meaning in JavaScript (then the step
// runs on the materialized table). Missing columns fail here, at the step, as they do when it runs.
import type { ColumnTable } from 'arquero';
import { columnsOf, parseExpression, requireColumns } from '../expressions/expression.js';
import { type ExprType, expressionType } from './expression-types.js';
import type { LazyFrame } from './lazy-frame.js';
import type { LazyAggregate, LazyCast, LazyColumn, SqlType } from './lazy-plan.js';
import { ROW_COLUMN } from './sql-names.js';

/** The step being pushed down: its id and type slug. */
export interface PushedStep {
  id: string;
  type: string;
}

function need(frame: LazyFrame, step: string, names: readonly string[]): void {
  requireColumns(frame as unknown as ColumnTable, step, names);
}

/** DuckDB's names ignore case, and the row column is taken: such names are not pushed down. */
export function namesFit(columns: readonly { name: string }[]): boolean {
  const lower = columns.map((c) => c.name.toLowerCase());
  return new Set(lower).size === lower.length && !lower.includes(ROW_COLUMN);
}

const concrete = (type: ExprType | undefined): SqlType | undefined => (type === 'NULL' ? undefined : type);

/** `filter_rows`: a condition typed boolean. */
export function pushFilter(frame: LazyFrame, where: string, step: PushedStep): LazyFrame | undefined {
  const expr = parseExpression(where);
  need(frame, step.type, columnsOf(expr));
  const type = expressionType(expr, frame.types());
  if (type !== 'BOOLEAN' && type !== 'NULL') return undefined;
  return frame.with({ step: step.id, type: step.type, out: frame.columns, op: 'filter', where });
}

/** `derive`: each expression typed from the input's columns; replaced columns stay in place, new ones follow. */
export function pushDerive(frame: LazyFrame, columns: Record<string, string>, step: PushedStep): LazyFrame | undefined {
  const exprs = Object.entries(columns).map(([name, text]) => [name, parseExpression(text)] as const);
  need(frame, step.type, [...new Set(exprs.flatMap(([, expr]) => columnsOf(expr)))]);
  const types = frame.types();
  const derived = new Map<string, SqlType>();
  for (const [name, expr] of exprs) {
    const type = concrete(expressionType(expr, types));
    if (type === undefined) return undefined;
    derived.set(name, type);
  }
  const out: LazyColumn[] = frame.columns.map((c) => ({ name: c.name, type: derived.get(c.name) ?? c.type }));
  for (const [name, type] of derived) if (!types.has(name)) out.push({ name, type });
  if (!namesFit(out)) return undefined;
  return frame.with({ step: step.id, type: step.type, out, op: 'derive', columns });
}

/** `select`: the named columns, in the order given (each once). */
export function pushSelect(frame: LazyFrame, columns: string[], step: PushedStep): LazyFrame | undefined {
  need(frame, step.type, columns);
  if (new Set(columns).size !== columns.length) return undefined;
  const types = frame.types();
  const out = columns.map((name) => ({ name, type: types.get(name) as SqlType }));
  return frame.with({ step: step.id, type: step.type, out, op: 'select', columns });
}

/** `drop_columns`: the other columns, as a select. */
export function pushDrop(
  frame: LazyFrame,
  columns: string[],
  ignoreMissing: boolean,
  step: PushedStep,
): LazyFrame | undefined {
  if (!ignoreMissing) need(frame, step.type, columns);
  const drop = new Set(columns);
  const out = frame.columns.filter((c) => !drop.has(c.name));
  if (out.length === 0) return undefined;
  return frame.with({ step: step.id, type: step.type, out, op: 'select', columns: out.map((c) => c.name) });
}

/** `rename`: new names in place; a new name that is already taken is left to JavaScript. */
export function pushRename(frame: LazyFrame, columns: Record<string, string>, step: PushedStep): LazyFrame | undefined {
  need(frame, step.type, Object.keys(columns));
  const out = frame.columns.map((c) => ({
    name: Object.hasOwn(columns, c.name) ? (columns[c.name] as string) : c.name,
    type: c.type,
  }));
  if (!namesFit(out)) return undefined;
  return frame.with({ step: step.id, type: step.type, out, op: 'rename', columns });
}

/** `head`: the first n rows. */
export function pushHead(frame: LazyFrame, n: number, step: PushedStep): LazyFrame {
  return frame.with({ step: step.id, type: step.type, out: frame.columns, op: 'head', n });
}

/** `clean_nulls`: rows with at most as many missing cells as the threshold allows. */
export function pushCleanNulls(
  frame: LazyFrame,
  threshold: number,
  columns: readonly string[] | undefined,
  step: PushedStep,
): LazyFrame {
  const names = columns && columns.length > 0 ? [...columns] : frame.columnNames();
  if (names.length === 0) return frame;
  need(frame, step.type, names);
  const keep = Math.floor(threshold * names.length + 1e-9);
  return frame.with({ step: step.id, type: step.type, out: frame.columns, op: 'clean_nulls', columns: names, keep });
}

/** `aggregate`: count of rows or of a column's values, sum, mean, min and max of number columns. */
export function pushAggregate(
  frame: LazyFrame,
  groupBy: readonly string[],
  aggregates: readonly { op: string; column?: string | undefined; as: string }[],
  step: PushedStep,
): LazyFrame | undefined {
  const read = aggregates.flatMap((a) => (a.column === undefined ? [] : [a.column]));
  need(frame, step.type, [...groupBy, ...read]);
  const types = frame.types();
  const specs: LazyAggregate[] = [];
  for (const spec of aggregates) {
    const op = spec.op;
    if (op !== 'count' && op !== 'sum' && op !== 'mean' && op !== 'min' && op !== 'max') return undefined;
    if (op !== 'count' && types.get(spec.column as string) !== 'DOUBLE') return undefined;
    specs.push({ op, as: spec.as, ...(spec.column === undefined ? {} : { column: spec.column }) });
  }
  const out: LazyColumn[] = [
    ...groupBy.map((name) => ({ name, type: types.get(name) as SqlType })),
    ...specs.map((spec) => ({ name: spec.as, type: 'DOUBLE' as const })),
  ];
  if (new Set(groupBy).size !== groupBy.length || !namesFit(out)) return undefined;
  return frame.with({ step: step.id, type: step.type, out, op: 'aggregate', groupBy: [...groupBy], aggregates: specs });
}

/** `sort`: stable, by columns, with Arquero's placement of nulls and NaN. */
export function pushSort(
  frame: LazyFrame,
  by: readonly { column: string; descending: boolean }[],
  step: PushedStep,
): LazyFrame {
  need(
    frame,
    step.type,
    by.map((key) => key.column),
  );
  return frame.with({ step: step.id, type: step.type, out: frame.columns, op: 'sort', by: by.map((k) => ({ ...k })) });
}

/** The SQL type of each `cast` target. */
const CAST_TYPES: Record<string, SqlType> = {
  number: 'DOUBLE',
  integer: 'DOUBLE',
  string: 'VARCHAR',
  boolean: 'BOOLEAN',
  date: 'TIMESTAMP',
};

/**
 * How `cast` converts a column of type `from` to `to` in SQL with castValue's meaning, or undefined
 * when SQL could differ: text to numbers, booleans or dates (JavaScript's Number() and Date parsing),
 * numbers to text (JavaScript's number formatting), dates to numbers or text; or when a value may
 * not convert and onError is "fail" (the error names the row, as the step does).
 */
function castOf(from: SqlType, to: string, onError: 'fail' | 'null'): LazyCast | undefined {
  const target = CAST_TYPES[to];
  // NaN is not a number to cast: it fails, or becomes null
  if (from === 'DOUBLE' && (to === 'number' || to === 'integer'))
    return onError === 'fail' ? undefined : to === 'number' ? 'not_nan' : 'trunc';
  if (from === target) return 'keep';
  if (from === 'BOOLEAN' && target === 'DOUBLE') return 'number';
  if (from === 'BOOLEAN' && target === 'VARCHAR') return 'text';
  if (from === 'DOUBLE' && target === 'BOOLEAN') return 'boolean';
  // no value converts: a boolean to a date, a date to a boolean
  const never = (from === 'BOOLEAN' && target === 'TIMESTAMP') || (from === 'TIMESTAMP' && target === 'BOOLEAN');
  return never && onError === 'null' ? 'null' : undefined;
}

/** `cast`: the conversions SQL does with the step's meaning (see castOf); others run in JavaScript. */
export function pushCast(
  frame: LazyFrame,
  columns: Record<string, string>,
  onError: 'fail' | 'null',
  step: PushedStep,
): LazyFrame | undefined {
  need(frame, step.type, Object.keys(columns));
  const types = frame.types();
  const casts: Record<string, LazyCast> = {};
  for (const [name, to] of Object.entries(columns)) {
    const how = castOf(types.get(name) as SqlType, to, onError);
    if (how === undefined) return undefined;
    casts[name] = how;
  }
  const out = frame.columns.map((c) => ({
    name: c.name,
    type: Object.hasOwn(columns, c.name) ? (CAST_TYPES[columns[c.name] as string] as SqlType) : c.type,
  }));
  return frame.with({ step: step.id, type: step.type, out, op: 'cast', columns: casts });
}

/**
 * True when rows with the same values in `keys` are exactly the rows Arquero's keys make equal. One
 * key is compared as a Map compares (SameValueZero: NaN equals NaN, -0 equals 0, as DuckDB groups);
 * several are joined into one text with `|`, where text values (quoted, quotes not escaped) could
 * run into each other: at most one text key then. Dates are keyed by milliseconds, which DuckDB's
 * microseconds may not match: none.
 */
export function keysFit(types: readonly (SqlType | undefined)[]): boolean {
  if (types.some((type) => type === undefined || type === 'TIMESTAMP')) return false;
  return types.length === 1 || types.filter((type) => type === 'VARCHAR').length <= 1;
}

/** `dedupe`: the first row of each distinct combination of the columns (all when none are given). */
export function pushDedupe(frame: LazyFrame, columns: readonly string[], step: PushedStep): LazyFrame | undefined {
  need(frame, step.type, columns);
  const keys = columns.length > 0 ? [...columns] : frame.columnNames();
  const types = frame.types();
  if (!keysFit(keys.map((name) => types.get(name)))) return undefined;
  return frame.with({ step: step.id, type: step.type, out: frame.columns, op: 'dedupe', columns: keys });
}
