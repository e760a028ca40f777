// The sales example's own step types, next to the table step library of @stepwise/dataframe.
// Listed in the root stepwise.config.ts, so `stepwise run`, worker threads and the tests load them.
import { StepwiseError, stepType } from '@stepwise/core';
import { arquero, COLUMN_NOT_FOUND, type DataFrame } from '@stepwise/dataframe';
import { z } from 'zod';

/** True for a cell that holds nothing: null, undefined, NaN or blank text. */
function isEmpty(value: unknown): boolean {
  return (
    value === null || value === undefined || Number.isNaN(value) || (typeof value === 'string' && value.trim() === '')
  );
}

/**
 * Function form: `stepType(definition, fn)` registers the step type and returns it.
 * Drops the rows with more than `threshold` of their cells empty, and the rows whose
 * quantity is not a positive number (returns, typos).
 */
export const cleanData = stepType(
  {
    slug: 'clean_data',
    name: 'Clean sales data',
    description:
      'Drop rows with more than `threshold` of their cells empty (null, NaN or blank), and rows whose `quantity` is not positive.',
    params: z.object({
      threshold: z.number().min(0).max(1).default(0.25).describe('Largest share of empty cells a kept row may have.'),
    }),
    inputType: 'DataFrame',
    outputType: 'DataFrame',
    metadata: { category: 'cleaning', example: 'sales' },
  },
  (df, { threshold }, ctx) => {
    const columns = df.columnNames();
    const kept = df.filter(
      arquero().escape((row: Record<string, unknown>) => {
        const empty = columns.reduce((n, name) => n + (isEmpty(row[name]) ? 1 : 0), 0);
        return empty / columns.length <= threshold && Number(row.quantity) > 0;
      }),
    );
    ctx.log.info(`clean_data kept ${kept.numRows()} of ${df.numRows()} rows`);
    return kept.reify();
  },
);

/** Decorator form: `@stepType(definition)` on a static method registers the same way. */
// biome-ignore lint/complexity/noStaticOnlyClass: the decorator form of stepType decorates static methods
export class SalesSteps {
  /** Trims and lower-cases a text column (" North " → "north"); blank cells become null. */
  @stepType({
    slug: 'normalize_region',
    name: 'Normalize region',
    description: 'Trim and lower-case a text column, so " North" and "north " group together; blank cells become null.',
    params: z.object({ column: z.string().min(1).default('region') }),
    inputType: 'DataFrame',
    outputType: 'DataFrame',
    metadata: { category: 'cleaning', example: 'sales' },
  })
  static normalizeRegion(df: DataFrame, { column }: { column: string }): DataFrame {
    if (!df.columnNames().includes(column)) {
      const known = df.columnNames().join(', ');
      throw new StepwiseError(COLUMN_NOT_FOUND, `normalize_region: no column "${column}" (columns: ${known}).`);
    }
    const normalize = arquero().escape((row: Record<string, unknown>) => {
      const value = row[column];
      if (isEmpty(value)) return null;
      return String(value).trim().toLowerCase();
    });
    return df.derive({ [column]: normalize }).reify();
  }
}
