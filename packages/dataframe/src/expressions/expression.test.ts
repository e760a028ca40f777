import { table } from 'arquero';
import { describe, expect, it } from 'vitest';
import { expressionColumns, expressionProblem, expressionSchema, requireExpressionColumns } from './expression.js';

describe('expressions', () => {
  it('lists the columns an expression reads, including bracketed unicode names', () => {
    expect(expressionColumns('d.value > 0.2 && d["prix unitaire €"] < 3').sort()).toEqual(['prix unitaire €', 'value']);
    expect(expressionColumns('op.mean(d.x) + 1')).toEqual(['x']);
  });

  it("reports the parser's message for bad expressions, never evaluating them", () => {
    expect(expressionProblem('d.value >')).toMatch(/at character 10: expected a value/);
    expect(expressionProblem('process.exit(1)')).toMatch(/at character 1: unknown name "process"/);
    expect(expressionProblem('d.value > 0.2')).toBeUndefined();
  });

  it('fails the zod schema with a custom issue', () => {
    const result = expressionSchema('x').safeParse('d.a +');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/Expression refused at character 6/);
  });

  it('names a missing column and the available ones', () => {
    const df = table({ a: [1], b: [2] });
    expect(() => requireExpressionColumns(df, 'filter_rows', ['d.c > 1'])).toThrow(
      expect.objectContaining({
        code: 'COLUMN_NOT_FOUND',
        message: expect.stringMatching(/"c".*available columns: a, b/),
      }),
    );
  });
});
