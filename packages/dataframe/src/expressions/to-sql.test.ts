// "Design the AST so that it can also be rendered as DuckDB SQL": the rendering has the evaluator's
// meaning, nulls included. Generated expressions over generated tables with nulls are evaluated both
// ways, by the evaluator in JavaScript and by DuckDB on the rendered SQL, and must agree.
import { table } from 'arquero';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryConnection } from '../duckdb/test-kit.js';
import { evaluateDerive } from './evaluate-table.js';
import { parseExpression } from './expression.js';
import { toSql } from './to-sql.js';

const connection = memoryConnection();

interface Row {
  a: number | null;
  b: number | null;
  f: boolean | null;
  s: string | null;
}

const num = fc.constantFrom(-3, -2.5, -1, 0, 0.5, 1, 1.25, 2, 3, 100, null);
const rowsArb = fc.array(
  fc.record({ a: num, b: num, f: fc.constantFrom(true, false, null), s: fc.constantFrom('a', 'ab', 'B', '', null) }),
  { minLength: 1, maxLength: 12 },
);

const literal = fc.constantFrom('0', '1', '2', '0.5', '(-3)', '10');
const { numeric, boolean } = fc.letrec((tie) => ({
  numeric: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('d.a', 'd.b', 'd["a"]'),
    literal,
    fc.tuple(tie('numeric'), fc.constantFrom('+', '-', '*'), tie('numeric')).map(([l, o, r]) => `(${l} ${o} ${r})`),
    fc.tuple(tie('numeric'), fc.constantFrom('2', '4', '(-0.5)')).map(([l, r]) => `(${l} / ${r})`),
    tie('numeric').map((e) => `(-(${e}))`),
    tie('numeric').map((e) => `op.abs(${e})`),
    tie('numeric').map((e) => `op.floor(${e})`),
    tie('numeric').map((e) => `op.round(${e})`),
    fc.tuple(tie('boolean'), tie('numeric'), tie('numeric')).map(([c, a, b]) => `(${c} ? ${a} : ${b})`),
    fc.tuple(tie('numeric'), tie('numeric')).map(([a, b]) => `(${a} ?? ${b})`),
    fc.tuple(tie('numeric'), tie('numeric')).map(([a, b]) => `op.coalesce(${a}, ${b})`),
    fc.tuple(tie('numeric'), tie('numeric')).map(([a, b]) => `op.greatest(${a}, ${b})`),
    fc.constantFrom('(d.a || 0)', '(d.b || d.a)', 'op.sum(d.a)', 'op.min(d.b)', 'op.max(d.a)', 'op.count()'),
    fc.constantFrom('op.valid(d.a)', 'op.invalid(d.b)'),
  ),
  boolean: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('d.f', 'true', 'false'),
    fc
      .tuple(tie('numeric'), fc.constantFrom('<', '<=', '>', '>=', '==', '!=', '===', '!=='), tie('numeric'))
      .map(([l, o, r]) => `(${l} ${o} ${r})`),
    fc.tuple(tie('boolean'), fc.constantFrom('&&', '||'), tie('boolean')).map(([l, o, r]) => `(${l} ${o} ${r})`),
    tie('boolean').map((e) => `!(${e})`),
    fc.tuple(tie('numeric'), fc.constantFrom('== null', '!= null')).map(([e, t]) => `(${e} ${t})`),
    tie('numeric').map((e) => `op.is_null(${e})`),
    fc.constantFrom(
      'op.startswith(d.s, "a")',
      'op.includes(d.s, "b")',
      'op.test(d.s, "^[aB]")',
      'op.upper(d.s) == "AB"',
    ),
  ),
}));

function sqlValue(value: number | string | boolean | null, type: string): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return `'${value}'`;
  return `CAST(${value} AS ${type})`;
}

async function duckValues(rows: Row[], sql: string): Promise<unknown[]> {
  await connection().run('CREATE OR REPLACE TABLE t (i INTEGER, a DOUBLE, b DOUBLE, f BOOLEAN, s VARCHAR)');
  const values = rows.map(
    (r, i) =>
      `(${i}, ${sqlValue(r.a, 'DOUBLE')}, ${sqlValue(r.b, 'DOUBLE')}, ${sqlValue(r.f, 'BOOLEAN')}, ${sqlValue(r.s, 'VARCHAR')})`,
  );
  await connection().run(`INSERT INTO t VALUES ${values.join(', ')}`);
  const reader = await connection().runAndReadAll(`SELECT ${sql} AS v FROM t ORDER BY i`);
  return reader.getRowObjectsJS().map((row) => (typeof row.v === 'bigint' ? Number(row.v) : row.v));
}

function ourValues(rows: Row[], expression: string): unknown[] {
  const df = table({
    a: rows.map((r) => r.a),
    b: rows.map((r) => r.b),
    f: rows.map((r) => r.f),
    s: rows.map((r) => r.s),
  });
  return Array.from(evaluateDerive(df, [['v', parseExpression(expression)]]).array('v') as ArrayLike<unknown>);
}

/** Equal as values: numbers within rounding (DuckDB sums in its own order), -0 as 0. */
function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    return a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  }
  return a === b;
}

describe('toSql', () => {
  it('renders quoted names, typed literals and the null tests', () => {
    expect(toSql(parseExpression('d["unit \\"price\\""] * 2 == null'))).toBe(
      '(("unit ""price""" * CAST(2 AS DOUBLE)) IS NULL)',
    );
    expect(toSql(parseExpression("d.region == 'it''s'".replace("''", "\\'")))).toBe(`("region" = 'it''s')`);
    expect(toSql(parseExpression('d.discount || 0'))).toBe(
      '(CASE WHEN CAST("discount" AS BOOLEAN) THEN "discount" ELSE CAST(0 AS DOUBLE) END)',
    );
    expect(() => toSql(parseExpression('op.substring(d.s, 1)'))).toThrow(/op.substring has no SQL rendering/);
  });

  it('gives DuckDB the same values as the evaluator, nulls included, for generated expressions', async () => {
    await fc.assert(
      fc.asyncProperty(rowsArb, fc.oneof(numeric, boolean) as fc.Arbitrary<string>, async (rows, expression) => {
        const ours = ourValues(rows, expression);
        const theirs = await duckValues(rows, toSql(parseExpression(expression)));
        const row = ours.findIndex((v, i) => !same(v, theirs[i]));
        if (row !== -1) expect({ expression, row, value: theirs[row] }).toEqual({ expression, row, value: ours[row] });
      }),
      { numRuns: 150 },
    );
  });
});
