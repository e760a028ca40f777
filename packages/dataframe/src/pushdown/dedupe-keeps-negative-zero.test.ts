// Regression: a pushed-down dedupe rendered as `QUALIFY row_number() OVER (PARTITION BY ...) = 1`
// gave 0 where the kept row had -0 (DuckDB rewrites that filter into an aggregate of the row's
// values), so the pushed-down result differed from the step-by-step one.
import { materializeValue, RuntimeContext, registry, Workflow, WorkflowRunner } from '@stepwise/core';
import { type ColumnTable, table } from 'arquero';
import { afterEach, expect, it } from 'vitest';
import '../index.js';
import { isLazy } from '../data-type/dataframe-type.js';
import { writeParquet } from '../steps/parquet-steps.js';
import { runStep, tempDataRoot } from '../steps/test-kit.js';
import { configurePushdown, resetPushdownConfig } from './pushdown-config.js';

afterEach(() => resetPushdownConfig());

async function deduped(pushdown: boolean): Promise<{ lazy: boolean; w: unknown[] }> {
  configurePushdown({ enabled: pushdown });
  const wf = new Workflow({ id: 'dedupe', name: 'Dedupe', registry });
  wf.add('read_parquet', { path: 'in.parquet' }, { id: 'load' });
  wf.add('sort', { by: ['id'] }, { id: 'sorted' });
  wf.add('dedupe', { columns: ['g'] }, { id: 'first' });
  const context = new RuntimeContext();
  const run = await new WorkflowRunner().run(wf, { context });
  const value = context.get(run.steps.get('first')?.output as string);
  const rows = (await materializeValue(registry, 'DataFrame', value)) as ColumnTable;
  return { lazy: isLazy(value), w: Array.from(rows.array('w') as ArrayLike<unknown>) };
}

it('keeps -0 in the rows a pushed-down dedupe keeps', async () => {
  tempDataRoot();
  const data = table({ id: [1, 2, 3, 4], g: ['a', 'a', 'b', 'b'], w: [-0, 1, 0, -0] });
  await runStep(writeParquet, data, { path: 'in.parquet' });
  const on = await deduped(true);
  const off = await deduped(false);
  expect(on.lazy).toBe(true);
  expect(off.w).toEqual([-0, 0]);
  expect(Object.is(on.w[0], -0)).toBe(true);
  expect(on.w).toEqual(off.w);
});
