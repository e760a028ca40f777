// What the package's entry exports from modules that load DuckDB's helpers and the pushdown runner:
// a function that imports its module when first called, and constants of their own, so that
// importing the package (the CLI, the server, a worker thread) does not load them.
import type { ColumnTable } from 'arquero';

/**
 * A DataFrame as the bytes of a Parquet file (through DuckDB, into a private temporary folder that
 * is removed after): what a server sends for a download, without a file under the data root.
 * @example const bytes = await toParquetBytes(df); // Uint8Array starting with "PAR1"
 */
export async function toParquetBytes(
  df: ColumnTable,
  options: { compression?: 'snappy' | 'zstd' | 'gzip' | 'uncompressed'; signal?: AbortSignal } = {},
): Promise<Uint8Array> {
  const { toParquetBytes: write } = await import('../duckdb/parquet-bytes.js');
  return write(df, options);
}

/** Error codes of pushed-down steps (the ones `pushdown/run-lazy.ts` throws; a test keeps them equal). */
export const PushdownErrorCode = {
  /** A source file changed (size or modification time) since the lazy table was made. */
  SOURCE_CHANGED: 'SOURCE_CHANGED',
  /** DuckDB failed running the pushed-down steps. */
  PUSHDOWN_FAILED: 'PUSHDOWN_FAILED',
  /** A CSV file's kinds, guessed from its first block, do not hold, and the lazy value was made in another process. */
  KINDS_GUESSED_WRONG: 'KINDS_GUESSED_WRONG',
} as const;
