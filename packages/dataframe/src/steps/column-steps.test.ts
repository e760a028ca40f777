import { table } from 'arquero';
import { describe, expect, it } from 'vitest';
import { cast, dropColumns, rename, select } from './column-steps.js';
import { fixtures, runStep } from './test-kit.js';

describe('select', () => {
  it('keeps the named columns in the given order, on every fixture', async () => {
    for (const make of Object.values(fixtures)) {
      const df = make();
      const out = await runStep(select, df, { columns: ['value', 'id'] });
      expect(out.columnNames()).toEqual(['value', 'id']);
      expect(out.numRows()).toBe(df.numRows());
      expect(out.array('value')).toEqual(df.array('value'));
    }
  });

  it('fails on a missing column, naming it and the available ones', async () => {
    await expect(runStep(select, fixtures.unicode(), { columns: ['nope'] })).rejects.toMatchObject({
      code: 'COLUMN_NOT_FOUND',
      message: expect.stringContaining('"nope" not found; available columns: id, name, value'),
    });
  });
});

describe('drop_columns', () => {
  it('removes columns on every fixture and can ignore missing ones', async () => {
    for (const make of Object.values(fixtures)) {
      expect((await runStep(dropColumns, make(), { columns: ['name'] })).columnNames()).toEqual(['id', 'value']);
    }
    await expect(runStep(dropColumns, fixtures.empty(), { columns: ['zz'] })).rejects.toMatchObject({
      code: 'COLUMN_NOT_FOUND',
    });
    const out = await runStep(dropColumns, fixtures.empty(), { columns: ['zz', 'id'], ignoreMissing: true });
    expect(out.columnNames()).toEqual(['name', 'value']);
  });
});

describe('rename', () => {
  it('renames in place, including to unicode names, on every fixture', async () => {
    for (const make of Object.values(fixtures)) {
      const out = await runStep(rename, make(), { columns: { name: 'név', value: 'wert' } });
      expect(out.columnNames()).toEqual(['id', 'név', 'wert']);
    }
  });
});

describe('cast', () => {
  it('coerces text to numbers, integers, booleans and dates; nulls stay null', async () => {
    const df = table({
      n: ['1.5', ' 2 ', null],
      i: [1.9, -1.2, null],
      b: ['yes', 'F', '1'],
      d: ['2024-01-02', null, '2024-03-04T05:06:07Z'],
    });
    const out = await runStep(cast, df, { columns: { n: 'number', i: 'integer', b: 'boolean', d: 'date' } });
    expect(out.objects()).toEqual([
      { n: 1.5, i: 1, b: true, d: new Date('2024-01-02') },
      { n: 2, i: -1, b: false, d: null },
      { n: null, i: null, b: true, d: new Date('2024-03-04T05:06:07Z') },
    ]);
  });

  it('fails on a value that does not convert, or nulls it with onError "null"', async () => {
    await expect(runStep(cast, fixtures.coercion(), { columns: { value: 'number' } })).rejects.toMatchObject({
      code: 'CAST_FAILED',
      message: expect.stringContaining('"N/A" in column "value" (row 1)'),
    });
    const out = await runStep(cast, fixtures.coercion(), {
      columns: { value: 'number', id: 'integer' },
      onError: 'null',
    });
    expect(out.objects()).toEqual([
      { id: 1, name: 'x', value: 0.5 },
      { id: 2, name: 'y', value: null },
      { id: 3, name: 'z', value: 3 },
    ]);
  });

  it('handles the empty table, an all-null column and unicode strings', async () => {
    expect((await runStep(cast, fixtures.empty(), { columns: { value: 'string' } })).numRows()).toBe(0);
    expect((await runStep(cast, fixtures.allNull(), { columns: { value: 'number' } })).array('value')).toEqual([
      null,
      null,
      null,
    ]);
    const out = await runStep(cast, fixtures.unicode(), { columns: { value: 'string' } });
    expect(out.array('value')).toEqual(['0.5', '-1', '2']);
    expect(out.array('name')).toEqual(['Zürich', '東京', 'São Paulo 🌎']);
  });
});
