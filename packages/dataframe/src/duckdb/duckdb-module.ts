// DuckDB's module, loaded on first use, and the quoting of SQL names and texts.
import { createRequire } from 'node:module';

/** A double-quoted SQL identifier. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A single-quoted SQL string literal. */
export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

let loaded: Promise<typeof import('@duckdb/node-api')> | undefined;

/**
 * DuckDB's module, loaded when the first SQL or Parquet step runs. It is CommonJS: `require` loads it
 * in about half the time `import()` takes, which first scans each of its ~180 files for its exports.
 */
export function duckdb(): Promise<typeof import('@duckdb/node-api')> {
  loaded ??= Promise.resolve().then(
    () => createRequire(import.meta.url)('@duckdb/node-api') as typeof import('@duckdb/node-api'),
  );
  return loaded;
}
