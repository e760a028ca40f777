import { table } from 'arquero';
import { describe, expect, it } from 'vitest';
import { cleanNulls, fillNulls } from './cleaning-steps.js';
import { fixtures, runStep } from './test-kit.js';

describe('clean_nulls', () => {
  const df = table({ a: [1, null, null, Number.NaN], b: ['x', 'y', null, null], c: [true, null, null, null] });

  it('drops rows whose share of null cells exceeds the threshold (NaN counts as null)', async () => {
    expect((await runStep(cleanNulls, df, { threshold: 0 })).numRows()).toBe(1);
    expect((await runStep(cleanNulls, df, {})).array('b')).toEqual(['x']);
    expect((await runStep(cleanNulls, df, { threshold: 0.7 })).array('b')).toEqual(['x', 'y']);
    expect((await runStep(cleanNulls, df, { threshold: 1 })).numRows()).toBe(4);
  });

  it('works on a filtered, ordered view (as left by earlier steps)', async () => {
    const view = table({ a: [5, null, 3, null, 1], b: [1, 2, 3, 4, 5] })
      .filter('d.b > 1')
      .orderby('b');
    expect((await runStep(cleanNulls, view, { threshold: 0 })).objects()).toEqual([
      { a: 3, b: 3 },
      { a: 1, b: 5 },
    ]);
  });

  it('counts only the given columns', async () => {
    expect((await runStep(cleanNulls, df, { threshold: 0, columns: ['b'] })).array('b')).toEqual(['x', 'y']);
    await expect(runStep(cleanNulls, df, { columns: ['zz'] })).rejects.toMatchObject({ code: 'COLUMN_NOT_FOUND' });
  });

  it('handles the empty table, an all-null column, unicode and text values', async () => {
    expect((await runStep(cleanNulls, fixtures.empty(), {})).numRows()).toBe(0);
    expect((await runStep(cleanNulls, fixtures.allNull(), { threshold: 0.34 })).numRows()).toBe(3);
    expect((await runStep(cleanNulls, fixtures.allNull(), { threshold: 0.33 })).numRows()).toBe(0);
    expect((await runStep(cleanNulls, fixtures.allNull(), { threshold: 0.3, columns: ['value'] })).numRows()).toBe(0);
    expect((await runStep(cleanNulls, fixtures.unicode(), { threshold: 0 })).array('name')).toHaveLength(3);
    // 'N/A' is text, not null: coerce it first (cast with onError "null", or read_csv nullValues).
    expect((await runStep(cleanNulls, fixtures.coercion(), { threshold: 0 })).numRows()).toBe(3);
  });
});

describe('fill_nulls', () => {
  it('replaces null and NaN cells per column, leaving others', async () => {
    const df = table({ a: [1, null, Number.NaN], b: ['x', null, 'z'] });
    expect((await runStep(fillNulls, df, { values: { a: 0, b: 'ünknown' } })).objects()).toEqual([
      { a: 1, b: 'x' },
      { a: 0, b: 'ünknown' },
      { a: 0, b: 'z' },
    ]);
  });

  it('handles the empty table, an all-null column and text values', async () => {
    expect((await runStep(fillNulls, fixtures.empty(), { values: { value: 0 } })).numRows()).toBe(0);
    expect((await runStep(fillNulls, fixtures.allNull(), { values: { value: 0 } })).array('value')).toEqual([0, 0, 0]);
    expect((await runStep(fillNulls, fixtures.coercion(), { values: { value: '0' } })).array('value')).toEqual([
      '0.5',
      'N/A',
      '3',
    ]);
    await expect(runStep(fillNulls, fixtures.unicode(), { values: { nope: 1 } })).rejects.toMatchObject({
      code: 'COLUMN_NOT_FOUND',
    });
  });
});
