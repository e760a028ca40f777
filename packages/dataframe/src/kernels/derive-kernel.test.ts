import { fromArrow, table, toArrowIPC } from 'arquero';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
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

describe('fastDerive', () => {
  it('computes the same values as Arquero for arithmetic on numbers with nulls (null reads as 0), NaN and -0', () => {
    fc.assert(
      fc.property(tableArb('numeric'), columns, (df, spec) => {
        expectSameTable(defined(fastDerive(df, spec)), df.derive(spec));
      }),
      { numRuns: 300 },
    );
  });

  it('gives way to Arquero when a kept row holds text, a boolean or undefined, and agrees otherwise', () => {
    fc.assert(
      fc.property(tableArb('mixed'), columns, (df, spec) => {
        const fast = fastDerive(df, spec);
        if (fast) expectSameTable(fast, df.derive(spec));
      }),
      { numRuns: 300 },
    );
    expect(fastDerive(table({ a: [1, '2'] }), { c: 'd.a + 1' })).toBeUndefined();
  });

  it('stores new columns as Float64Array, which Arrow writes as Float64', () => {
    const out = defined(fastDerive(table({ a: [1, 2, null] }), { c: 'd.a * 2' }));
    expect(out.column('c')).toBeInstanceOf(Float64Array);
    expect(fromArrow(toArrowIPC(out)).array('c')).toEqual([2, 4, 0]);
  });

  it('leaves other shapes to Arquero', () => {
    const df = table({ a: [1], b: [2] });
    for (const spec of ['d.a', '1', 'd.a + "x"', 'op.abs(d.a) + 1', 'd.a > 1', 'd.a ** 2', 'd.a + $.x']) {
      expect(fastDerive(df, { c: spec })).toBeUndefined();
    }
  });
});
