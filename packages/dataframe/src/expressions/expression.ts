import { StepwiseError } from '@stepwise/core';
import { type ColumnTable, parse } from 'arquero';
import { z } from 'zod';

/** Error code of an expression (or a column list) that names a column the table does not have. */
export const COLUMN_NOT_FOUND = 'COLUMN_NOT_FOUND';

interface AstNode {
  type?: string;
  name?: string;
  [key: string]: unknown;
}

/**
 * Parses an Arquero table expression (e.g. `"d.value > 0.2"`) with Arquero's own parser into its
 * syntax tree (ESTree nodes, columns as `{ type: 'Column', name }`). Nothing is evaluated.
 * @throws Error with the parser's message when the expression does not parse.
 */
export function parseExpression(expression: string): unknown {
  const { exprs } = parse({ e: expression }, { ast: true }) as unknown as { exprs: unknown[] };
  return exprs[0];
}

/**
 * The column names an Arquero table expression reads, from its syntax tree.
 * @throws Error with the parser's message when the expression does not parse.
 */
export function expressionColumns(expression: string): string[] {
  const names = new Set<string>();
  collectColumns(parseExpression(expression), names);
  return [...names];
}

function collectColumns(node: unknown, names: Set<string>): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const item of node) collectColumns(item, names);
    return;
  }
  const ast = node as AstNode;
  if (ast.type === 'Column' && typeof ast.name === 'string') names.add(ast.name);
  for (const value of Object.values(ast)) if (typeof value === 'object') collectColumns(value, names);
}

/** The parser's message for an expression, or undefined when it parses. */
export function expressionProblem(expression: string): string | undefined {
  try {
    expressionColumns(expression);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message.split('\n')[0] : String(error);
  }
}

/**
 * A zod string schema that accepts only expressions Arquero parses; a bad one is a config issue
 * at this field (reported by `wf.validate()` as `CONFIG_INVALID` at `steps[i].config.<field>`).
 */
export function expressionSchema(description: string) {
  return z
    .string()
    .min(1)
    .superRefine((expression, ctx) => {
      const problem = expressionProblem(expression);
      if (problem) ctx.addIssue({ code: 'custom', message: `Expression does not parse: ${problem}` });
    })
    .describe(description);
}

/** The error for columns a step needs that the table lacks; names them and the available ones. */
function missingColumnsError(step: string, missing: string[], available: string[]): StepwiseError {
  const list = missing.map((name) => `"${name}"`).join(', ');
  return new StepwiseError(
    COLUMN_NOT_FOUND,
    `${step}: column${missing.length === 1 ? '' : 's'} ${list} not found; available columns: ${available.join(', ') || '(none)'}.`,
    { details: { missing, available } },
  );
}

/**
 * Checks that every named column exists in the table.
 * @throws StepwiseError `COLUMN_NOT_FOUND` naming the missing columns and the available ones.
 */
export function requireColumns(df: ColumnTable, step: string, names: readonly string[]): void {
  const available = df.columnNames();
  const missing = names.filter((name) => !available.includes(name));
  if (missing.length > 0) throw missingColumnsError(step, missing, available);
}

/**
 * Checks that every column an expression reads exists in the table.
 * @throws StepwiseError `COLUMN_NOT_FOUND`
 */
export function requireExpressionColumns(df: ColumnTable, step: string, expressions: readonly string[]): void {
  requireColumns(df, step, [...new Set(expressions.flatMap(expressionColumns))]);
}
