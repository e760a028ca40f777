import { stat } from 'node:fs/promises';
import type { ColumnTable } from 'arquero';
import { readCsvFile } from '../csv/csv-reader.js';
import { type CsvRelationOptions, planCsvRelation } from './csv-relation.js';
import { openDuckDB } from './duckdb-tables.js';
import { materialize } from './materialize.js';

/** How {@link readCsvFast} reads a file. */
export interface ReadCsvFastOptions extends CsvRelationOptions {
  /** Files smaller than this are read by the JavaScript reader, faster than starting DuckDB (default 1 MiB; tests set 0). */
  minDuckDBBytes?: number;
}

const MIN_DUCKDB_BYTES = 1 << 20;

/**
 * Reads a whole CSV file into a table as `readCsvFile` does (the same columns, kinds, values, nulls
 * and row order; types inferred from every value unless given), with DuckDB's parallel reader: the
 * file's {@link planCsvRelation | typed relation} is materialized. A small file, or one DuckDB
 * cannot read as `readCsvFile` would (a bad row, invalid UTF-8, a single column...), is read by
 * `readCsvFile`, so every error names the file and line as before.
 * @param path the file's absolute path, resolved under the data root (DuckDB is confined to it)
 * @throws StepwiseError `CSV_INVALID` naming the file and line
 */
export async function readCsvFast(path: string, options: ReadCsvFastOptions = {}): Promise<ColumnTable> {
  const { size } = await stat(path);
  if (size < (options.minDuckDBBytes ?? MIN_DUCKDB_BYTES)) return readCsvFile(path, options);
  const { connection, close } = await openDuckDB(options.signal);
  try {
    // one scan: the kinds guessed from the first block are cast with guards, checked only if one fails
    const guarded = await planCsvRelation(connection, path, { ...options, guarded: true });
    if ('relation' in guarded) {
      try {
        const df = await materialize(connection, guarded.relation.sql, { signal: options.signal });
        if (guarded.rows === undefined || guarded.rows === df.numRows()) return df;
      } catch {
        // a value that does not fit its guessed kind, or a row DuckDB cannot read: the check tells
        options.signal?.throwIfAborted();
      }
    }
    const plan = await planCsvRelation(connection, path, options);
    if ('relation' in plan) return await materialize(connection, plan.relation.sql, { signal: options.signal });
  } finally {
    close();
  }
  return readCsvFile(path, options);
}
