// Where a pushed-down segment ends: a step that is not a built-in table step, a step with cache, an
// expression with no SQL of the same meaning. And what a lazy output is: a plan naming its steps,
// refused once its source file changed.
import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import {
  type JsonObject,
  materializeValue,
  RuntimeContext,
  registry,
  type StepStrategy,
  stepType,
  Workflow,
  WorkflowRunner,
} from '@stepwise/core';
import { type ColumnTable, table } from 'arquero';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import '../index.js';
import { DataFrameType, isLazy } from '../data-type/dataframe-type.js';
import { writeParquet } from '../steps/parquet-steps.js';
import { runStep, tempDataRoot } from '../steps/test-kit.js';
import { LazyFrame } from './lazy-frame.js';
import { configurePushdown, resetPushdownConfig } from './pushdown-config.js';
import { pushdownSegments } from './pushdown-segments.js';

let root = '';
beforeAll(async () => {
  root = tempDataRoot();
  const data = table({ g: ['a', 'b', 'a', null], v: [1, 2, 3, null] });
  await runStep(writeParquet, data, { path: 'in.parquet' });
});
afterEach(() => resetPushdownConfig());

const seen: unknown[] = [];
stepType(
  { slug: 'pushdown_test_user_step', params: z.object({}), inputType: 'DataFrame', outputType: 'DataFrame' },
  (df) => {
    seen.push(df);
    return df;
  },
);

type Inputs = Record<string, { step: string }>;

async function run(steps: [string, JsonObject, (StepStrategy | undefined)?, Inputs?][]) {
  const wf = new Workflow({ id: 'segments', name: 'Segments', registry });
  steps.forEach(([type, config, strategy, inputs], i) => {
    wf.add(type, config, { id: `s${i}`, ...(strategy ? { strategy } : {}), ...(inputs ? { inputs } : {}) });
  });
  const context = new RuntimeContext();
  const result = await new WorkflowRunner().run(wf, { context });
  const value = (i: number) => context.get(result.steps.get(`s${i}`)?.output as string);
  return { result, value };
}

describe('pushed-down segments', () => {
  it('keeps every output of a pushable chain lazy, and the plan names its steps', async () => {
    const { result, value } = await run([
      ['read_parquet', { path: 'in.parquet' }],
      ['filter_rows', { where: 'd.v > 1' }],
      ['derive', { columns: { w: 'd.v * 2' } }],
      ['aggregate', { groupBy: ['g'], aggregates: [{ op: 'sum', column: 'w' }] }],
      ['write_parquet', { path: 'out.parquet' }],
    ]);
    expect(result.status).toBe('completed');
    for (const i of [0, 1, 2, 3]) expect(isLazy(value(i))).toBe(true);
    expect((value(3) as unknown as LazyFrame).steps()).toEqual(['s1', 's2', 's3']);
    const rows = ((await materializeValue(registry, 'DataFrame', value(3))) as ColumnTable).objects();
    expect(rows).toEqual([
      { g: 'b', sum_w: 4 },
      { g: 'a', sum_w: 6 },
    ]);
    // a lazy value is stored as its plan: small JSON, never rows
    const bytes = DataFrameType.encode(value(2) as ColumnTable);
    expect(bytes.byteLength).toBeLessThan(2000);
    expect(DataFrameType.decode(bytes)).toBeInstanceOf(LazyFrame);
  });

  it('ends the segment at a user step, a cached step and an expression with no SQL of the same meaning', async () => {
    seen.length = 0;
    const { result, value } = await run([
      ['read_parquet', { path: 'in.parquet' }],
      ['pushdown_test_user_step', {}],
      ['filter_rows', { where: 'd.v > 1' }],
      ['read_parquet', { path: 'in.parquet' }],
      ['filter_rows', { where: 'd.v > 1' }, { cache: true }],
      ['read_parquet', { path: 'in.parquet' }],
      ['derive', { columns: { t: 'd.g + d.v' } }],
    ]);
    expect(result.status).toBe('completed');
    expect(isLazy(seen[0])).toBe(false);
    expect(isLazy(value(2))).toBe(false);
    expect(isLazy(value(4))).toBe(false);
    expect(isLazy(value(6))).toBe(false);
    expect((value(6) as ColumnTable).array('t')).toEqual(['a1', 'b2', 'a3', null]);
  });

  it('names the missing column at the step, and refuses a plan whose source file changed', async () => {
    const missing = await run([
      ['read_parquet', { path: 'in.parquet' }],
      ['filter_rows', { where: 'd.nope > 1' }],
    ]);
    expect(missing.result.steps.get('s1')?.error?.code).toBe('COLUMN_NOT_FOUND');
    const { value } = await run([
      ['read_parquet', { path: 'in.parquet' }],
      ['head', { n: 1 }],
    ]);
    const later = new Date(Date.now() + 5000);
    utimesSync(join(root, 'in.parquet'), later, later);
    await expect(materializeValue(registry, 'DataFrame', value(1))).rejects.toMatchObject({ code: 'SOURCE_CHANGED' });
  });

  it('joins two lazy tables in one query, and marks the right chain in the join segment', async () => {
    const join = { input: { step: 's2' }, right: { step: 's0' } };
    const steps: [string, JsonObject, (StepStrategy | undefined)?, Inputs?][] = [
      ['read_parquet', { path: 'in.parquet' }],
      ['read_parquet', { path: 'in.parquet' }],
      ['dedupe', { columns: ['g'] }],
      ['join', { on: 'g', how: 'left' }, undefined, join],
      ['cast', { columns: { v_right: 'boolean' } }],
    ];
    const { result, value } = await run(steps);
    expect(result.status).toBe('completed');
    // dedupe, join and cast each extend the query
    for (const i of [2, 3, 4]) expect(isLazy(value(i))).toBe(true);
    const rows = ((await materializeValue(registry, 'DataFrame', value(4))) as ColumnTable).objects();
    // dedupe keeps a (1), b (2), null; the right table is larger, so (as Arquero does) its rows lead
    // the matches: a (1), b (2), a (3); then the left row whose null key matches nothing
    expect(rows).toEqual([
      { g: 'a', v_left: 1, v_right: true },
      { g: 'b', v_left: 2, v_right: true },
      { g: 'a', v_left: 1, v_right: true },
      { g: null, v_left: null, v_right: null },
    ]);
    configurePushdown({ enabled: false });
    const eager = await run(steps);
    expect(isLazy(eager.value(4))).toBe(false);
    expect((eager.value(4) as ColumnTable).objects()).toEqual(rows);
    resetPushdownConfig();
    const document = steps.map(([type, config, , inputs], i) => ({
      id: `s${i}`,
      type,
      config,
      ...(inputs ? { inputs } : {}),
    }));
    expect(pushdownSegments(document)).toEqual([['s1', 's2', 's0', 's3', 's4']]);
    // a right input that is not pushed down (a user's step) keeps the join in JavaScript
    document.splice(1, 0, { id: 'u', type: 'pushdown_test_user_step', config: {} });
    document[4] = { ...document[4], inputs: { input: { step: 's2' }, right: { step: 'u' } } } as (typeof document)[4];
    expect(pushdownSegments(document)).toEqual([['s1', 's2']]);
  });
});
