import { StepRegistry, stepType } from '@stepwise/core';
import type { ColumnTable } from 'arquero';
import { expectTypeOf, test } from 'vitest';
import './dataframe-type.js';

test('inputType "DataFrame" gives the step function a ColumnTable, and rows are plain objects', () => {
  const registry = new StepRegistry();
  stepType({ slug: 'count_rows', inputType: 'DataFrame', outputType: 'DataFrame', registry }, (df) => {
    expectTypeOf(df).toEqualTypeOf<ColumnTable>();
    return df;
  });
  stepType(
    { slug: 'per_row', inputType: 'DataFrame', outputType: 'DataFrame', mode: 'row_iterative', registry },
    (row) => {
      expectTypeOf(row).toEqualTypeOf<Record<string, unknown>>();
      return row;
    },
  );
});
