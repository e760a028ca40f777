import { RuntimeContext, type WorkflowRunner } from '@stepwise/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleRunner, faultsWorkflow, scoreWorkflow, streamingWorkflow } from './workflows.js';

describe('examples/parallel', () => {
  let runner: WorkflowRunner;
  beforeAll(async () => {
    runner = await exampleRunner();
  });
  afterAll(() => runner.close());

  it('scores rows on 2 worker threads, in input order, the same as inline, and summarizes them in batch', async () => {
    const context = new RuntimeContext();
    const data = Array.from({ length: 5_000 }, (_, i) => i);
    const numbers = context.put(data, { type: 'JSON' });
    const onThreads = await runner.run(scoreWorkflow(), { context, inputs: { numbers } });
    expect(onThreads.status).toBe('completed');
    const inline = await runner.run(scoreWorkflow(1), { context, inputs: { numbers } });
    const scores = context.get(onThreads.outputs.scores as string) as { n: number }[];
    expect(scores.length).toBeGreaterThan(4_000);
    expect(scores).toEqual(context.get(inline.outputs.scores as string));
    expect(scores.map((row) => row.n)).toEqual([...scores.map((row) => row.n)].sort((a, b) => a - b));
    expect(context.get(onThreads.outputs.summary as string)).toMatchObject({ count: scores.length });
  });

  it('runs the streaming workflow as one fused pipeline', async () => {
    const context = new RuntimeContext();
    const run = await runner.run(streamingWorkflow(), { context });
    expect(run.status).toBe('completed');
    expect(context.get(run.outputs.result as string)).toEqual([{ rows: 4760, total: 26180 }]);
    expect(run.steps.get('parse')?.output).toBeUndefined();
  });

  it('fails a coded error after its retry and a busy step on its timeout; the threads keep working', async () => {
    const context = new RuntimeContext();
    const numbers = context.put([3, 1, -4, 1, 5, -9], { type: 'JSON' });
    const run = await runner.run(faultsWorkflow(), { context, inputs: { numbers } });
    expect(run.status).toBe('failed');
    expect(run.steps.get('check')).toMatchObject({
      status: 'failed',
      attempts: 2,
      error: { code: 'NEGATIVE_NUMBER', message: 'Row 2 (-4) failed: -4 is negative', details: { row: 2, value: -4 } },
    });
    expect(run.steps.get('busy')).toMatchObject({ status: 'failed', error: { code: 'STEP_TIMEOUT' } });
    const after = await runner.run(scoreWorkflow(), { context, inputs: { numbers } });
    expect(after.status).toBe('completed');
  });
});
