import { desc } from 'arquero';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { evaluateDerive, evaluateFilter } from '../expressions/evaluate-table.js';
import { parseExpression } from '../expressions/expression.js';
import { aggregateTable, rollupTable } from '../steps/aggregate-step.js';
import { dropNullRows } from '../steps/cleaning-steps.js';
import { deriveTable, filterTable } from '../steps/row-tables.js';
import { sortRows } from './sort-kernel.js';
import { expectSameTable, numberSource, tableArb } from './test-kit.js';

const constant = fc.double({ noNaN: true, noDefaultInfinity: true, min: -10, max: 10 }).map(numberSource);
const op = fc.constantFrom('<', '<=', '>', '>=', '==', '!=', '===', '!==');
const arithmetic = fc.constantFrom('+', '-', '*', '/', '%');

describe('the W2 chain through the kernels', () => {
  it('gives what the row-by-row evaluator and Arquero give, the numeric views shared from step to step', () => {
    fc.assert(
      fc.property(tableArb('numeric'), op, constant, arithmetic, constant, (df, o, c, a, k) => {
        const where = `d.a ${o} ${c}`;
        const derive = { x: `d.a ${a} ${k} + d.b` };
        const aggregates = [
          { op: 'count' as const, as: 'n' },
          { op: 'mean' as const, column: 'x', as: 'mean' },
          { op: 'sum' as const, column: 'b', as: 'sum' },
          { op: 'min' as const, column: 'a', as: 'min' },
        ];
        const fast = sortRows(
          aggregateTable(deriveTable(filterTable(dropNullRows(df, 0, ['a']), where), derive), ['g'], aggregates),
          [{ column: 'g', descending: true }],
        );
        const cleaned = evaluateFilter(df, parseExpression('d.a != null && d.a === d.a'));
        const filtered = evaluateFilter(cleaned, parseExpression(where));
        const derived = evaluateDerive(filtered, [['x', parseExpression(derive.x)]]);
        const reference = rollupTable(derived, ['g'], aggregates).orderby(desc('g')).reify();
        expectSameTable(fast, reference);
      }),
      { numRuns: 300 },
    );
  });
});
