import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDB, queryTable, quoteLiteral } from '../duckdb/duckdb-tables.js';
import { resetFilesConfig } from '../files/data-root.js';
import { configurePushdown, resetPushdownConfig } from '../pushdown/pushdown-config.js';
import { readParquet } from './parquet-steps.js';
import { runStep, tempDataRoot } from './test-kit.js';

let root: string;
beforeAll(() => {
  root = tempDataRoot();
  configurePushdown({ enabled: false });
});
afterAll(() => {
  resetFilesConfig();
  resetPushdownConfig();
});

/** Writes a Parquet file from a SELECT, and answers what node-api's value-by-value reading gives for it. */
async function parquet(name: string, select: string) {
  const db = await openDuckDB();
  try {
    const path = join(root, name);
    await db.connection.run(`COPY (${select}) TO ${quoteLiteral(path)} (FORMAT parquet)`);
    return await queryTable(db.connection, `SELECT * FROM read_parquet(${quoteLiteral(path)})`);
  } finally {
    db.close();
  }
}

const TYPES = `SELECT * FROM (VALUES
  (1.5::DOUBLE, 'nan'::DOUBLE, 1::INTEGER, 9007199254740993::BIGINT, true, 'short', 'a string longer than twelve bytes', DATE '1969-12-31', 0.25::FLOAT, 1.25::DECIMAL(9,2), [1, 2], -0.0::DOUBLE),
  (NULL, 2, NULL, 3::BIGINT, NULL, NULL, 'ü', NULL, NULL, NULL, NULL, 3),
  (-2, NULL, -7, NULL, false, '', 'x', DATE '2024-02-29', -1, -3.5, [], 4)
) t(d, n, i, b, f, s, l, day, r, m, list, z)`;

describe('read_parquet, not pushed down', () => {
  it('reads every column type as node-api value by value does (numbers, BigInts, text, dates, lists, nulls)', async () => {
    const expected = await parquet('types.parquet', TYPES);
    const df = await runStep(readParquet, undefined, { path: 'types.parquet' });
    expect(df.columnNames()).toEqual(expected.columnNames());
    expect(df.objects()).toEqual(expected.objects());
    const only = await runStep(readParquet, undefined, { path: 'types.parquet', columns: ['z', 'b'] });
    expect(only.objects()).toEqual(expected.select('z', 'b').objects());
  });

  it('reads TIMESTAMPs as before: rounded toward zero before 1970 (-500 µs is 1970-01-01)', async () => {
    const expected = await parquet(
      'ts.parquet',
      "SELECT * FROM (VALUES (TIMESTAMP '1969-12-31 23:59:59.9995', 1), (TIMESTAMP '2024-01-02 03:04:05.0067', 2)) t(ts, k)",
    );
    const df = await runStep(readParquet, undefined, { path: 'ts.parquet' });
    expect(df.objects()).toEqual(expected.objects());
    expect((df.array('ts') as Date[])[0]?.toISOString()).toBe('1970-01-01T00:00:00.000Z');
  });

  it("fails a missing file or column with DuckDB's message", async () => {
    await parquet('one.parquet', 'SELECT 1 AS a');
    await expect(runStep(readParquet, undefined, { path: 'one.parquet', columns: ['nope'] })).rejects.toThrow(/nope/);
  });
});
