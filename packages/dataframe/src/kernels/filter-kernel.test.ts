import { table } from 'arquero';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastFilter } from './filter-kernel.js';
import { defined, expectSameTable, numberSource, tableArb } from './test-kit.js';

const constant = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -10, max: 10 }).map(numberSource),
  fc.integer({ min: -3, max: 3 }).map(String),
  fc.constantFrom('null', 'true', 'false', '"x"', '"1"', '""', '"ü"'),
);
const op = fc.constantFrom('<', '<=', '>', '>=', '==', '!=', '===', '!==');
const comparison = fc
  .tuple(fc.constantFrom('d.a', 'd.b', 'd["a"]'), op, constant, fc.boolean())
  .map(([column, o, c, flip]) => (flip ? `${c} ${o} ${column}` : `${column} ${o} ${c}`));
const where = fc.array(comparison, { minLength: 1, maxLength: 3 }).map((parts) => parts.join(' && '));

describe('fastFilter', () => {
  it('keeps the same rows as Arquero for comparisons with constants, on numbers with nulls, NaN and -0', () => {
    fc.assert(
      fc.property(tableArb('numeric'), where, (df, expression) => {
        expectSameTable(defined(fastFilter(df, expression)), df.filter(expression));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the same rows as Arquero on mixed columns (text, booleans, undefined): JavaScript comparison rules', () => {
    fc.assert(
      fc.property(tableArb('mixed'), where, (df, expression) => {
        expectSameTable(defined(fastFilter(df, expression)), df.filter(expression));
      }),
      { numRuns: 300 },
    );
  });

  it('leaves other shapes to Arquero', () => {
    const df = table({ a: [1, null], b: [2, 3] });
    for (const expression of ['d.a > d.b', 'd.a > 0 || d.b > 0', 'op.abs(d.a) > 1', 'd.a', '!(d.a > 0)', 'd.a > $.x']) {
      expect(fastFilter(df, expression)).toBeUndefined();
    }
  });
});
