// The filter's masks (boolean logic and comparisons a column at a time) keep exactly the rows the
// closure of the whole expression keeps, on tables with nulls, undefined, NaN, text and booleans,
// plain, filtered or from Arrow.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { expectSameTable, numberSource, tableArb } from '../kernels/test-kit.js';
import { evaluateFilter, evaluateFilterByRow } from './evaluate-table.js';
import { parseExpression } from './expression.js';

const constant = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -10, max: 10 }).map(numberSource),
  fc.constantFrom('null', 'true', 'false', '"x"', '"1"', '""', '0'),
);
const column = fc.constantFrom('d.a', 'd.b', 'd.keep', 'd["a"]');
const { condition } = fc.letrec((tie) => ({
  condition: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    column,
    fc
      .tuple(column, fc.constantFrom('<', '<=', '>', '>=', '==', '!=', '===', '!=='), constant, fc.boolean())
      .map(([c, o, k, flip]) => (flip ? `(${k} ${o} ${c})` : `(${c} ${o} ${k})`)),
    fc.constantFrom(
      '(d.a > d.b)',
      'op.is_null(d.b)',
      '(d.a ?? d.b)',
      '(d.a ? d.keep : d.b)',
      'op.abs(d.a)',
      '(d.a + 1)',
    ),
    fc.tuple(tie('condition'), fc.constantFrom('&&', '||'), tie('condition')).map(([l, o, r]) => `(${l} ${o} ${r})`),
    tie('condition').map((e) => `!(${e})`),
  ),
}));

describe('filter masks', () => {
  for (const kind of ['numeric', 'mixed'] as const) {
    it(`keep the rows the row-by-row closure keeps (${kind} columns)`, () => {
      fc.assert(
        fc.property(tableArb(kind), condition as fc.Arbitrary<string>, (df, text) => {
          const where = parseExpression(text);
          expectSameTable(evaluateFilter(df, where), evaluateFilterByRow(df, where));
        }),
        { numRuns: 400 },
      );
    });
  }
});
