// "The new evaluator agrees with Arquero on generated valid expressions over generated tables": on
// tables without nulls (where the null rules are the only intended difference), derive and filter
// give Arquero's values for expressions of every syntactic form and a sample of the op functions.
import { table } from 'arquero';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectSameTable } from '../kernels/test-kit.js';
import { evaluateDerive, evaluateFilter } from './evaluate-table.js';
import { parseExpression } from './expression.js';

const numberCell = fc.oneof(
  fc.double({ noNaN: true, min: -1e6, max: 1e6 }),
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(0, -0, 0.5, Number.POSITIVE_INFINITY),
);
const textCell = fc.constantFrom('', 'a', 'North', ' south ', 'ü', '1', '2.5', 'x y');

const rows = fc.array(fc.record({ a: numberCell, b: numberCell, s: textCell, t: textCell, f: fc.boolean() }), {
  minLength: 1,
  maxLength: 40,
});
const tableArb = rows.map((list) =>
  table({
    a: list.map((r) => r.a),
    b: list.map((r) => r.b),
    s: list.map((r) => r.s),
    t: list.map((r) => r.t),
    f: list.map((r) => r.f),
  }),
);

const numberLiteral = fc
  .oneof(fc.integer({ min: -5, max: 5 }), fc.constantFrom(0.5, 2.25, 1e3))
  .map((n) => (n < 0 ? `(${n})` : String(n)));
const textLiteral = fc.constantFrom('"a"', "'North'", '"ü"', '""', '"1"', '"x\\ty"');

const { bool, any } = fc.letrec((tie) => ({
  num: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('d.a', 'd.b', 'd["a"]'),
    numberLiteral,
    fc
      .tuple(tie('num'), fc.constantFrom('+', '-', '*', '/', '%', '**'), tie('num'))
      .map(([l, o, r]) => `(${l} ${o} ${r})`),
    tie('num').map((e) => `(-(${e}))`),
    tie('text').map((e) => `op.length(${e})`),
    tie('num').map((e) => `op.abs(${e})`),
    tie('num').map((e) => `op.round(${e})`),
    tie('num').map((e) => `op.floor(${e})`),
    fc.tuple(tie('num'), tie('num')).map(([l, r]) => `op.greatest(${l}, ${r})`),
    fc.tuple(tie('num'), tie('num')).map(([l, r]) => `op.least(${l}, ${r})`),
    tie('text').map((e) => `op.parse_float(${e})`),
    fc.constantFrom('op.sum(d.a)', 'op.mean(d.b)', 'op.min(d.a)', 'op.max(d.b)', 'op.count()', 'op.valid(d.s)'),
    fc.tuple(tie('bool'), tie('num'), tie('num')).map(([c, a, b]) => `(${c} ? ${a} : ${b})`),
  ),
  text: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('d.s', 'd.t'),
    textLiteral,
    tie('text').map((e) => `op.lower(${e})`),
    tie('text').map((e) => `op.upper(${e})`),
    tie('text').map((e) => `op.trim(${e})`),
    fc.tuple(tie('text'), tie('text')).map(([l, r]) => `(${l} + ${r})`),
    fc.tuple(tie('text'), fc.integer({ min: 0, max: 3 })).map(([e, i]) => `op.substring(${e}, ${i})`),
    fc.tuple(tie('text'), tie('text'), tie('text')).map(([s, a, b]) => `op.replace(${s}, ${a}, ${b})`),
  ),
  bool: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('d.f', 'true', 'false'),
    fc
      .tuple(tie('num'), fc.constantFrom('<', '<=', '>', '>=', '==', '!=', '===', '!=='), tie('num'))
      .map(([l, o, r]) => `(${l} ${o} ${r})`),
    fc.tuple(tie('text'), fc.constantFrom('<', '==', '!==', '>='), tie('text')).map(([l, o, r]) => `(${l} ${o} ${r})`),
    fc.tuple(tie('bool'), fc.constantFrom('&&', '||'), tie('bool')).map(([l, o, r]) => `(${l} ${o} ${r})`),
    tie('bool').map((e) => `!(${e})`),
    fc.tuple(tie('text'), tie('text')).map(([s, p]) => `op.startswith(${s}, ${p})`),
    fc.tuple(tie('text'), tie('text')).map(([s, p]) => `op.endswith(${s}, ${p})`),
    fc.tuple(tie('text'), tie('text')).map(([s, p]) => `op.includes(${s}, ${p})`),
  ),
  any: fc.oneof(
    tie('num'),
    tie('text'),
    tie('bool'),
    fc.tuple(tie('num'), fc.constantFrom('&&', '||', '??'), tie('text')).map(([l, o, r]) => `(${l} ${o} ${r})`),
    fc.tuple(tie('num'), tie('text')).map(([l, r]) => `(${l} + ${r})`),
  ),
}));

describe('the evaluator agrees with Arquero on tables without nulls', () => {
  it('derive: the same values for generated expressions', () => {
    fc.assert(
      fc.property(tableArb, any as fc.Arbitrary<string>, (df, expression) => {
        const ours = evaluateDerive(df, [['x', parseExpression(expression)]]);
        expectSameTable(ours, df.derive({ x: expression }));
      }),
      { numRuns: 400 },
    );
  });

  it('filter: the same rows for generated conditions', () => {
    fc.assert(
      fc.property(tableArb, fc.oneof(bool, any) as fc.Arbitrary<string>, (df, expression) => {
        expectSameTable(evaluateFilter(df, parseExpression(expression)), df.filter(expression));
      }),
      { numRuns: 400 },
    );
  });

  it('over a filtered view, too', () => {
    const df = table({ a: [1, 2, 3, 4], b: [4, 3, 2, 1] }).filter('d.a > 1');
    const mine = evaluateDerive(df, [['x', parseExpression('d.a * d.b + op.sum(d.a)')]]);
    expect(mine.array('x')).toEqual(df.derive({ x: 'd.a * d.b + op.sum(d.a)' }).array('x'));
  });
});
