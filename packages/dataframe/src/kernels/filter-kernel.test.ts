import { table } from 'arquero';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateFilter } from '../expressions/evaluate-table.js';
import { parseExpression } from '../expressions/expression.js';
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
  it('keeps the same rows as the row-by-row evaluator for comparisons with constants, on numbers with nulls, NaN and -0', () => {
    fc.assert(
      fc.property(tableArb('numeric'), where, (df, text) => {
        const expression = parseExpression(text);
        expectSameTable(defined(fastFilter(df, expression)), evaluateFilter(df, expression));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the same rows as the evaluator on mixed columns (text, booleans, undefined): JavaScript comparison rules', () => {
    fc.assert(
      fc.property(tableArb('mixed'), where, (df, text) => {
        const expression = parseExpression(text);
        expectSameTable(defined(fastFilter(df, expression)), evaluateFilter(df, expression));
      }),
      { numRuns: 300 },
    );
  });

  it('drops rows where a comparison meets null, and tests for null with == null and != null', () => {
    const df = table({ a: [1, null, 3, undefined] });
    const rows = (text: string) => defined(fastFilter(df, parseExpression(text))).array('a');
    expect(rows('d.a > -1')).toEqual([1, 3]);
    expect(rows('d.a != 3')).toEqual([1]);
    expect(rows('d.a !== 3')).toEqual([1]);
    expect(rows('d.a == null')).toEqual([null, undefined]);
    expect(rows('null != d.a')).toEqual([1, 3]);
    expect(rows('d.a < null')).toEqual([]);
  });

  it('leaves other shapes to the evaluator', () => {
    const df = table({ a: [1, null], b: [2, 3] });
    for (const expression of ['d.a > d.b', 'd.a > 0 || d.b > 0', 'op.abs(d.a) > 1', 'd.a', '!(d.a > 0)']) {
      expect(fastFilter(df, parseExpression(expression))).toBeUndefined();
    }
  });
});
