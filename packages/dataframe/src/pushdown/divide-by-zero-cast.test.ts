// Regression (pushdown-agreement, seed -1298751993): `d.v / (d.v - d.v)` twice gives -Infinity, then
// NaN (-Infinity / NaN), step by step and in DuckDB alike; a later `cast` to number with onError
// "fail" then fails the run with pushdown on and off, with the same error. The error names the
// NaN it met (JSON.stringify would print it as null, which read as a null pushed down from SQL).
import { materializeValue, RuntimeContext, registry, Workflow, WorkflowRunner } from '@stepwise/core';
import { type ColumnTable, table } from 'arquero';
import { afterEach, expect, it } from 'vitest';
import '../index.js';
import { isLazy } from '../data-type/dataframe-type.js';
import { writeParquet } from '../steps/parquet-steps.js';
import { runStep, tempDataRoot } from '../steps/test-kit.js';
import { configurePushdown, resetPushdownConfig } from './pushdown-config.js';

afterEach(() => resetPushdownConfig());

const DIVIDE = { columns: { v: 'd.v / (d.v - d.v)' } };

/** read_parquet → cast f → divide twice (→ cast v to number, when `cast`): each step's v, and the run's error. */
async function divided(pushdown: boolean, cast: boolean) {
  configurePushdown({ enabled: pushdown });
  const wf = new Workflow({ id: 'divide', name: 'Divide', registry });
  wf.add('read_parquet', { path: 'in.parquet' }, { id: 'load' });
  wf.add('cast', { columns: { f: 'number' } }, { id: 'f' });
  wf.add('derive', DIVIDE, { id: 'once' });
  wf.add('derive', DIVIDE, { id: 'twice' });
  if (cast) wf.add('cast', { columns: { v: 'number' } }, { id: 'v' });
  const context = new RuntimeContext();
  const run = await new WorkflowRunner().run(wf, { context });
  const v: unknown[][] = [];
  const lazy: string[] = [];
  for (const id of ['once', 'twice']) {
    const value = context.get(run.steps.get(id)?.output as string);
    if (isLazy(value)) lazy.push(id);
    const rows = (await materializeValue(registry, 'DataFrame', value)) as ColumnTable;
    v.push(Array.from(rows.array('v') as ArrayLike<unknown>));
  }
  const error = run.error as { code?: string; message?: string } | undefined;
  return { status: run.status, v, lazy, error: error && { code: error.code, message: error.message } };
}

it('divides by zero to -Infinity and NaN with pushdown on and off', async () => {
  tempDataRoot();
  await runStep(writeParquet, table({ id: [0], g: ['a'], v: [-2.5], f: [true] }), { path: 'in.parquet' });
  const off = await divided(false, false);
  const on = await divided(true, false);
  expect(off.v).toEqual([[Number.NEGATIVE_INFINITY], [Number.NaN]]);
  expect(on.lazy).toEqual(['once', 'twice']);
  expect(on.v).toEqual(off.v);
});

it('fails a cast of the NaN to number alike with pushdown on and off, naming the NaN', async () => {
  tempDataRoot();
  await runStep(writeParquet, table({ id: [0], g: ['a'], v: [-2.5], f: [true] }), { path: 'in.parquet' });
  const off = await divided(false, true);
  const on = await divided(true, true);
  expect(off.status).toBe('failed');
  expect(off.error?.code).toBe('CAST_FAILED');
  expect(off.error?.message).toContain('value NaN in column "v" (row 0) is not a number');
  expect(on.status).toBe('failed');
  expect(on.error).toEqual(off.error);
});
