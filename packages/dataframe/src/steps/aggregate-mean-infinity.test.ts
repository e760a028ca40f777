import { type ColumnTable, table } from 'arquero';
import { describe, expect, it } from 'vitest';
import { fastAggregate } from '../kernels/aggregate-kernel.js';
import { AggregateFold } from './aggregate-fold.js';
import { type AggregateSpec, aggregateTable, rollupTable } from './aggregate-step.js';

// Each group's mean is SQL's sum / count: +Infinity with +Infinity among its values (and no -Infinity),
// -Infinity for the converse, NaN with both, the running mean otherwise; nulls and NaN are skipped.
// The running mean alone gives NaN for an infinity followed by any value (pushdown gave Infinity).
const rows = {
  g: [
    'inf-first',
    'inf-first',
    'inf-last',
    'inf-last',
    'both',
    'both',
    'neg',
    'neg',
    'neg',
    'finite',
    'finite',
    'none',
  ],
  v: [Infinity, 1, 1, Infinity, Infinity, -Infinity, -Infinity, null, 2, 0.1, 0.2, null],
};
const expected = [Infinity, Infinity, Number.NaN, -Infinity, 0.1 + (0.2 - 0.1) / 2, null];
const mean: AggregateSpec[] = [{ op: 'mean', column: 'v' }];

function means(df: ColumnTable): unknown[] {
  return Array.from(df.array('mean_v') as ArrayLike<unknown>);
}

/** The values as Object.is sees them (NaN equal to NaN, 0 and -0 apart). */
function expectSame(actual: unknown[], wanted: unknown[]): void {
  expect(actual.length).toBe(wanted.length);
  for (const [i, v] of actual.entries()) expect(Object.is(v, wanted[i]), `group ${i}: ${String(v)}`).toBe(true);
}

describe('mean of a group holding infinities', () => {
  it('the kernel gives SQL sum / count', () => {
    const fast = fastAggregate(table(rows), ['g'], [{ name: 'mean_v', op: 'mean', column: 'v' }]);
    expectSame(means(fast as ColumnTable), expected);
  });

  it('without groups too', () => {
    for (const [v, want] of [
      [[Infinity, 1, null], Infinity],
      [[1, -Infinity], -Infinity],
      [[-Infinity, null, Infinity], Number.NaN],
    ] as const) {
      expectSame(means(aggregateTable(table({ v: [...v] }), [], mean)), [want]);
      expectSame(means(rollupTable(table({ v: [...v] }), [], mean)), [want]);
    }
  });

  it("Arquero's rollup (the fallback: several group columns, distinct_count) gives the same", () => {
    expectSame(means(rollupTable(table(rows), ['g'], mean)), expected);
    const keep = rows.g.map(() => 'k');
    expectSame(means(aggregateTable(table({ ...rows, keep }), ['g', 'keep'], mean)), expected);
    const withDistinct = aggregateTable(table(rows), ['g'], [...mean, { op: 'distinct_count', column: 'v' }]);
    expectSame(means(withDistinct), expected);
    expect(withDistinct.columnNames()).toEqual(['g', 'mean_v', 'distinct_count_v']);
  });

  it('aggregate_stream folds chunk by chunk to the same values (Object.is)', () => {
    for (const by of [['g'], ['g', 'keep']]) {
      for (const size of [1, 2, 5]) {
        const fold = new AggregateFold(by, mean, 'aggregate_stream');
        const whole = table({ ...rows, keep: rows.g.map(() => 'k') });
        for (let start = 0; start < whole.numRows(); start += size) {
          fold.add(whole.slice(start, start + size).reify());
        }
        expectSame(means(fold.result()), expected);
      }
    }
  });

  it('text values coerced as Arquero coerces them agree between the fold and the rollup', () => {
    const text = { g: ['a', 'a', 'b', 'b'], v: ['Infinity', '1', '2', '-Infinity'] };
    const fold = new AggregateFold(['g'], mean, 'aggregate_stream');
    fold.add(table({ g: text.g.slice(0, 1), v: text.v.slice(0, 1) }));
    fold.add(table({ g: text.g.slice(1), v: text.v.slice(1) }));
    const batch = aggregateTable(table(text), ['g'], mean);
    expectSame(means(fold.result()), means(batch));
    expectSame(means(batch), [Infinity, -Infinity]);
  });
});
