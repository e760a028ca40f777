import { StepwiseError, stepType } from '@stepwise/core';
import { ColumnTable } from 'arquero';
import { z } from 'zod';
import { loadTable, openDuckDB, queryTable } from '../duckdb/duckdb-tables.js';

/** Error code of a SQL query DuckDB rejects. */
export const SQL_FAILED = 'SQL_FAILED';

/** Runs a DuckDB query over the step's input tables (by input name) and files under the data root. */
export const sql = stepType(
  {
    slug: 'sql',
    name: 'SQL (DuckDB)',
    description:
      'Run a DuckDB SQL query. The primary input is the table "input"; every other named DataFrame input is a table of its name. Files under the data root are read through data_file(), e.g. read_parquet(data_file(\'data/x.parquet\')), or by absolute path; paths outside the root are refused.',
    params: z.object({
      query: z
        .string()
        .min(1)
        .describe('A DuckDB SELECT, e.g. SELECT region, sum(quantity) FROM input GROUP BY region.'),
    }),
    inputType: 'DataFrame',
    outputType: 'DataFrame',
    metadata: { category: 'sql' },
    // a query may read files (data_file()) and call random() or now(): its key cannot cover them
    cacheable: false,
  },
  async (df, params, ctx) => {
    const db = await openDuckDB(ctx.signal);
    try {
      const tables: Record<string, unknown> = { ...(ctx.inputs ?? {}), input: df };
      for (const [name, value] of Object.entries(tables)) {
        if (value instanceof ColumnTable) await loadTable(db.connection, name, value);
      }
      // an abort while the tables loaded found no query to interrupt: start none
      if (ctx.signal?.aborted) {
        throw new StepwiseError(SQL_FAILED, 'sql: Interrupted before the query started (the step was cancelled).', {
          cause: ctx.signal.reason,
        });
      }
      return await queryTable(db.connection, params.query).catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        throw new StepwiseError(SQL_FAILED, `sql: DuckDB rejected the query: ${message}`, { cause: error });
      });
    } finally {
      db.close();
    }
  },
);
