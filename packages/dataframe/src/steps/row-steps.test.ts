import { table } from 'arquero';
import { describe, expect, it } from 'vitest';
import { dedupe, derive, filterRows, head, sample, sort } from './row-steps.js';
import { fixtures, runStep } from './test-kit.js';

describe('filter_rows', () => {
  it('keeps rows where the expression holds; null compares false', async () => {
    expect((await runStep(filterRows, fixtures.unicode(), { where: 'd.value > 0.2' })).array('name')).toEqual([
      'Zürich',
      'São Paulo 🌎',
    ]);
    expect((await runStep(filterRows, fixtures.allNull(), { where: 'd.value > 0.2' })).numRows()).toBe(0);
    expect((await runStep(filterRows, fixtures.empty(), { where: 'd.value > 0.2' })).columnNames()).toEqual([
      'id',
      'name',
      'value',
    ]);
    expect((await runStep(filterRows, fixtures.unicode(), { where: "op.includes(d.name, '京')" })).array('id')).toEqual(
      [2],
    );
  });

  it('coerces text with op.parse_float, and compares text with a number as JavaScript does', async () => {
    const out = await runStep(filterRows, fixtures.coercion(), { where: 'op.parse_float(d.value) >= 0.5' });
    expect(out.array('id')).toEqual(['1', '3']);
    // "0.5" > 0.2 and "3" > 0.2 hold; "N/A" reads as NaN.
    const direct = await runStep(filterRows, fixtures.coercion(), { where: 'd.value > 0.2 && d.id !== "3"' });
    expect(direct.array('id')).toEqual(['1']);
    // A comparison with null is not true (SQL), where JavaScript has null > -1: the rows are dropped.
    expect((await runStep(filterRows, fixtures.allNull(), { where: 'd.value > -1' })).numRows()).toBe(0);
    expect((await runStep(filterRows, fixtures.allNull(), { where: '!(d.value > -1)' })).numRows()).toBe(0);
    expect((await runStep(filterRows, fixtures.allNull(), { where: 'd.value === null' })).numRows()).toBe(3);
    expect((await runStep(filterRows, fixtures.allNull(), { where: 'd.value == null' })).numRows()).toBe(3);
  });

  it('rejects an expression that does not parse in the params schema, and a missing column at run time', async () => {
    expect(filterRows.params.safeParse({ where: 'd.value >' }).success).toBe(false);
    await expect(runStep(filterRows, fixtures.unicode(), { where: 'd.price > 1' })).rejects.toMatchObject({
      code: 'COLUMN_NOT_FOUND',
      message: 'filter_rows: column "price" not found; available columns: id, name, value.',
    });
  });
});

describe('derive', () => {
  it('adds columns from expressions on every fixture', async () => {
    for (const make of Object.values(fixtures)) {
      const out = await runStep(derive, make(), { columns: { label: "d.name + '!'" } });
      expect(out.columnNames()).toEqual(['id', 'name', 'value', 'label']);
    }
    const out = await runStep(derive, fixtures.unicode(), { columns: { v2: 'd.value * 2 + 1' } });
    expect(out.array('v2')).toEqual([2, -1, 5]);
    const coerced = await runStep(derive, fixtures.coercion(), { columns: { value: 'op.parse_float(d.value)' } });
    expect(coerced.array('value')).toEqual([0.5, Number.NaN, 3]);
  });

  it('gives null for arithmetic on null (SQL), and coerces as JavaScript otherwise: numeric text as a number, + joins text', async () => {
    const spec = { columns: { v2: 'd.value * 2 + 1', joined: 'd.value + 1', fallback: '(d.value || 0) * 2 + 1' } };
    const nulls = await runStep(derive, fixtures.allNull(), spec);
    expect((nulls.objects() as Record<string, unknown>[]).map((row) => [row.v2, row.joined, row.fallback])).toEqual([
      [null, null, 1],
      [null, null, 1],
      [null, null, 1],
    ]);
    const text = await runStep(derive, fixtures.coercion(), spec);
    expect(text.array('v2')).toEqual([2, Number.NaN, 7]);
    expect(text.array('joined')).toEqual(['0.51', 'N/A1', '31']);
    expect((await runStep(derive, fixtures.empty(), spec)).columnNames()).toEqual([
      'id',
      'name',
      'value',
      'v2',
      'joined',
      'fallback',
    ]);
  });
});

describe('sort', () => {
  it('sorts by several keys, ascending or descending; unicode strings by code unit', async () => {
    const df = table({ g: ['b', 'a', 'b', 'a'], v: [1, 2, 3, null] });
    const out = await runStep(sort, df, { by: ['g', { column: 'v', descending: true }] });
    expect(out.objects()).toEqual([
      { g: 'a', v: 2 },
      { g: 'a', v: null },
      { g: 'b', v: 3 },
      { g: 'b', v: 1 },
    ]);
    expect((await runStep(sort, fixtures.unicode(), { by: ['name'] })).array('id')).toEqual([3, 1, 2]);
    expect((await runStep(sort, fixtures.empty(), { by: ['name'] })).numRows()).toBe(0);
    expect((await runStep(sort, fixtures.allNull(), { by: ['value'] })).numRows()).toBe(3);
    expect(
      (await runStep(sort, fixtures.coercion(), { by: [{ column: 'value', descending: true }] })).array('value'),
    ).toEqual(['N/A', '3', '0.5']);
  });
});

describe('dedupe', () => {
  it('keeps the first row of each key, all columns kept', async () => {
    const df = table({ k: ['ü', 'ü', null, null], v: [1, 2, 3, 4] });
    expect((await runStep(dedupe, df, { columns: ['k'] })).objects()).toEqual([
      { k: 'ü', v: 1 },
      { k: null, v: 3 },
    ]);
    expect((await runStep(dedupe, df, {})).numRows()).toBe(4);
    expect((await runStep(dedupe, fixtures.allNull(), { columns: ['value'] })).numRows()).toBe(1);
    expect((await runStep(dedupe, fixtures.empty(), {})).numRows()).toBe(0);
    expect((await runStep(dedupe, table({ n: [1, '1'] }), {})).numRows()).toBe(2);
    expect((await runStep(dedupe, fixtures.unicode(), { columns: ['name'] })).numRows()).toBe(3);
    expect((await runStep(dedupe, fixtures.coercion(), { columns: ['id'] })).array('id')).toEqual(['1', '2', '3']);
  });
});

describe('head and sample', () => {
  it('head keeps the first n rows', async () => {
    expect((await runStep(head, fixtures.unicode(), { n: 2 })).array('name')).toEqual(['Zürich', '東京']);
    expect((await runStep(head, fixtures.empty(), {})).numRows()).toBe(0);
    expect((await runStep(head, fixtures.allNull(), { n: 1 })).array('value')).toEqual([null]);
    expect((await runStep(head, fixtures.coercion(), { n: 2 })).array('value')).toEqual(['0.5', 'N/A']);
  });

  it('sample draws the same rows for the same seed and caps n at the row count', async () => {
    const df = table({ i: Array.from({ length: 100 }, (_, i) => i) });
    const a = await runStep(sample, df, { n: 10, seed: 7 });
    const b = await runStep(sample, df, { n: 10, seed: 7 });
    const c = await runStep(sample, df, { n: 10, seed: 8 });
    expect(a.array('i')).toEqual(b.array('i'));
    expect(a.array('i')).not.toEqual(c.array('i'));
    expect(new Set(a.array('i') as number[]).size).toBe(10);
    expect((await runStep(sample, fixtures.unicode(), { n: 10 })).numRows()).toBe(3);
    expect((await runStep(sample, fixtures.empty(), { n: 10 })).numRows()).toBe(0);
    expect((await runStep(sample, fixtures.allNull(), { n: 2 })).numRows()).toBe(2);
    expect((await runStep(sample, fixtures.coercion(), { n: 3 })).array('value').sort()).toEqual(['0.5', '3', 'N/A']);
  });
});
