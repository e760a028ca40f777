// Your step types. A step type is a function plus its definition: a slug, a zod schema for its
// parameters, and the data types it takes and returns. stepwise.config.ts lists this file.
import { stepType } from '@stepwise/core';
import { type DataFrame, dataFrameFromRows } from '@stepwise/dataframe';
import { z } from 'zod';

// Function form: stepType(definition, fn) registers the step type and returns it.
// mode 'row_iterative': the function gets one row at a time and returns the new row.
export const addTotal = stepType(
  {
    slug: 'add_total',
    name: 'Add order total',
    description: 'Add a `total` column: quantity × unit_price × (1 + taxRate).',
    params: z.object({ taxRate: z.number().min(0).max(1).default(0.2) }),
    inputType: 'DataFrame',
    outputType: 'DataFrame',
    mode: 'row_iterative',
    // Optional: the columns it outputs, so that `stepwise validate` can check the steps after it.
    infer: (_params, { input }) => (input?.columns ? { shape: { columns: [...input.columns, 'total'] } } : undefined),
  },
  (row, { taxRate }) => {
    const total = Number(row.quantity) * Number(row.unit_price) * (1 + taxRate);
    return { ...row, total: Math.round(total * 100) / 100 };
  },
);

// Decorator form: @stepType(definition) on a static method registers it the same way.
// mode 'batch' (the default): the function gets the whole table.
// biome-ignore lint/complexity/noStaticOnlyClass: the decorator form decorates static methods
export class TextSteps {
  @stepType({
    slug: 'normalize_text',
    name: 'Normalize text',
    description: 'Trim and lower-case a text column, so " North" and "north " become the same value.',
    params: z.object({ column: z.string().min(1) }),
    inputType: 'DataFrame',
    outputType: 'DataFrame',
    infer: ({ column }, { input }) => {
      const columns = input?.columns;
      if (columns === undefined || columns.includes(column)) return { shape: input };
      return { issues: [{ path: ['column'], message: `no column "${column}" (columns: ${columns.join(', ')})` }] };
    },
  })
  static normalize(df: DataFrame, { column }: { column: string }): DataFrame {
    const rows = (df.objects() as Record<string, unknown>[]).map((row) => {
      const value = row[column];
      return { ...row, [column]: typeof value === 'string' ? value.trim().toLowerCase() : value };
    });
    return dataFrameFromRows(rows, df);
  }
}
