import { StepwiseError } from '@stepwise/core';
import type { ColumnTable } from 'arquero';
import { z } from 'zod';
import { type Expr, walk } from './ast.js';
import { ExpressionError } from './lexer.js';
import { parse } from './parser.js';

/** Error code of an expression (or a column list) that names a column the table does not have. */
export const COLUMN_NOT_FOUND = 'COLUMN_NOT_FOUND';

/**
 * Parses a table expression (e.g. `"d.value > 0.2"`) into its syntax tree, by the project's own
 * grammar (see docs/dataframes.md). Nothing is evaluated.
 * @throws ExpressionError naming the character and what was expected there
 */
export function parseExpression(expression: string): Expr {
  return parse(expression);
}

/** The column names a syntax tree reads, in order of first appearance. */
export function columnsOf(expr: Expr): string[] {
  const names = new Set<string>();
  walk(expr, (node) => {
    if (node.kind === 'column') names.add(node.name);
  });
  return [...names];
}

/**
 * The column names a table expression reads, from its syntax tree.
 * @throws ExpressionError when the expression does not parse
 */
export function expressionColumns(expression: string): string[] {
  return columnsOf(parse(expression));
}

/** Why an expression is refused (the position and what was expected), or undefined when it parses. */
export function expressionProblem(expression: string): string | undefined {
  try {
    parse(expression);
    return undefined;
  } catch (error) {
    if (error instanceof ExpressionError) return error.message;
    throw error;
  }
}

/**
 * A zod string schema that accepts only expressions of the language; a bad one is a config issue
 * at this field (reported by `wf.validate()` as `CONFIG_INVALID` at `steps[i].config.<field>`).
 */
export function expressionSchema(description: string) {
  return z
    .string()
    .min(1)
    .superRefine((expression, ctx) => {
      const problem = expressionProblem(expression);
      if (problem) ctx.addIssue({ code: 'custom', message: `Expression refused ${problem}` });
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
