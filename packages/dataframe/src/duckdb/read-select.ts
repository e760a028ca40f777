import type { DuckDBConnection } from '@duckdb/node-api';
import type { ColumnTable } from 'arquero';
import { duckdb, queryTable } from './duckdb-tables.js';
import { materializeResult } from './materialize.js';

/**
 * A SELECT's rows as a table, read vector by vector into columns (`materializeResult`, as a
 * pushed-down read materializes: about ten times faster than node-api's value-by-value
 * `getColumnsJS`), with the values `queryTable` gives. A result with a TIMESTAMP column is read by
 * `queryTable` itself: node-api rounds a pre-1970 timestamp's microseconds toward zero and refuses
 * one out of a Date's range, where the columnar reader floors and gives an invalid Date.
 * @throws DuckDB's error for a query that does not bind or fails
 */
export async function readSelect(
  connection: DuckDBConnection,
  sql: string,
  signal?: AbortSignal,
): Promise<ColumnTable> {
  const prepared = await connection.prepare(sql);
  try {
    const { DuckDBTypeId } = await duckdb();
    for (let c = 0; c < prepared.columnCount; c++) {
      if (prepared.columnTypeId(c) === DuckDBTypeId.TIMESTAMP) return await queryTable(connection, sql);
    }
    return await materializeResult(await prepared.run(), { signal });
  } finally {
    prepared.destroySync();
  }
}
