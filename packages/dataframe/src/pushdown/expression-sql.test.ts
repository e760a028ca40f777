// expressionSql gives JavaScript's meaning where toSql alone would not: comparisons with NaN, and
// `a || b` on numbers and text (0, -0, NaN and '' are falsy). Each expression is evaluated by the
// evaluator in JavaScript and by DuckDB on its rendering, over values that tell them apart.
import { table } from 'arquero';
import { describe, expect, it } from 'vitest';
import { memoryConnection } from '../duckdb/test-kit.js';
import { evaluateDerive } from '../expressions/evaluate-table.js';
import { parseExpression } from '../expressions/expression.js';
import { expressionSql } from './expression-sql.js';
import { expressionType } from './expression-types.js';
import type { SqlType } from './lazy-plan.js';

const connection = memoryConnection();

const v = [1, 0, -0, Number.NaN, null, Number.POSITIVE_INFINITY, -2.5];
const s = ['a', '', null, ' ', '0', 'false', 'b'];
const types = new Map<string, SqlType>([
  ['v', 'DOUBLE'],
  ['s', 'VARCHAR'],
]);

/** The values DuckDB gives for the expression's rendering, row by row (NaN as NaN, -0 as -0). */
async function inDuckDB(text: string): Promise<unknown[]> {
  const sql = expressionSql(parseExpression(text), types);
  const rows = v.map((x, i) => {
    const number = x === null ? 'NULL' : Number.isNaN(x) ? "'NaN'" : Object.is(x, -0) ? "'-0.0'" : `'${x}'`;
    const text = s[i] === null ? 'NULL' : `'${s[i]}'`;
    return `(${i}, CAST(${number} AS DOUBLE), CAST(${text} AS VARCHAR))`;
  });
  const query = `SELECT ${sql} AS out FROM (VALUES ${rows.join(', ')}) t(i, v, s) ORDER BY i`;
  return (await connection().runAndReadAll(query)).getColumnsJS()[0] as unknown[];
}

describe('expressionSql', () => {
  it.each([
    'd.v || 7',
    'd.v || null',
    '(d.v || d.v * 2) + 1',
    "d.s || 'none'",
    "(d.s || d.s) || 'x'",
    'd.v > 0 || d.v != d.v',
  ])('renders %s with the evaluator meaning (0, -0, NaN and empty text are falsy)', async (text) => {
    expect(expressionType(parseExpression(text), types)).toBeDefined();
    const expected = evaluateDerive(table({ v, s }), [['out', parseExpression(text)]]).array('out');
    expect(await inDuckDB(text)).toEqual(Array.from(expected as ArrayLike<unknown>));
  });

  it('leaves `||` between values of two types to JavaScript', () => {
    expect(expressionType(parseExpression("d.v || 'none'"), types)).toBeUndefined();
    expect(expressionType(parseExpression('d.s || 0'), types)).toBeUndefined();
  });
});
