// The reading steps' lazy tables: a source file's fingerprint and columns, read from its header (a
// Parquet footer), no rows.
import { stat } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { CsvColumnType } from '../csv/csv-columns.js';
import { type CsvRelationOptions, planCsvRelation } from '../duckdb/csv-relation.js';
import { LazyFrame } from './lazy-frame.js';
import type { FileFingerprint, LazyColumn, SqlType } from './lazy-plan.js';
import { namesFit } from './push-steps.js';

/** DuckDB types read as Stepwise's kinds with the same values (integers that always fit a double). */
const AS_SQL_TYPE: Record<string, SqlType> = {
  DOUBLE: 'DOUBLE',
  FLOAT: 'DOUBLE',
  INTEGER: 'DOUBLE',
  SMALLINT: 'DOUBLE',
  TINYINT: 'DOUBLE',
  UINTEGER: 'DOUBLE',
  USMALLINT: 'DOUBLE',
  UTINYINT: 'DOUBLE',
  VARCHAR: 'VARCHAR',
  BOOLEAN: 'BOOLEAN',
  TIMESTAMP: 'TIMESTAMP',
};

/** The file's size and modification time, to refuse running a plan over a changed file. */
export async function fingerprint(path: string): Promise<FileFingerprint> {
  const info = await stat(path);
  return { path, size: info.size, mtimeMs: info.mtimeMs };
}

/**
 * A lazy table over a Parquet file (`select` reads it, columns as asked), or undefined when one of
 * its columns has a type whose values read otherwise eagerly (BIGINT, DECIMAL, DATE, lists, ...).
 */
export async function lazyParquet(
  connection: DuckDBConnection,
  { path, display, select }: { path: string; display: string; select: string },
): Promise<LazyFrame | undefined> {
  const described = (await connection.runAndReadAll(`DESCRIBE ${select}`)).getRowObjectsJS();
  const columns: LazyColumn[] = [];
  for (const row of described) {
    const type = AS_SQL_TYPE[String(row.column_type)];
    if (type === undefined) return undefined;
    columns.push({ name: String(row.column_name), type });
  }
  if (!namesFit(columns)) return undefined;
  return new LazyFrame({ source: { kind: 'parquet', file: await fingerprint(path), display, columns }, ops: [] });
}

const SQL_TYPES: Record<CsvColumnType, SqlType> = {
  number: 'DOUBLE',
  string: 'VARCHAR',
  boolean: 'BOOLEAN',
  date: 'TIMESTAMP',
};

/**
 * A lazy table over a CSV file when DuckDB reads it exactly as the JavaScript reader does (kinds
 * found and checked against every value by `planCsvRelation`); undefined otherwise (a bad row,
 * invalid UTF-8, one column, ...: the JavaScript reader reads it, with its file:line errors).
 */
export async function lazyCsv(
  connection: DuckDBConnection,
  path: string,
  options: CsvRelationOptions & { delimiter: string; nullValues: string[]; displayName: string },
): Promise<LazyFrame | undefined> {
  const plan = await planCsvRelation(connection, path, options);
  if (!('relation' in plan)) return undefined;
  const columns = plan.relation.columns.map((c) => ({ name: c.name, type: SQL_TYPES[c.kind] }));
  if (!namesFit(columns)) return undefined;
  const source = {
    kind: 'csv' as const,
    file: await fingerprint(path),
    display: options.displayName,
    header: columns.map((c) => c.name),
    delimiter: options.delimiter,
    nullValues: options.nullValues,
    columns,
    ...(plan.relation.doubles === undefined ? {} : { doubles: plan.relation.doubles }),
  };
  return new LazyFrame({ source, ops: [] });
}
