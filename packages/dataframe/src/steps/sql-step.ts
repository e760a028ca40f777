import { StepwiseError, stepType } from '@stepwise/core';
import type { ColumnTable } from 'arquero';
import { z } from 'zod';
import { DataFrameType } from '../data-type/dataframe-type.js';
import { loadTable, openDuckDB, prepareSelect } from '../duckdb/duckdb-tables.js';
import { filesConfig } from '../files/data-root.js';

/** Error code of a SQL query DuckDB rejects. */
export const SQL_FAILED = 'SQL_FAILED';

/** Runs a DuckDB query over the step's input tables (by input name) and files under the data root. */
export const sql = stepType(
  {
    slug: 'sql',
    name: 'SQL (DuckDB)',
    description:
      'Run one read-only DuckDB SELECT. The primary input is the table "input"; every other named DataFrame input is a table of its name. Files under the data root are read through data_file(), e.g. read_parquet(data_file(\'data/x.parquet\')), or by absolute path; paths outside the root are refused. Statements that write, load, attach or configure (COPY, EXPORT, ATTACH, INSTALL, LOAD, SET, PRAGMA, CREATE, INSERT, ...) are refused.',
    params: z.object({
      query: z
        .string()
        .min(1)
        .describe('One DuckDB SELECT, e.g. SELECT region, sum(quantity) FROM input GROUP BY region.'),
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
        if (DataFrameType.is(value)) await loadTable(db.connection, name, value);
      }
      // an abort while the tables loaded found no query to interrupt: start none
      if (ctx.signal?.aborted) {
        throw new StepwiseError(SQL_FAILED, 'sql: Interrupted before the query started (the step was cancelled).', {
          cause: ctx.signal.reason,
        });
      }
      return await runSelect(db.connection, params.query);
    } finally {
      db.close();
    }
  },
);

const READ_ONLY = 'the sql step runs a single read-only SELECT';

/**
 * Runs `query` when DuckDB sees exactly one SELECT; anything else (COPY, EXPORT, ATTACH, INSTALL,
 * LOAD, SET, PRAGMA, CREATE, INSERT, several statements) is refused before it is bound or run.
 * @throws StepwiseError `SQL_FAILED`
 */
async function runSelect(connection: Parameters<typeof prepareSelect>[0], query: string): Promise<ColumnTable> {
  const prepared = await prepareSelect(connection, query).catch((error: unknown) => {
    throw rejected(error);
  });
  if ('refused' in prepared) {
    throw new StepwiseError(
      SQL_FAILED,
      `sql: Refused: ${READ_ONLY} (WITH ... SELECT, FROM ..., DESCRIBE and SUMMARIZE are SELECTs too), and nothing that writes, loads, attaches or configures; the query is ${prepared.refused}.`,
      { details: { refused: prepared.refused } },
    );
  }
  try {
    return await prepared.run().catch((error: unknown) => {
      throw rejected(error);
    });
  } finally {
    prepared.close();
  }
}

/** DuckDB's error as the step's: a file access it refused says where files may be. */
function rejected(error: unknown): StepwiseError {
  const message = error instanceof Error ? error.message : String(error);
  if (/^Permission Error/.test(message)) {
    const { dataRoot } = filesConfig();
    return new StepwiseError(
      SQL_FAILED,
      `sql: DuckDB refused a file outside the data root "${dataRoot}" (${message.split('\n')[0]}); ${READ_ONLY}, reading files under the data root only, e.g. read_csv(data_file('path/under/root.csv')).`,
      { cause: error },
    );
  }
  return new StepwiseError(SQL_FAILED, `sql: DuckDB rejected the query: ${message}`, { cause: error });
}
