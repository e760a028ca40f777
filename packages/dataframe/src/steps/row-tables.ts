// The run-time half of filter_rows and derive (and their streaming variants): the typed-loop kernels
// and the row-by-row evaluator, imported when such a step first runs, not with the package.
import type { ColumnTable } from 'arquero';
import { evaluateDerive, evaluateFilter } from '../expressions/evaluate-table.js';
import { columnsOf, parseExpression, requireColumns } from '../expressions/expression.js';
import { fastDerive } from '../kernels/derive-kernel.js';
import { fastFilter } from '../kernels/filter-kernel.js';

/**
 * Keeps the rows for which the expression is true; null, false, 0, '' and NaN drop the row (simple
 * comparisons by a typed loop, else row by row from the syntax tree).
 */
export function filterTable(df: ColumnTable, where: string, step = 'filter_rows'): ColumnTable {
  const expr = parseExpression(where);
  requireColumns(df, step, columnsOf(expr));
  return fastFilter(df, expr) ?? evaluateFilter(df, expr);
}

/** Adds or replaces columns computed by expressions (arithmetic by typed loops, else row by row). */
export function deriveTable(df: ColumnTable, columns: Record<string, string>, step = 'derive'): ColumnTable {
  const exprs = Object.entries(columns).map(([name, text]) => [name, parseExpression(text)] as const);
  requireColumns(df, step, [...new Set(exprs.flatMap(([, expr]) => columnsOf(expr)))]);
  return fastDerive(df, exprs) ?? evaluateDerive(df, exprs);
}
