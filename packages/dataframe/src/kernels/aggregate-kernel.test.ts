import { fromArrow, table, toArrowIPC } from 'arquero';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AggregateSpec, aggregateName, rollupTable } from '../steps/aggregate-step.js';
import { fastAggregate, type KernelAggregate } from './aggregate-kernel.js';
import { isArrayColumn } from './column-values.js';
import { defined, expectSameTable, tableArb } from './test-kit.js';

const spec = fc.oneof(
  fc.constant<AggregateSpec>({ op: 'count' }),
  fc
    .tuple(fc.constantFrom('count', 'sum', 'mean', 'min', 'max' as const), fc.constantFrom('a', 'b'))
    .map(([op, column]): AggregateSpec => ({ op, column })),
);
const specs = fc.uniqueArray(spec, { minLength: 1, maxLength: 5, selector: (s) => aggregateName(s) });
const groupBy = fc.constantFrom<string[]>([], ['g']);

function kernelSpecs(list: readonly AggregateSpec[]): KernelAggregate[] {
  return list.map((a) => ({ name: aggregateName(a), op: a.op as KernelAggregate['op'], column: a.column }));
}

describe('fastAggregate', () => {
  it('gives the same groups, order and values as Arquero (running mean, nulls and NaN skipped)', () => {
    fc.assert(
      fc.property(tableArb('numeric'), groupBy, specs, (df, by, list) => {
        const fast = fastAggregate(df, by, kernelSpecs(list));
        // An Arrow dictionary group column is left to Arquero (it groups in dictionary order).
        expect(fast === undefined).toBe(by.length === 1 && !isArrayColumn(df.column('g')));
        if (fast) expectSameTable(fast, rollupTable(df, by, list));
      }),
      { numRuns: 300 },
    );
  });

  it('groups mixed keys as Arquero does (1 and "1", null, undefined and "null", NaN, 0 and -0)', () => {
    fc.assert(
      fc.property(tableArb('mixed'), groupBy, specs, (df, by, list) => {
        const fast = fastAggregate(df, by, kernelSpecs(list));
        if (fast) expectSameTable(fast, rollupTable(df, by, list));
      }),
      { numRuns: 300 },
    );
    const keys = table({
      g: [1, '1', null, undefined, 'null', Number.NaN, Number.NaN, 0, -0],
      v: [1, 2, 3, 4, 5, 6, 7, 8, 9],
    });
    const fast = defined(fastAggregate(keys, ['g'], [{ name: 'n', op: 'count' }]));
    expectSameTable(fast, rollupTable(keys, ['g'], [{ op: 'count', as: 'n' }]));
    expect(fast.numRows()).toBe(7);
  });

  it('leaves ordered or grouped tables, several group columns and non-numeric sums to Arquero', () => {
    const df = table({ g: ['x', 'y'], h: [1, 2], v: [1, 'a'] });
    expect(fastAggregate(df.orderby('h'), ['g'], [{ name: 'n', op: 'count' }])).toBeUndefined();
    expect(fastAggregate(df.groupby('h'), [], [{ name: 'n', op: 'count' }])).toBeUndefined();
    expect(fastAggregate(df, ['g', 'h'], [{ name: 'n', op: 'count' }])).toBeUndefined();
    const arrow = fromArrow(toArrowIPC(table({ g: [null, 'x', 'y'] })));
    expect(fastAggregate(arrow, ['g'], [{ name: 'n', op: 'count' }])).toBeUndefined();
    expect(fastAggregate(df, ['g'], [{ name: 's', op: 'sum', column: 'v' }])).toBeUndefined();
    expect(fastAggregate(df, ['g'], [{ name: 'c', op: 'count', column: 'v' }])?.array('c')).toEqual([1, 1]);
  });
});
