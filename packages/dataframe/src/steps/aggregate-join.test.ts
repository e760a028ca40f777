import { type ColumnTable, table } from 'arquero';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../../examples/data/mulberry32.js';
import { loadTable, openDuckDB, queryTable } from '../duckdb/duckdb-tables.js';
import { aggregate } from './aggregate-step.js';
import { cleanNulls } from './cleaning-steps.js';
import { join } from './join-step.js';
import { derive, filterRows } from './row-steps.js';
import { fixtures, runStep } from './test-kit.js';

let db: Awaited<ReturnType<typeof openDuckDB>>;
beforeAll(async () => {
  db = await openDuckDB();
});
afterAll(() => db.close());

/** Rows as sorted JSON lines, numbers rounded: order-free comparison with DuckDB. */
function canonical(df: ColumnTable): string[] {
  return (df.objects() as Record<string, unknown>[])
    .map((row) =>
      JSON.stringify(
        Object.keys(row)
          .sort()
          .map((k) => [k, typeof row[k] === 'number' ? Number((row[k] as number).toPrecision(12)) : (row[k] ?? null)]),
      ),
    )
    .sort();
}

const random = mulberry32(1);
const sales = table({
  region: Array.from({ length: 500 }, () => ['north', 'süd', 'east', null][Math.floor(random() * 4)] ?? null),
  product: Array.from({ length: 500 }, () => `p${Math.floor(random() * 7)}`),
  qty: Array.from({ length: 500 }, () => (random() < 0.1 ? null : Math.floor(random() * 20) - 2)),
  price: Array.from({ length: 500 }, () => Math.round(random() * 10000) / 100),
});

describe('aggregate', () => {
  it('matches DuckDB for count, sum, mean, min, max and distinct_count by group (nulls ignored, null groups kept)', async () => {
    const out = await runStep(aggregate, sales, {
      groupBy: ['region'],
      aggregates: [
        { op: 'count', as: 'n' },
        { op: 'count', column: 'qty', as: 'n_qty' },
        { op: 'sum', column: 'qty', as: 's' },
        { op: 'mean', column: 'price', as: 'm' },
        { op: 'min', column: 'qty', as: 'lo' },
        { op: 'max', column: 'price', as: 'hi' },
        { op: 'distinct_count', column: 'product', as: 'dp' },
      ],
    });
    await loadTable(db.connection, 'sales_agg', sales);
    const expected = await queryTable(
      db.connection,
      `SELECT region, count(*) AS n, count(qty) AS n_qty, sum(qty) AS s, avg(price) AS m, min(qty) AS lo,
              max(price) AS hi, count(DISTINCT product) AS dp FROM sales_agg GROUP BY region`,
    );
    expect(canonical(out)).toEqual(canonical(expected));
  });

  it('gives one row for the whole table without groupBy, nulls for empty aggregates, like DuckDB', async () => {
    const spec = { aggregates: [{ op: 'count' }, { op: 'sum', column: 'value' }, { op: 'mean', column: 'value' }] };
    expect((await runStep(aggregate, fixtures.empty(), spec)).objects()).toEqual([
      { count: 0, sum_value: null, mean_value: null },
    ]);
    expect((await runStep(aggregate, fixtures.allNull(), spec)).objects()).toEqual([
      { count: 3, sum_value: null, mean_value: null },
    ]);
    const unicode = await runStep(aggregate, fixtures.unicode(), {
      groupBy: ['name'],
      aggregates: [{ op: 'max', column: 'value' }],
    });
    expect(unicode.objects()[1]).toEqual({ name: '東京', max_value: -1 });
    const text = await runStep(aggregate, fixtures.coercion(), {
      aggregates: [{ op: 'distinct_count', column: 'value' }],
    });
    expect(text.objects()).toEqual([{ distinct_count_value: 3 }]);
  });

  it('takes the typed-array path for the W2 steps and still matches DuckDB (unicode and null groups)', async () => {
    const rows = 3000;
    const data = table({
      grp: Array.from({ length: rows }, () => ['north', 'süd', '東京', null][Math.floor(random() * 4)] ?? null),
      value: Array.from({ length: rows }, () => (random() < 0.1 ? null : random() * 2 - 1)),
    });
    let df = await runStep(cleanNulls, data, { threshold: 0, columns: ['value'] });
    df = await runStep(filterRows, df, { where: 'd.value > 0.2' });
    df = await runStep(derive, df, { columns: { value2: 'd.value * 2 + 1' } });
    expect(df.column('value2')).toBeInstanceOf(Float64Array);
    const aggregates = [
      { op: 'count', as: 'n' },
      { op: 'mean', column: 'value2', as: 'm' },
      { op: 'sum', column: 'value', as: 's' },
      { op: 'min', column: 'value2', as: 'lo' },
      { op: 'max', column: 'value', as: 'hi' },
    ];
    const grouped = await runStep(aggregate, df, { groupBy: ['grp'], aggregates });
    const whole = await runStep(aggregate, df, { aggregates });
    await loadTable(db.connection, 'w2', data);
    const select = `count(*) AS n, avg(value * 2 + 1) AS m, sum(value) AS s, min(value * 2 + 1) AS lo, max(value) AS hi
      FROM w2 WHERE value IS NOT NULL AND value > 0.2`;
    expect(canonical(grouped)).toEqual(
      canonical(await queryTable(db.connection, `SELECT grp, ${select} GROUP BY grp`)),
    );
    expect(canonical(whole)).toEqual(canonical(await queryTable(db.connection, `SELECT ${select}`)));
  });

  it('reads text as numbers in sum and mean, as Arquero does', async () => {
    const out = await runStep(aggregate, fixtures.coercion(), {
      aggregates: [
        { op: 'sum', column: 'id' },
        { op: 'mean', column: 'id' },
      ],
    });
    expect(out.objects()).toEqual([{ sum_id: 6, mean_id: 2 }]);
  });

  it('requires a column for ops other than count', () => {
    const result = aggregate.params.safeParse({ aggregates: [{ op: 'sum' }] });
    expect(result.error?.issues[0]?.path).toEqual(['aggregates', 0, 'column']);
  });
});

describe('join', () => {
  const left = table({ id: [1, 2, 2, 3, null], k: ['a', 'b', 'b', 'c', 'd'], v: [10, 20, 21, 30, 40] });
  const right = table({ id: [2, 3, 4, null], k: ['b', 'x', 'd', 'd'], w: ['zwei', 'drei', 'vier', 'null'] });

  it.each(['inner', 'left', 'right', 'full'] as const)('%s join on two keys matches DuckDB', async (how) => {
    const out = await runStep(join, left, { on: ['id', 'k'], how }, { right });
    await loadTable(db.connection, `l_${how}`, left);
    await loadTable(db.connection, `r_${how}`, right);
    const sqlHow = how === 'full' ? 'FULL OUTER' : how.toUpperCase();
    const expected = await queryTable(
      db.connection,
      `SELECT coalesce(l.id, r.id) AS id, coalesce(l.k, r.k) AS k, l.v, r.w
       FROM l_${how} l ${sqlHow} JOIN r_${how} r ON l.id = r.id AND l.k = r.k`,
    );
    expect(canonical(out)).toEqual(canonical(expected));
  });

  it('suffixes clashing columns and keeps left columns first', async () => {
    const out = await runStep(join, left, { on: 'id', how: 'left' }, { right });
    expect(out.columnNames()).toEqual(['id', 'k_left', 'v', 'k_right', 'w']);
    expect(out.numRows()).toBe(5);
  });

  it('handles empty tables, all-null keys, unicode keys and keys of different types', async () => {
    expect((await runStep(join, fixtures.empty(), { on: 'id' }, { right: fixtures.unicode() })).numRows()).toBe(0);
    expect(
      (await runStep(join, fixtures.unicode(), { on: 'id', how: 'left' }, { right: fixtures.empty() })).numRows(),
    ).toBe(3);
    expect((await runStep(join, fixtures.allNull(), { on: 'value' }, { right: fixtures.allNull() })).numRows()).toBe(0);
    const names = await runStep(join, fixtures.unicode(), { on: 'name' }, { right: fixtures.unicode() });
    expect(names.array('name')).toEqual(['Zürich', '東京', 'São Paulo 🌎']);
    // '1' (text) never equals 1 (number): cast first.
    expect((await runStep(join, fixtures.coercion(), { on: 'id' }, { right: fixtures.unicode() })).numRows()).toBe(0);
  });

  it('fails clearly without the right input or with a missing key', async () => {
    await expect(runStep(join, left, { on: 'id' })).rejects.toMatchObject({ code: 'INPUT_MISSING' });
    await expect(runStep(join, left, { on: 'w' }, { right })).rejects.toMatchObject({
      code: 'COLUMN_NOT_FOUND',
      message: expect.stringContaining('join (left table)'),
    });
  });
});
