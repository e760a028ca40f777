// The rows of a CSV source in a query. Until DuckDB reads CSV files with exactly the JavaScript
// reader's kinds (csvRelation), a CSV source is read by that reader and loaded into the connection.
import type { DuckDBConnection } from '@duckdb/node-api';
import { readCsvFile } from '../csv/csv-reader.js';
import { loadTable, quoteIdentifier } from '../duckdb/duckdb-tables.js';
import type { LazySource } from './lazy-plan.js';

let loaded = 0;

/** A SELECT of the CSV source's rows, its columns in order with their types. */
export async function csvSourceSql(
  connection: DuckDBConnection,
  source: Extract<LazySource, { kind: 'csv' }>,
  signal?: AbortSignal,
): Promise<string> {
  const options = { delimiter: source.delimiter, nullValues: source.nullValues, displayName: source.display };
  const df = await readCsvFile(source.file.path, signal === undefined ? options : { ...options, signal });
  const name = `stepwise_source_${++loaded}`;
  await loadTable(connection, name, df);
  const columns = source.columns.map(
    (c) => `CAST(${quoteIdentifier(c.name)} AS ${c.type}) AS ${quoteIdentifier(c.name)}`,
  );
  return `SELECT ${columns.join(', ')} FROM ${quoteIdentifier(name)}`;
}
