import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDataRoot } from '../steps/test-kit.js';
import { openDuckDB, queryTable } from './duckdb-tables.js';
import { materialize } from './materialize.js';

let duck: Awaited<ReturnType<typeof openDuckDB>>;
beforeAll(async () => {
  tempDataRoot();
  duck = await openDuckDB();
});
afterAll(() => duck.close());

const plain = (values: ArrayLike<unknown>) =>
  Array.from(values, (v) => (v instanceof Date ? `date:${v.getTime()}` : v));

describe('materialize', () => {
  it('gives the values queryTable gives, for every type, over many chunks', async () => {
    const sql = `SELECT
        CASE WHEN i % 7 = 0 THEN NULL ELSE i / 4 END::DOUBLE AS d,
        i::INTEGER AS n, (i - 2500)::SMALLINT AS s, (i % 200)::UTINYINT AS u, (i / 3)::FLOAT AS f,
        CASE WHEN i = 3 THEN 9007199254740993 ELSE i * 1000000000 END::BIGINT AS big,
        CASE WHEN i % 5 = 0 THEN NULL ELSE i % 2 = 0 END AS b,
        CASE WHEN i % 9 = 0 THEN NULL ELSE epoch_ms(i * 86400000 * 37 - 62167219200000) END AS t,
        DATE '1970-01-01' + (i - 2000)::INTEGER AS day,
        CASE WHEN i % 11 = 0 THEN NULL WHEN i % 3 = 0 THEN 'g' || (i % 100)::VARCHAR
             WHEN i % 3 = 1 THEN 'héllo wörld 🌍 ' || i::VARCHAR ELSE 'a longer string than twelve ' || i::VARCHAR END AS str,
        (i / 8)::DECIMAL(10, 2) AS dec, [i, i + 1] AS list
      FROM range(5000) t(i) ORDER BY i`;
    const expected = await queryTable(duck.connection, sql);
    const actual = await materialize(duck.connection, sql);
    expect(actual.columnNames()).toEqual(expected.columnNames());
    expect(actual.numRows()).toBe(5000);
    for (const name of expected.columnNames()) {
      expect([name, plain(actual.array(name) as ArrayLike<unknown>)]).toEqual([
        name,
        plain(expected.array(name) as ArrayLike<unknown>),
      ]);
    }
    expect(actual.column('n')).toBeInstanceOf(Float64Array);
    expect(Array.isArray(actual.column('d'))).toBe(true);
    expect(typeof (actual.array('big') as unknown[])[3]).toBe('bigint');
  });

  it('gives one string for equal short strings, and an empty table its columns', async () => {
    const df = await materialize(duck.connection, "SELECT 'g' || (i % 3)::VARCHAR AS g FROM range(10) t(i)");
    const values = df.array('g') as string[];
    expect(values.slice(0, 4)).toEqual(['g0', 'g1', 'g2', 'g0']);
    const empty = await materialize(duck.connection, 'SELECT 1::DOUBLE AS x, 2 AS y WHERE false');
    expect(empty.columnNames()).toEqual(['x', 'y']);
    expect(empty.numRows()).toBe(0);
  });

  it('keeps -0, NaN and infinities of DOUBLE columns', async () => {
    const df = await materialize(
      duck.connection,
      "SELECT * FROM (VALUES ('-0'::DOUBLE), ('nan'::DOUBLE), ('-inf'::DOUBLE)) t(x)",
    );
    const x = Array.from(df.column('x') as Float64Array);
    expect(Object.is(x[0], -0)).toBe(true);
    expect(x.slice(1)).toEqual([Number.NaN, Number.NEGATIVE_INFINITY]);
  });

  it("gives queryTable's Dates for TIMESTAMPs with microseconds, before and after 1970 and past 2^52 µs", async () => {
    const sql = `SELECT CASE WHEN i % 17 = 0 THEN NULL
        WHEN i % 2 = 0 THEN make_timestamp((i - 3000) * 251)
        ELSE make_timestamp((i - 3000) * 2002399751580331 + i) END AS t FROM range(6000) t(i)`;
    const expected = await queryTable(duck.connection, sql);
    const actual = await materialize(duck.connection, sql);
    expect(plain(actual.array('t') as ArrayLike<unknown>)).toEqual(plain(expected.array('t') as ArrayLike<unknown>));
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(materialize(duck.connection, 'SELECT 1', { signal: controller.signal })).rejects.toThrow();
  });
});
