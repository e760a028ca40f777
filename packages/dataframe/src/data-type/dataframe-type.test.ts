import { registry } from '@stepwise/core';
import { table } from 'arquero';
import { describe, expect, it } from 'vitest';
import { DataFrameType } from './dataframe-type.js';

const df = table({
  id: [1, 2, 3],
  name: ['Zürich', null, '東京'],
  when: [new Date('2024-01-02T00:00:00Z'), null, new Date(Number.NaN)],
  big: [10n, 2n ** 60n, null],
  x: [Number.NaN, 1.5, Number.POSITIVE_INFINITY],
  nothing: [null, null, null],
});

describe('DataFrameType', () => {
  it('is registered in the default registry and recognises tables only', () => {
    expect(registry.dataType('DataFrame')).toBe(DataFrameType);
    expect(DataFrameType.is(df)).toBe(true);
    expect(DataFrameType.is([{ a: 1 }])).toBe(false);
    expect(DataFrameType.is(null)).toBe(false);
  });

  it('previews column kinds, row count and JSON-safe head rows', () => {
    const preview = DataFrameType.preview(df, 2);
    expect(preview).toEqual({
      columns: [
        { name: 'id', type: 'number' },
        { name: 'name', type: 'string' },
        { name: 'when', type: 'date' },
        { name: 'big', type: 'bigint' },
        { name: 'x', type: 'number' },
        { name: 'nothing', type: 'null' },
      ],
      rows: 3,
      head: [
        { id: 1, name: 'Zürich', when: '2024-01-02T00:00:00.000Z', big: 10, x: null, nothing: null },
        { id: 2, name: null, when: null, big: '1152921504606846976', x: 1.5, nothing: null },
      ],
    });
    expect(JSON.parse(JSON.stringify(preview))).toEqual(preview);
  });

  it('round-trips through Arrow IPC bytes, including empty tables and filtered views', () => {
    const simple = table({ id: [1, 2, 3], s: ['a', null, 'ü'], d: [new Date(0), null, new Date(86_400_000)] });
    const back = DataFrameType.decode(DataFrameType.encode(simple));
    expect(back.objects()).toEqual(simple.objects());
    const empty = table({ a: [] as number[], b: [] as string[] });
    expect(DataFrameType.decode(DataFrameType.encode(empty)).columnNames()).toEqual(['a', 'b']);
    const view = simple.filter('d.id > 1');
    expect(DataFrameType.decode(DataFrameType.encode(view)).array('id')).toEqual([2, 3]);
  });

  it('rebuilds from rows whose keys are Object.prototype names (toString, constructor) as plain columns', () => {
    // rows parsed from a user's JSON: a key a row lacks is null, never an inherited function
    const rows = JSON.parse('[{"a":1,"toString":"x"},{"a":2},{"constructor":null}]') as unknown[];
    const back = DataFrameType.fromRows?.(rows);
    expect(back?.columnNames()).toEqual(['a', 'toString', 'constructor']);
    const column = (name: string) => Array.from(back?.array(name) ?? []);
    expect(column('a')).toEqual([1, 2, null]);
    expect(column('toString')).toEqual(['x', null, null]);
    expect(column('constructor')).toEqual([null, null, null]);
  });

  it('rebuilds from rows keeping the column order of like, with new columns after', () => {
    const rows = [...(DataFrameType.rows?.(df.select(['id', 'name'])) ?? [])] as Record<string, unknown>[];
    const changed = rows.map((r) => ({ extra: true, name: r.name, id: r.id }));
    const back = DataFrameType.fromRows?.(changed, df.select(['id', 'name']));
    expect(back?.columnNames()).toEqual(['id', 'name', 'extra']);
    expect(DataFrameType.fromRows?.([], df)?.columnNames()).toEqual(df.columnNames());
    expect(DataFrameType.size?.(df)).toEqual({ rows: 3 });
  });

  it('cuts into chunks of at most chunkRows rows and joins them back', () => {
    const big = table({ i: Array.from({ length: 25 }, (_, i) => i) });
    const chunks = [...(DataFrameType.chunks?.(big, 10) ?? [])];
    expect(chunks.map((c) => c.numRows())).toEqual([10, 10, 5]);
    expect(DataFrameType.concat?.(chunks).array('i')).toEqual(big.array('i'));
    expect([...(DataFrameType.chunks?.(table({ a: [] }), 10) ?? [])]).toHaveLength(1);
  });
});
