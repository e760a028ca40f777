import { stepType } from '@stepwise/core/define';
import type { ColumnTable } from 'arquero';
import { z } from 'zod';
import { requireColumns } from '../expressions/expression.js';
import { keepFewNulls } from '../kernels/null-kernel.js';
import { pushOr } from './lazy-push.js';
import { checkNames, inputColumns, keyed, listed, sameColumns } from './shape-checks.js';
import { isMissing } from './step-helpers.js';

/** Drops the rows whose share of missing cells (null, undefined, NaN) over `columns` exceeds `threshold`. */
export function dropNullRows(df: ColumnTable, threshold: number, columns?: readonly string[]): ColumnTable {
  const names = columns && columns.length > 0 ? columns : df.columnNames();
  if (names.length === 0) return df;
  requireColumns(df, 'clean_nulls', names);
  // A row is kept while its null count stays at or under this many cells.
  return keepFewNulls(df, names, Math.floor(threshold * names.length + 1e-9));
}

/** Drops rows with too many null cells. */
export const cleanNulls = stepType(
  {
    slug: 'clean_nulls',
    name: 'Clean nulls',
    description:
      'Drop rows whose share of null cells (null, missing or NaN) exceeds `threshold`, counted over `columns` (all columns by default). threshold 0 drops every row with a null.',
    params: z.object({
      threshold: z
        .number()
        .min(0)
        .max(1)
        .default(0.5)
        .describe('Largest share of null cells a kept row may have, from 0 (none) to 1 (keep all).'),
      columns: z.array(z.string().min(1)).optional().describe('Count nulls only in these columns (default: all).'),
    }),
    inputType: 'DataFrame',
    outputType: 'DataFrame',
    metadata: { category: 'cleaning' },
    infer: ({ columns }, inputs) =>
      sameColumns(inputs, checkNames(inputColumns(inputs), listed('columns', columns ?? []))),
    lazyInput: true,
  },
  (df, { threshold, columns }, ctx) =>
    pushOr(df, ctx, { type: 'clean_nulls', push: (p, f, s) => p.pushCleanNulls(f, threshold, columns, s) }, (t) =>
      dropNullRows(t, threshold, columns),
    ),
);

const fillValue = z.union([z.string(), z.number(), z.boolean()]);

/** Replaces null cells with values, per column. */
export const fillNulls = stepType(
  {
    slug: 'fill_nulls',
    name: 'Fill nulls',
    description:
      'Replace null cells (null, missing or NaN) with a value per column, e.g. { "discount": 0, "region": "unknown" }.',
    params: z.object({
      values: z
        .record(z.string().min(1), fillValue)
        .refine((map) => Object.keys(map).length > 0, 'Give at least one column to fill.')
        .describe('Column name → the value that replaces its nulls.'),
    }),
    inputType: 'DataFrame',
    outputType: 'DataFrame',
    metadata: { category: 'cleaning' },
    infer: ({ values }, inputs) => sameColumns(inputs, checkNames(inputColumns(inputs), keyed('values', values))),
  },
  (df, { values }) => {
    requireColumns(df, 'fill_nulls', Object.keys(values));
    const base = df.reify();
    const filled: Record<string, unknown[]> = {};
    for (const [name, value] of Object.entries(values)) {
      filled[name] = Array.from(base.array(name) as ArrayLike<unknown>, (cell) => (isMissing(cell) ? value : cell));
    }
    return base.assign(filled);
  },
);
