import { fromArrow, table, toArrowIPC } from 'arquero';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Expr } from '../expressions/ast.js';
import { evaluateDerive } from '../expressions/evaluate-table.js';
import { parseExpression } from '../expressions/expression.js';
import { fastDerive } from './derive-kernel.js';
import { defined, expectSameTable, numberSource, tableArb } from './test-kit.js';

const leaf = fc.oneof(
  fc.constantFrom('d.a', 'd.b', 'd["a"]'),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -10, max: 10 }).map(numberSource),
  fc.integer({ min: -3, max: 3 }).map(String),
);
const { expression } = fc.letrec((tie) => ({
  expression: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc
      .tuple(tie('expression'), fc.constantFrom('+', '-', '*', '/', '%'), tie('expression'))
      .map(([l, o, r]) => `(${l} ${o} ${r})`),
    fc.tuple(tie('expression'), fc.constantFrom('??', '||'), tie('expression')).map(([l, o, r]) => `(${l} ${o} ${r})`),
    tie('expression').map((e) => `-(${e})`),
    tie('expression').map((e) => `+(${e})`),
  ),
}));
const arithmetic = fc
  .tuple(expression, fc.constantFrom('+', '*'), leaf)
  .map(([l, o, r]) => `${l} ${o} ${r}`) as fc.Arbitrary<string>;
const columns = fc
  .tuple(arithmetic, arithmetic, fc.constantFrom('c', 'a'))
  .map(([first, second, name]) => ({ [name]: first, z: second }));

function parsed(spec: Record<string, string>): [string, Expr][] {
  return Object.entries(spec).map(([name, text]) => [name, parseExpression(text)]);
}

describe('fastDerive', () => {
  it('computes the same values as the row-by-row evaluator for arithmetic on numbers with nulls (null gives null), NaN and -0', () => {
    fc.assert(
      fc.property(tableArb('numeric'), columns, (df, spec) => {
        expectSameTable(defined(fastDerive(df, parsed(spec))), evaluateDerive(df, parsed(spec)));
      }),
      { numRuns: 300 },
    );
  });

  it('gives way when a kept row holds text or a boolean, and agrees otherwise', () => {
    fc.assert(
      fc.property(tableArb('mixed'), columns, (df, spec) => {
        const fast = fastDerive(df, parsed(spec));
        if (fast) expectSameTable(fast, evaluateDerive(df, parsed(spec)));
      }),
      { numRuns: 300 },
    );
    expect(fastDerive(table({ a: [1, '2'] }), parsed({ c: 'd.a + 1' }))).toBeUndefined();
    expect(defined(fastDerive(table({ a: [1, null, undefined] }), parsed({ c: 'd.a + 1' }))).array('c')).toEqual([
      2,
      null,
      null,
    ]);
  });

  it('scales then shifts a column in one pass with the values of two (d.a * c + k, d.a / c - k): null, NaN, -0', () => {
    const constant = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -10, max: 10 }).map(numberSource),
      fc.constantFrom('0', '-0', '1e308'),
    );
    const shape = fc
      .tuple(fc.constantFrom('d.a', 'd.b'), fc.constantFrom('*', '/'), constant, fc.constantFrom('+', '-'), constant)
      .map(([column, scale, c, shift, k]) => ({ x: `${column} ${scale} ${c} ${shift} ${k}` }));
    fc.assert(
      fc.property(fc.oneof(tableArb('numeric'), tableArb('mixed')), shape, (df, spec) => {
        const fast = fastDerive(df, parsed(spec));
        if (fast) expectSameTable(fast, evaluateDerive(df, parsed(spec)));
      }),
      { numRuns: 300 },
    );
    const df = table({ a: [1.5, null, -0, Number.NaN, 3] });
    expect(defined(fastDerive(df, parsed({ x: 'd.a * 2 + 1' }))).array('x')).toEqual([4, null, 1, Number.NaN, 7]);
    expect(defined(fastDerive(df.filter('d.a !== 1.5'), parsed({ x: 'd.a / 2 - 0' }))).array('x')).toEqual([
      null,
      -0,
      Number.NaN,
      1.5,
    ]);
  });

  it('stores new columns as Float64Array, which Arrow writes as Float64', () => {
    const out = defined(fastDerive(table({ a: [1, 2, 3] }), parsed({ c: 'd.a * 2' })));
    expect(out.column('c')).toBeInstanceOf(Float64Array);
    expect(fromArrow(toArrowIPC(out)).array('c')).toEqual([2, 4, 6]);
  });

  it('leaves other shapes to the evaluator', () => {
    const df = table({ a: [1], b: [2] });
    for (const spec of ['d.a', '1', 'd.a + "x"', 'op.abs(d.a) + 1', 'd.a > 1', 'd.a ** 2', '(d.a && 1) + 1']) {
      expect(fastDerive(df, parsed({ c: spec }))).toBeUndefined();
    }
  });
});
