import { StepwiseError } from '@stepwise/core/define';
import type { ColumnTable } from 'arquero';
import { z } from 'zod';
import { type Expr, walk } from './ast.js';
import { ExpressionError } from './lexer.js';
import { OPS } from './ops.js';
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

/** What an expression may use beyond the grammar's whitelist. */
export interface ExpressionRules {
  /** Refuse aggregates (`op.sum`, `op.mean`, ...): a streaming step would compute them per chunk. */
  rowsOnly?: boolean;
}

/** The first aggregate call in the tree, if any. */
function firstAggregate(expr: Expr): (Expr & { kind: 'call' }) | undefined {
  let found: (Expr & { kind: 'call' }) | undefined;
  walk(expr, (node) => {
    if (!found && node.kind === 'call' && OPS.get(node.name)?.kind === 'aggregate') found = node;
  });
  return found;
}

/** Why an expression is refused (the position and what was expected), or undefined when it parses. */
export function expressionProblem(expression: string, rules: ExpressionRules = {}): string | undefined {
  let expr: Expr;
  try {
    expr = parse(expression);
  } catch (error) {
    if (error instanceof ExpressionError) return error.message;
    throw error;
  }
  const aggregate = rules.rowsOnly ? firstAggregate(expr) : undefined;
  if (aggregate) {
    return new ExpressionError(
      aggregate.pos,
      `op.${aggregate.name} is an aggregate, which a streaming step would compute per chunk; use the step without _stream`,
    ).message;
  }
  return undefined;
}

/**
 * A zod string schema that accepts only expressions of the language; a bad one is a config issue
 * at this field (reported by `wf.validate()` as `CONFIG_INVALID` at `steps[i].config.<field>`).
 */
export function expressionSchema(description: string, rules: ExpressionRules = {}) {
  return z
    .string()
    .min(1)
    .superRefine((expression, ctx) => {
      const problem = expressionProblem(expression, rules);
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
