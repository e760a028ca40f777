// A pushed-down CSV read plans on the kinds guessed from the file's first block and its query
// guards every value (one scan of the file). A value past that block that does not fit makes the
// plan again from a read that checks every value: the results are the step-by-step results.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type JsonObject, materializeValue, RuntimeContext, registry, Workflow, WorkflowRunner } from '@stepwise/core';
import type { ColumnTable } from 'arquero';
import { afterEach, describe, expect, it } from 'vitest';
import '../index.js';
import { isLazy } from '../data-type/dataframe-type.js';
import { readCsv } from '../steps/io-steps.js';
import { readParquet } from '../steps/parquet-steps.js';
import { fakeContext, runStep, tempDataRoot } from '../steps/test-kit.js';
import { LazyFrame } from './lazy-frame.js';
import { configurePushdown, resetPushdownConfig } from './pushdown-config.js';
import { forgetReplays } from './replays.js';

afterEach(() => resetPushdownConfig());

/** W4's chain: drop null values, keep value > 0.2, derive, count and mean per group, sort, write. */
const W4: { type: string; config: JsonObject }[] = [
  { type: 'clean_nulls', config: { threshold: 0, columns: ['value'] } },
  { type: 'filter_rows', config: { where: 'd.value > 0.2' } },
  { type: 'derive', config: { columns: { value2: 'd.value * 2 + 1' } } },
  {
    type: 'aggregate',
    config: {
      groupBy: ['group'],
      aggregates: [
        { op: 'count', as: 'count' },
        { op: 'mean', column: 'value2', as: 'mean' },
      ],
    },
  },
  { type: 'sort', config: { by: ['group'] } },
];

/** A CSV of `rows` rows (about 30 bytes each: far past the 32 KiB sample), row `at` replaced by `late`. */
function writeInput(root: string, rows: number, late?: { at: number; line: string }): void {
  const lines = ['id,group,value,flag'];
  for (let i = 0; i < rows; i++) {
    const value = i % 20 === 0 ? '' : String(((i * 7919) % 1000) / 500 - 1);
    lines.push(i === late?.at ? late.line : `${i},g${i % 7},${value},${i % 3 === 0}`);
  }
  writeFileSync(join(root, 'input.csv'), `${lines.join('\n')}\n`);
}

/** Runs read_csv and read_csv → join on group → filter → write_parquet; answers the written file's rows. */
async function runJoin(pushdown: boolean, out: string) {
  configurePushdown({ enabled: pushdown });
  const wf = new Workflow({ id: 'late-join', name: 'Late join', registry });
  wf.add('read_csv', { path: 'names.csv' }, { id: 'names' });
  wf.add('read_csv', { path: 'input.csv' }, { id: 'load' });
  const inputs = { input: { step: 'load' }, right: { step: 'names' } };
  wf.add('join', { on: 'group', how: 'left' }, { id: 'joined', inputs });
  wf.add('filter_rows', { where: 'd.value > 0.2' }, { id: 'keep' });
  wf.add('write_parquet', { path: out }, { id: 'save' });
  const run = await new WorkflowRunner().run(wf, { context: new RuntimeContext() });
  if (run.status !== 'completed') throw new Error(JSON.stringify(run.error));
  const written = await runStep(readParquet, undefined, { path: out });
  return ((await materializeValue(registry, 'DataFrame', written)) as ColumnTable).objects();
}

/** Runs read_csv → W4 → write_parquet; answers each step's output, materialized, the written file, and which outputs were lazy. */
async function runW4(pushdown: boolean, out: string, steps = W4) {
  configurePushdown({ enabled: pushdown });
  const wf = new Workflow({ id: 'late', name: 'Late', registry });
  wf.add('read_csv', { path: 'input.csv' }, { id: 'load' });
  steps.forEach((step, i) => {
    wf.add(step.type, step.config, { id: `s${i}` });
  });
  wf.add('write_parquet', { path: out }, { id: 'save' });
  const context = new RuntimeContext();
  const run = await new WorkflowRunner().run(wf, { context });
  if (run.status !== 'completed') return { error: run.error };
  const outputs: unknown[] = [];
  const lazy: string[] = [];
  for (const id of ['load', ...steps.map((_, i) => `s${i}`)]) {
    const value = context.get(run.steps.get(id)?.output as string);
    if (isLazy(value)) lazy.push(id);
    outputs.push(((await materializeValue(registry, 'DataFrame', value)) as ColumnTable).objects());
  }
  const written = await runStep(readParquet, undefined, { path: out });
  outputs.push(((await materializeValue(registry, 'DataFrame', written)) as ColumnTable).objects());
  return { outputs, lazy };
}

/** The same rows; a mean (a running mean in JavaScript, sum / count in DuckDB) within 1e-12 relative. */
function expectSame(on: unknown[] | undefined, off: unknown[] | undefined): void {
  expect(off).toBeDefined();
  expect(on?.length).toBe(off?.length);
  (off as Record<string, unknown>[][]).forEach((rows, i) => {
    const got = (on as Record<string, unknown>[][])[i] as Record<string, unknown>[];
    expect(got.map((row) => ({ ...row, mean: 0 }))).toEqual(rows.map((row) => ({ ...row, mean: 0 })));
    rows.forEach((row, r) => {
      const [x, y] = [got[r]?.mean, row.mean];
      if (typeof x === 'number' && typeof y === 'number')
        expect(Math.abs(x - y)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(y)));
      else expect(x).toEqual(y);
    });
  });
}

// each workflow run here opens DuckDB for the read and again for each output it materializes: a
// test of two runs took 13-26 s beside a full suite on two cores (load 13-18)
describe('a CSV read on guessed kinds', { timeout: 90_000 }, () => {
  it('gives the step-by-step results when the guesses hold, pushed down', async () => {
    writeInput(tempDataRoot(), 3000);
    const off = await runW4(false, 'off.parquet');
    const on = await runW4(true, 'on.parquet');
    expect(on.lazy).toEqual(['load', 's0', 's1', 's2', 's3', 's4']);
    expectSame(on.outputs, off.outputs);
  });

  // one test per line: each runs the workflow twice, and under a full suite's load eight runs in one
  // test outgrew its 30 s
  it.each(['2990,g1,oops,true', '2990,g1,0.5,maybe', '2990,g1,inf,true', '2990,g1,1_0,false'])(
    'gives the step-by-step results when a value past the first block does not fit its guessed kind: %s',
    async (line) => {
      writeInput(tempDataRoot(), 3000, { at: 2990, line });
      const off = await runW4(false, 'off.parquet');
      const on = await runW4(true, 'on.parquet');
      expectSame(on.outputs, off.outputs);
    },
  );

  // row 2990 is in group g1 (the first filter drops it), with a value the reader's DOUBLE parse
  // takes but the guards refuse (inf) or a flag that is not a boolean; one test per line (see above)
  it.each(['2990,g1,inf,false', '2990,g1,0.5,no'])(
    'checks every row, also those a filter or a head drops before the value is used: %s',
    async (line) => {
      const root = tempDataRoot();
      const chains: { type: string; config: JsonObject }[][] = [
        [{ type: 'filter_rows', config: { where: "d.group == 'g2'" } }],
        [
          { type: 'filter_rows', config: { where: 'd.flag' } },
          { type: 'aggregate', config: { groupBy: ['group'], aggregates: [{ op: 'sum', column: 'id', as: 'ids' }] } },
        ],
        [{ type: 'head', config: { n: 5 } }],
        [
          { type: 'clean_nulls', config: { threshold: 0, columns: ['value'] } },
          { type: 'sort', config: { by: ['id'] } },
          { type: 'head', config: { n: 3 } },
        ],
      ];
      writeInput(root, 3000, { at: 2990, line });
      for (const steps of chains) {
        const off = await runW4(false, 'off.parquet', steps);
        const on = await runW4(true, 'on.parquet', steps);
        expectSame(on.outputs, off.outputs);
      }
    },
  );

  it('gives the step-by-step results through a join', async () => {
    const root = tempDataRoot();
    writeFileSync(join(root, 'names.csv'), `group,name\n${[0, 1, 2, 3, 4, 5].map((g) => `g${g},n${g}`).join('\n')}\n`);
    for (const late of [undefined, { at: 2990, line: '2990,g1,oops,true' }]) {
      writeInput(root, 3000, late);
      expect(await runJoin(true, 'on.parquet')).toEqual(await runJoin(false, 'off.parquet'));
    }
  });

  it('fails with the reader error, naming the file and line, at a bad row past the first block', async () => {
    const root = tempDataRoot();
    for (const [line, problem] of [
      ['2990,g1', /^input\.csv:2992: expected 4 fields/],
      ['2990,g1,"0.5,true', /^input\.csv:2992: unterminated/],
    ] as const) {
      writeInput(root, 3000, { at: 2990, line });
      const off = await runW4(false, 'off.parquet');
      const on = await runW4(true, 'on.parquet');
      expect(off.error?.message).toMatch(problem);
      expect(on.error?.message).toMatch(problem);
    }
  });

  it('reads a stored lazy value as its run did, made again here, or checked when made elsewhere', async () => {
    const root = tempDataRoot();
    writeInput(root, 3000);
    configurePushdown({ enabled: true });
    const read = async () =>
      (await (readCsv.fn as (i: unknown, p: unknown, c: unknown) => Promise<unknown>)(
        undefined,
        readCsv.params.parse({ path: 'input.csv' }),
        fakeContext(),
      )) as LazyFrame;
    const held = await read();
    expect(held).toBeInstanceOf(LazyFrame);
    const stored = (frame: LazyFrame) => LazyFrame.decode(frame.encode()) as LazyFrame;
    const eager = async () => {
      configurePushdown({ enabled: false });
      const table = await runStep(readCsv, undefined, { path: 'input.csv' });
      configurePushdown({ enabled: true });
      return table.objects();
    };
    forgetReplays();
    expect((await stored(held).materialize()).objects()).toEqual(await eager());
    writeInput(root, 3000, { at: 2990, line: '2990,g1,oops,true' });
    const wrong = await read();
    expect((await stored(wrong).materialize()).objects()).toEqual(await eager());
    forgetReplays();
    await expect(stored(wrong).materialize()).rejects.toMatchObject({
      code: 'KINDS_GUESSED_WRONG',
      message: expect.stringMatching(/^input\.csv has a value past its first block/),
    });
  });
});
