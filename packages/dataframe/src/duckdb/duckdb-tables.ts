import type { DuckDBConnection, DuckDBResultReader } from '@duckdb/node-api';
import type { ColumnTable } from 'arquero';
import { arquero } from '../arquero/load-arquero.js';
import { type ColumnKind, kindOf } from '../data-type/column-types.js';
import { duckdb, quoteIdentifier } from './duckdb-module.js';

// what the table helpers' callers also use: DuckDB's module, quoting, and the instances (open-duckdb.ts)
export { duckdb, quoteIdentifier, quoteLiteral } from './duckdb-module.js';
export { keptDuckDB, openDuckDB, warmDuckDB } from './open-duckdb.js';

/**
 * The `buffer_size` (bytes) every `read_csv` of Stepwise's is given. DuckDB's default buffer, 32 MiB,
 * was the largest part of its memory reading a CSV (W4's 35 MB file: peak RSS 140 MB with it, 112 MB
 * with this, in a process that only runs DuckDB). It is DuckDB's default `max_line_size`, which a
 * buffer must hold: with it DuckDB reads, and refuses, exactly the lines it does by default (a
 * smaller buffer refuses shorter lines, a larger one accepts longer ones).
 */
export const CSV_BUFFER_SIZE = 2_000_000;

/** The SQL type `loadTable` gives a column. */
export type SqlType = 'DOUBLE' | 'VARCHAR' | 'BOOLEAN' | 'TIMESTAMP' | 'BIGINT';

const SQL_TYPES: Record<ColumnKind, SqlType> = {
  number: 'DOUBLE',
  integer: 'DOUBLE',
  string: 'VARCHAR',
  boolean: 'BOOLEAN',
  date: 'TIMESTAMP',
  bigint: 'BIGINT',
  object: 'VARCHAR',
  null: 'VARCHAR',
};

/** The SQL type of a column: from the kinds of all its values; mixed columns become VARCHAR. */
export function sqlTypeOf(values: ArrayLike<unknown>): SqlType {
  let kind: ColumnKind = 'null';
  for (let i = 0; i < values.length; i++) {
    const next = kindOf(values[i]);
    if (next === 'null' || next === kind) continue;
    if (kind !== 'null') return 'VARCHAR';
    kind = next;
  }
  return SQL_TYPES[kind];
}

/** A cell as `loadTable` appends it to a column of `type` (NaN and invalid dates as null). */
export function toSqlValue(value: unknown, type: SqlType): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'VARCHAR' && typeof value !== 'string') {
    return value instanceof Date
      ? value.toISOString()
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  }
  if (type === 'DOUBLE' && typeof value === 'number' && Number.isNaN(value)) return null;
  if (type === 'TIMESTAMP' && value instanceof Date && Number.isNaN(value.getTime())) return null;
  return value;
}

/** A table's columns as DuckDB will hold them: each column's values and its SQL type. */
export interface TableColumns {
  names: string[];
  columns: ArrayLike<unknown>[];
  types: SqlType[];
}

/** Creates the empty DuckDB table `name` with `df`'s columns and types (what every loader starts with). */
export async function createTableFor(
  connection: DuckDBConnection,
  name: string,
  df: ColumnTable,
): Promise<TableColumns> {
  const names = df.columnNames();
  const columns = names.map((column) => df.array(column) as ArrayLike<unknown>);
  const types = columns.map(sqlTypeOf);
  const defs = names.map((column, i) => `${quoteIdentifier(column)} ${types[i]}`);
  await connection.run(`CREATE TABLE ${quoteIdentifier(name)} (${defs.join(', ')})`);
  return { names, columns, types };
}

/** Copies a table into DuckDB as a new table named `name`. */
export async function loadTable(connection: DuckDBConnection, name: string, df: ColumnTable): Promise<void> {
  const { names, columns, types } = await createTableFor(connection, name, df);
  if (names.length === 0 || df.numRows() === 0) return;
  const appender = await connection.createAppender(name);
  const { DuckDBDataChunkWriter, JSToDuckDBValueConverter } = await duckdb();
  const writer = DuckDBDataChunkWriter.forAppender(appender, { converter: JSToDuckDBValueConverter });
  const row = new Array<unknown>(names.length);
  const n = df.numRows();
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < columns.length; c++)
      row[c] = toSqlValue((columns[c] as ArrayLike<unknown>)[r], types[c] as SqlType);
    writer.appendRow(row as never[]);
  }
  writer.flush();
  appender.closeSync();
}

/** A value of node-api's JavaScript conversion as a table holds it: a BIGINT that fits is a number. */
export function fromSqlValue(value: unknown): unknown {
  if (typeof value === 'bigint') {
    const asNumber = Number(value);
    return Number.isSafeInteger(asNumber) ? asNumber : value;
  }
  return value;
}

/** Runs a query and returns its result as a table (BIGINTs that fit become numbers). */
export async function queryTable(connection: DuckDBConnection, sql: string): Promise<ColumnTable> {
  return tableOf(await connection.runAndReadAll(sql));
}

/** A SELECT DuckDB has parsed and bound, not yet run. */
export interface PreparedSelect {
  /** Runs it and returns its result as a table (as {@link queryTable}). */
  run(): Promise<ColumnTable>;
  close(): void;
}

/**
 * Prepares `sql` when it is exactly one SELECT (`WITH`, `FROM ...`, `DESCRIBE`, `SUMMARIZE` and
 * `VALUES` are SELECTs too), as DuckDB itself sees it, never from the text: its parser counts the
 * statements and serializes only a SELECT (`json_serialize_sql`), which is checked before the
 * statement is bound (binding an `EXPORT` already creates its folder), and the bound statement's
 * type must be `SELECT`.
 * @returns the prepared SELECT, or what the query is instead (`2 statements`, `not a SELECT statement`, `a COPY statement`)
 * @throws DuckDB's error for a query that does not parse or bind
 */
export async function prepareSelect(
  connection: DuckDBConnection,
  sql: string,
): Promise<PreparedSelect | { refused: string }> {
  const extracted = await connection.extractStatements(sql);
  if (extracted.count !== 1) return { refused: `${extracted.count} statements` };
  if (!(await parsesAsSelect(connection, sql))) return { refused: 'not a SELECT statement' };
  const prepared = await extracted.prepare(0);
  const { StatementType } = await duckdb();
  if (prepared.statementType !== StatementType.SELECT) {
    prepared.destroySync();
    return { refused: `a ${StatementType[prepared.statementType]} statement` };
  }
  return {
    run: async () => tableOf(await prepared.runAndReadAll()),
    close: () => prepared.destroySync(),
  };
}

/** True when DuckDB's parser reads `sql` as SELECT statements (it serializes nothing else). */
async function parsesAsSelect(connection: DuckDBConnection, sql: string): Promise<boolean> {
  const check = await connection.prepare('SELECT json_serialize_sql($1::VARCHAR) AS parsed');
  try {
    check.bindVarchar(1, sql);
    const [row] = (await check.runAndReadAll()).getRowObjectsJS();
    const parsed = JSON.parse(String(row?.parsed)) as { error?: unknown };
    return parsed.error === false;
  } finally {
    check.destroySync();
  }
}

function tableOf(reader: DuckDBResultReader): ColumnTable {
  const names = reader.deduplicatedColumnNames();
  const columns = reader.getColumnsJS();
  const data: Record<string, unknown[]> = {};
  names.forEach((name, i) => {
    data[name] = (columns[i] ?? []).map(fromSqlValue);
  });
  return arquero().table(data, names);
}
