import type { DuckDBConnection } from '@duckdb/node-api';
import type { ColumnTable } from 'arquero';
import { createTableFor, duckdb, type SqlType, toSqlValue } from './duckdb-tables.js';
import { type RawChunk, VectorWriter } from './vector-writes.js';

/** Rows per data chunk: DuckDB's vector size. */
const CHUNK_ROWS = 2048;

/**
 * `loadTable` column by column: the same table (types, values, nulls), but each data chunk is
 * filled a column at a time. DOUBLE, BOOLEAN and VARCHAR columns are built in JavaScript memory and
 * copied into the vector at once (a short string written into its entry, only a string over 12
 * bytes costing a native call); TIMESTAMP and BIGINT go through node-api's converter. What
 * write_parquet and toParquetBytes pay before DuckDB's COPY.
 */
export async function loadTableByColumns(connection: DuckDBConnection, name: string, df: ColumnTable): Promise<void> {
  const { names, columns, types } = await createTableFor(connection, name, df);
  const n = df.numRows();
  if (names.length === 0 || n === 0) return;
  const { DuckDBDataChunk, JSToDuckDBValueConverter } = await duckdb();
  const appender = await connection.createAppender(name);
  try {
    const duckTypes = names.map((_, c) => appender.columnType(c));
    const writer = new VectorWriter(CHUNK_ROWS);
    const values = new Array<unknown>(CHUNK_ROWS);
    for (let start = 0; start < n; start += CHUNK_ROWS) {
      const size = Math.min(CHUNK_ROWS, n - start);
      const chunk = DuckDBDataChunk.create(duckTypes, size);
      for (let c = 0; c < columns.length; c++) {
        const column = columns[c] as ArrayLike<unknown>;
        const type = types[c] as SqlType;
        const cell = (i: number) => toSqlValue(column[start + i], type) as never;
        if (type === 'DOUBLE' || type === 'BOOLEAN' || type === 'VARCHAR') {
          const vector = writer.vectorOf(chunk.chunk as RawChunk, c);
          if (type === 'DOUBLE') writer.doubles(vector, size, cell);
          else if (type === 'BOOLEAN') writer.booleans(vector, size, cell);
          else writer.strings(vector, size, cell);
        } else {
          values.length = size;
          for (let i = 0; i < size; i++) values[i] = cell(i);
          chunk.setColumnValuesConverted(c, values as never[], JSToDuckDBValueConverter);
        }
      }
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}
