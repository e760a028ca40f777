import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RuntimeContext, threadsExecutor, Workflow, WorkflowRunner } from '@stepwise/core';
import { type ColumnTable, table } from 'arquero';
import { afterAll, describe, expect, it } from 'vitest';
import '../index.js';
import { resetFilesConfig } from '../files/data-root.js';
import { expectSameTable } from '../kernels/test-kit.js';
import { aggregateTable } from './aggregate-step.js';
import { tempDataRoot } from './test-kit.js';

const ROWS = 25_000;
const root = tempDataRoot();
const runner = new WorkflowRunner({
  stepModules: ['@stepwise/dataframe'],
  executors: { threads: threadsExecutor({ maxThreads: 2 }) },
});
afterAll(async () => {
  await runner.close();
  resetFilesConfig();
});

/**
 * aggregate_stream folds and write_csv_stream writes one file: each reads its whole stream. Run on
 * worker threads with workers: 2, chunk by chunk as a map step would be, each would see one chunk.
 */
describe('streaming steps that read their whole stream, on worker threads', () => {
  it('aggregate_stream and write_csv_stream give the whole input, not one chunk of it', async () => {
    const rows = table({
      g: Array.from({ length: ROWS }, (_, i) => `g${i % 7}`),
      v: Array.from({ length: ROWS }, (_, i) => (i % 13) / 4),
    });
    const wf = new Workflow({ id: 'whole_stream', name: 'Whole stream', inputs: { rows: { type: 'DataFrame' } } });
    const strategy = { executor: 'threads' as const, workers: 2, chunkRows: 1_000 };
    const aggregates = [{ op: 'count' as const }, { op: 'mean' as const, column: 'v' }];
    wf.add(
      'aggregate_stream',
      { groupBy: ['g'], aggregates },
      { id: 'by', inputs: { input: { input: 'rows' } }, strategy },
    );
    wf.add('write_csv_stream', { path: 'all.csv' }, { id: 'write', inputs: { input: { input: 'rows' } }, strategy });
    const context = new RuntimeContext();
    const input = context.put(rows, { type: 'DataFrame' });
    const run = await runner.run(wf, { context, inputs: { rows: input } });

    expect(run.status).toBe('completed');
    const by = context.get(run.steps.get('by')?.output as string) as ColumnTable;
    expectSameTable(by, aggregateTable(rows, ['g'], aggregates));
    const lines = readFileSync(join(root, 'all.csv'), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(ROWS + 1);
    expect(lines[0]).toBe('g,v');
    expect(lines[ROWS]).toBe(`g${(ROWS - 1) % 7},${((ROWS - 1) % 13) / 4}`);
  });
});
