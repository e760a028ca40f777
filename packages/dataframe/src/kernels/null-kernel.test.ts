import { table } from 'arquero';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keepFewNulls } from './null-kernel.js';
import { expectSameTable, tableArb } from './test-kit.js';

/** The rows kept, by the definition: at most `allowed` of the named cells null, undefined or NaN. */
function reference(df: ReturnType<typeof table>, names: string[], allowed: number) {
  const rows = df.objects() as Record<string, unknown>[];
  const keep = rows.map(
    (row) => names.filter((name) => row[name] == null || Number.isNaN(row[name])).length <= allowed,
  );
  const columns: Record<string, unknown[]> = {};
  for (const name of df.columnNames())
    columns[name] = Array.from(df.array(name) as ArrayLike<unknown>).filter((_, i) => keep[i]);
  return table(columns, df.columnNames());
}

describe('keepFewNulls', () => {
  it('keeps exactly the rows with at most `allowed` missing cells among the named columns', () => {
    fc.assert(
      fc.property(
        fc.oneof(tableArb('numeric'), tableArb('mixed')),
        fc.subarray(['a', 'b', 'g'], { minLength: 1 }),
        fc.integer({ min: 0, max: 3 }),
        (df, names, allowed) => {
          expectSameTable(keepFewNulls(df, names, allowed), reference(df, names, allowed));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('returns a filtered view: no column is copied', () => {
    const df = table({ a: [1, null, 3], b: ['x', 'y', null] });
    const out = keepFewNulls(df, ['a', 'b'], 0);
    expect(out.column('a')).toBe(df.column('a'));
    expect(out.array('a')).toEqual([1]);
  });
});
