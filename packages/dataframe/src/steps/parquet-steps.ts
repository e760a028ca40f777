import { stepType } from '@stepwise/core/define';
import type { ColumnTable } from 'arquero';
import { z } from 'zod';
import { checkColumnNames } from '../data-type/column-names.js';
import { resolveInputPath } from '../files/data-root.js';
import { writeDataFile } from '../files/write-data-file.js';
import { LazyFrame } from '../pushdown/lazy-frame.js';
import { pushdownConfig } from '../pushdown/pushdown-config.js';
import { noteWrittenFile } from './shape-checks.js';
import { contentHashSchema, fileReference, pathFiles, pathSchema, READS_PATH, WRITES_PATH } from './step-helpers.js';

/** Reads a Parquet file (through DuckDB) into a DataFrame. */
export const readParquet = stepType(
  {
    slug: 'read_parquet',
    name: 'Read Parquet',
    description: 'Read a Parquet file into a table (through DuckDB). BIGINT values that fit a double become numbers.',
    params: z.object({
      path: pathSchema('The Parquet file to read.'),
      columns: z.array(z.string().min(1)).optional().describe('Read only these columns (default: all).'),
      contentHash: contentHashSchema,
    }),
    outputType: 'DataFrame',
    metadata: READS_PATH,
    // Only the columns asked for are known without reading the file's footer.
    infer: ({ columns }) => ({ shape: columns ? { columns } : undefined }),
    files: pathFiles,
  },
  async (_input, params, ctx) => {
    const path = await resolveInputPath(params.path);
    // DuckDB's helpers load when the step first runs, not with the package
    const { openDuckDB, quoteIdentifier, quoteLiteral } = await import('../duckdb/duckdb-tables.js');
    const db = await openDuckDB(ctx.signal);
    try {
      const list = params.columns ? params.columns.map(quoteIdentifier).join(', ') : '*';
      const select = `SELECT ${list} FROM read_parquet(${quoteLiteral(path)})`;
      if (pushdownConfig().enabled) {
        const { lazyParquet } = await import('../pushdown/lazy-sources.js');
        const lazy = await lazyParquet(db.connection, { path, display: params.path, select });
        if (lazy) {
          checkColumnNames(lazy.columnNames(), params.path);
          return lazy as unknown as ColumnTable;
        }
      }
      // vector by vector into columns, as a pushed-down read materializes (node-api's value-by-value
      // getColumnsJS is about ten times slower), with the values queryTable gives
      const { materialize } = await import('../duckdb/materialize.js');
      const table = await materialize(db.connection, select, { signal: ctx.signal });
      checkColumnNames(table.columnNames(), params.path);
      return table;
    } finally {
      db.close();
    }
  },
);

/** Writes a DataFrame as Parquet (through DuckDB) and outputs a reference to the file. */
export const writeParquet = stepType(
  {
    slug: 'write_parquet',
    name: 'Write Parquet',
    description:
      'Write the table as a Parquet file (through DuckDB; numbers as DOUBLE, dates as TIMESTAMP) and output a FileReference to it.',
    params: z.object({
      path: pathSchema('The Parquet file to write (replaced if it exists).'),
      compression: z
        .enum(['snappy', 'zstd', 'gzip', 'uncompressed'])
        .default('snappy')
        .describe('The compression codec of the column chunks.'),
    }),
    inputType: 'DataFrame',
    outputType: 'FileReference',
    metadata: WRITES_PATH,
    infer: ({ path }, _inputs, context) => noteWrittenFile(context, path),
    lazyInput: true,
  },
  async (df, params, ctx) => {
    const { openDuckDB, quoteLiteral } = await import('../duckdb/duckdb-tables.js');
    const options = `FORMAT parquet, COMPRESSION ${quoteLiteral(params.compression)}`;
    const input = df as ColumnTable | LazyFrame;
    const path = await writeDataFile(params.path, async (file) => {
      // a pushed-down chain ends here: its one query writes the file, no row enters JavaScript
      if (input instanceof LazyFrame) {
        const { copyPlan } = await import('../pushdown/run-lazy.js');
        return copyPlan(input.plan, file, options, ctx.signal);
      }
      const db = await openDuckDB(ctx.signal);
      try {
        const { loadTableByColumns } = await import('../duckdb/load-columns.js');
        await loadTableByColumns(db.connection, 'input', input);
        await db.connection.run(`COPY input TO ${quoteLiteral(file)} (${options})`);
      } finally {
        db.close();
      }
    });
    return fileReference(path, 'application/vnd.apache.parquet');
  },
);
