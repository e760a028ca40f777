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

  it('reads TIMESTAMPs as node-api does: microseconds cut toward zero either side of 1970, far past and future, nulls, many chunks, pushed down or not', async () => {
    const expected = await parquet(
      'ts.parquet',
      `SELECT k, CASE WHEN k % 13 = 0 THEN NULL
          WHEN k % 3 = 0 THEN make_timestamp((k - 2500) * 337)
          WHEN k % 3 = 1 THEN make_timestamp((k - 2500) * 123456789012345 + k * 7)
          ELSE make_timestamp((k % 2 * 2 - 1) * (4503599627370496 + k * 1001)) END AS ts
        FROM range(5000) t(k)
        UNION ALL SELECT * FROM (VALUES (5000, TIMESTAMP '1969-12-31 23:59:59.9995'), (5001, TIMESTAMP '1969-12-31 23:59:59.9985'),
          (5002, TIMESTAMP '0001-01-01 00:00:00.000001'), (5003, TIMESTAMP '1500-06-01 12:00:00.9995'),
          (5004, TIMESTAMP '9999-12-31 23:59:59.999999'), (5005, TIMESTAMP '2024-01-02 03:04:05.0067')) v(k, ts)
        ORDER BY k`,
    );
    const df = await runStep(readParquet, undefined, { path: 'ts.parquet' });
    const times = (table: { array(name: string): unknown }) =>
      Array.from(table.array('ts') as ArrayLike<Date | null>, (d) => (d === null ? null : d.getTime()));
    expect(times(df)).toEqual(times(expected));
    const ts = df.array('ts') as (Date | null)[];
    expect(ts.slice(5000).map((d) => d?.toISOString())).toEqual([
      '1970-01-01T00:00:00.000Z',
      '1969-12-31T23:59:59.999Z',
      // before 1970 cutting toward zero rounds up: node-api's conversion, kept
      '0001-01-01T00:00:00.001Z',
      '1500-06-01T12:00:01.000Z',
      '9999-12-31T23:59:59.999Z',
      '2024-01-02T03:04:05.006Z',
    ]);
    configurePushdown({ enabled: true });
    try {
      expect(times(await runStep(readParquet, undefined, { path: 'ts.parquet' }))).toEqual(times(expected));
    } finally {
      configurePushdown({ enabled: false });
    }
  });

  it("fails a TIMESTAMP out of a Date's range with node-api's message", async () => {
    const db = await openDuckDB();
    try {
      const path = quoteLiteral(join(root, 'inf.parquet'));
      await db.connection.run(`COPY (SELECT 'infinity'::TIMESTAMP AS ts) TO ${path} (FORMAT parquet)`);
    } finally {
      db.close();
    }
    await expect(runStep(readParquet, undefined, { path: 'inf.parquet' })).rejects.toThrow(
      /^TIMESTAMP value out of range for JS Date: 9223372036854775807 micros$/,
    );
  });

  it("fails a missing file or column with DuckDB's message", async () => {
    await parquet('one.parquet', 'SELECT 1 AS a');
    await expect(runStep(readParquet, undefined, { path: 'one.parquet', columns: ['nope'] })).rejects.toThrow(/nope/);
  });
});
