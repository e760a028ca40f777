import { mkdtemp, readFile, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ColumnTable } from 'arquero';
import { openDuckDB, quoteLiteral } from './duckdb-tables.js';
import { loadTableByColumns } from './load-columns.js';

/**
 * A DataFrame as the bytes of a Parquet file (through DuckDB, into a private temporary folder that
 * is removed after): what a server sends for a download, without a file under the data root.
 * @example const bytes = await toParquetBytes(df); // Uint8Array starting with "PAR1"
 */
export async function toParquetBytes(
  df: ColumnTable,
  options: { compression?: 'snappy' | 'zstd' | 'gzip' | 'uncompressed'; signal?: AbortSignal } = {},
): Promise<Uint8Array> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), 'stepwise-parquet-')));
  try {
    const path = join(dir, 'data.parquet');
    const db = await openDuckDB(options.signal, dir);
    try {
      await loadTableByColumns(db.connection, 'input', df);
      await db.connection.run(
        `COPY input TO ${quoteLiteral(path)} (FORMAT parquet, COMPRESSION ${quoteLiteral(options.compression ?? 'snappy')})`,
      );
    } finally {
      db.close();
    }
    return new Uint8Array(await readFile(path));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
