// The reading steps' lazy tables: a source file's fingerprint and columns, read from its header (a
// Parquet footer), no rows.
import { stat } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
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
