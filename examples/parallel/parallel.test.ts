import { RuntimeContext, type WorkflowRunner } from '@stepwise/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleRunner, scoreWorkflow, streamingWorkflow } from './workflows.js';

describe('examples/parallel', () => {
  let runner: WorkflowRunner;
  beforeAll(async () => {
    runner = await exampleRunner();
  });
  afterAll(() => runner.close());

  it('scores rows on 2 worker threads, in input order, the same as inline', async () => {
    const context = new RuntimeContext();
    const data = Array.from({ length: 5_000 }, (_, i) => i);
    const numbers = context.put(data, { type: 'JSON' });
    const onThreads = await runner.run(scoreWorkflow(), { context, inputs: { numbers } });
    expect(onThreads.status).toBe('completed');
    const inline = await runner.run(scoreWorkflow(1), { context, inputs: { numbers } });
    const result = context.get(onThreads.outputs.result as string) as { n: number }[];
    expect(result.length).toBeGreaterThan(4_000);
    expect(result).toEqual(context.get(inline.outputs.result as string));
    expect(result.map((row) => row.n)).toEqual([...result.map((row) => row.n)].sort((a, b) => a - b));
  });

  it('runs the streaming workflow as one fused pipeline', async () => {
    const context = new RuntimeContext();
    const run = await runner.run(streamingWorkflow(), { context });
    expect(run.status).toBe('completed');
    expect(context.get(run.outputs.result as string)).toEqual([{ rows: 4760, total: 26180 }]);
    expect(run.steps.get('parse')?.output).toBeUndefined();
  });
});
