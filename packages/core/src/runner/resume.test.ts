import { describe, expect, it } from 'vitest';
import { RuntimeContext } from '../context/index.js';
import type { RunRecord } from '../model/run.js';
import { StepRegistry } from '../registry/step-registry.js';
import { jsonStep, workflow } from './fixtures.contract.js';
import { Run } from './run.js';
import { WorkflowRunner } from './workflow-runner.js';

/** a -> b (fails until fixed) -> c, and a -> d (independent); counts calls per step. */
function flakyWorkflow() {
  const registry = new StepRegistry();
  const calls: Record<string, number> = {};
  const state = { broken: true };
  const count = (id: string) => {
    calls[id] = (calls[id] ?? 0) + 1;
  };
  const one = jsonStep(
    registry,
    'one',
    (_i, _p, ctx) => {
      count(ctx.stepId);
      return 1;
    },
    { source: true },
  );
  const fragile = jsonStep(registry, 'fragile', (n, _p, ctx) => {
    count(ctx.stepId);
    if (state.broken) throw new Error('not yet');
    return (n as number) + 1;
  });
  const inc = jsonStep(registry, 'inc', (n, _p, ctx) => {
    count(ctx.stepId);
    return (n as number) + 1;
  });
  const wf = workflow([
    { id: 'a', type: one },
    { id: 'b', type: fragile },
    { id: 'c', type: inc },
    { id: 'd', type: inc, inputs: { input: { step: 'a' } } },
  ]);
  return { wf, calls, state, registry };
}

describe('resume', () => {
  it('re-runs only the failed and skipped steps, reusing completed outputs', async () => {
    const { wf, calls, state } = flakyWorkflow();
    const context = new RuntimeContext();
    const runner = new WorkflowRunner();
    const run = await runner.run(wf, { context });
    expect(run.status).toBe('failed');
    const aOutput = run.steps.get('a')?.output;
    state.broken = false;
    const again = await runner.resume(run);
    expect(again).toBe(run);
    expect(run.status).toBe('completed');
    expect(run.error).toBeUndefined();
    expect(calls).toEqual({ a: 1, b: 2, c: 1, d: 1 });
    expect(run.steps.get('a')?.output).toBe(aOutput);
    expect(context.get(run.steps.get('c')?.output as string)).toBe(3);
    expect(context.get(run.outputs.result as string)).toBe(2);
  });

  it('re-runs a completed step whose output is gone from the context', async () => {
    const { wf, calls, state } = flakyWorkflow();
    const context = new RuntimeContext();
    const runner = new WorkflowRunner();
    const run = await runner.run(wf, { context });
    context.delete(run.steps.get('a')?.output as string);
    state.broken = false;
    await runner.resume(run);
    expect(run.status).toBe('completed');
    expect(calls).toEqual({ a: 2, b: 2, c: 1, d: 1 });
  });

  it('re-runs cancelled steps', async () => {
    const { wf, calls, state } = flakyWorkflow();
    state.broken = false;
    const runner = new WorkflowRunner();
    const run = await runner.run(wf, { signal: AbortSignal.abort() });
    expect(run.status).toBe('cancelled');
    await runner.resume(run);
    expect(run.status).toBe('completed');
    expect(calls).toEqual({ a: 1, b: 1, c: 1, d: 1 });
  });

  it('resumes from the record saved in the context, as a new process would', async () => {
    const { wf, calls, state, registry } = flakyWorkflow();
    const context = new RuntimeContext();
    const first = await new WorkflowRunner().run(wf, { context });
    const record = context.store.runs.load(first.id)?.record as RunRecord;
    expect(record).toMatchObject({ format: 'stepwise.run', id: first.id, status: 'failed' });
    state.broken = false;
    const runner = new WorkflowRunner({ registry });
    const resumed = await runner.resume(record, { context });
    expect(resumed.id).toBe(first.id);
    expect(resumed.status).toBe('completed');
    expect(calls).toEqual({ a: 1, b: 2, c: 1, d: 1 });
    expect(context.store.runs.load(first.id)?.record).toMatchObject({ status: 'completed' });
    const rebuilt = Run.fromJSON(context.store.runs.load(first.id)?.record, { registry, context });
    expect(rebuilt.toJSON()).toEqual(JSON.parse(JSON.stringify(resumed.toJSON())));
  });

  it('continues the event sequence across a resume', async () => {
    const { wf, state } = flakyWorkflow();
    const runner = new WorkflowRunner();
    const seqs: number[] = [];
    const run = await runner.run(wf, { onEvent: (e) => seqs.push(e.seq) });
    state.broken = false;
    await runner.resume(run, { onEvent: (e) => seqs.push(e.seq) });
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });

  it('rejects a malformed record and a record without its context', async () => {
    const runner = new WorkflowRunner();
    const context = new RuntimeContext();
    await expect(runner.resume({ nope: true } as unknown as RunRecord, { context })).rejects.toMatchObject({
      code: 'RUN_NOT_RESUMABLE',
    });
    const { wf } = flakyWorkflow();
    const run = await runner.run(wf, { context });
    await expect(runner.resume(run.toJSON())).rejects.toMatchObject({ code: 'RUN_NOT_RESUMABLE' });
  });

  it("a resume refused for a bad input ref leaves the run's inputs as they were", async () => {
    const registry = new StepRegistry();
    let broken = true;
    const echo = jsonStep(registry, 'echo', (input) => {
      if (broken) throw new Error('broken');
      return input;
    });
    const wf = workflow([{ id: 'e', type: echo, inputs: { input: { input: 'x' } } }], {
      inputs: { x: { type: 'JSON' } },
    });
    const context = new RuntimeContext();
    const x = context.put(7, { type: 'JSON' });
    const runner = new WorkflowRunner();
    const run = await runner.run(wf, { context, inputs: { x } });
    expect(run.status).toBe('failed');
    await expect(runner.resume(run, { inputs: { x: 'ref_missing_0000' } })).rejects.toMatchObject({
      code: 'REF_NOT_FOUND',
    });
    expect(run.inputs).toEqual({ x });
    broken = false;
    await runner.resume(run);
    expect(context.get(run.outputs.result as string)).toBe(7);
  });
});
