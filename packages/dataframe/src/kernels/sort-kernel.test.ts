import { desc, table } from 'arquero';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type SortKey, sortRows } from './sort-kernel.js';
import { expectSameTable, tableArb } from './test-kit.js';

const keys = fc.uniqueArray(fc.record({ column: fc.constantFrom('a', 'b', 'g'), descending: fc.boolean() }), {
  minLength: 1,
  maxLength: 3,
  selector: (key) => key.column,
});

function arqueroSort(df: ReturnType<typeof table>, list: readonly SortKey[]) {
  return df.orderby(...list.map((k) => (k.descending ? desc(k.column) : k.column))).reify();
}

describe('sortRows', () => {
  it("orders rows as Arquero's orderby does: nulls last, NaN after numbers, stable, mixed types", () => {
    fc.assert(
      fc.property(fc.oneof(tableArb('numeric'), tableArb('mixed')), keys, (df, list) => {
        expectSameTable(sortRows(df, list), arqueroSort(df, list));
      }),
      { numRuns: 300 },
    );
  });

  it('orders dates by their time, invalid dates with NaN', () => {
    const cell = fc.oneof(
      fc.date({ min: new Date(0), max: new Date(1e12) }),
      fc.constantFrom(null, new Date(Number.NaN), new Date(5)),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(cell, fc.integer({ min: 0, max: 2 })), { maxLength: 40 }),
        fc.boolean(),
        (rows, d) => {
          const df = table({ a: rows.map((r) => r[0]), b: rows.map((r) => r[1]) });
          const list = [
            { column: 'a', descending: d },
            { column: 'b', descending: false },
          ];
          expectSameTable(sortRows(df, list), arqueroSort(df, list));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('returns a materialized table (no order left for later steps)', () => {
    const out = sortRows(table({ a: [3, 1, 2] }), [{ column: 'a', descending: false }]);
    expect(out.isOrdered()).toBe(false);
    expect(out.array('a')).toEqual([1, 2, 3]);
  });
});
