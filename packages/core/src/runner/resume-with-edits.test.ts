// Resume takes the document as it is now: what changed runs again with everything downstream; the rest is kept.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileStore } from '../context/file/file-store.js';
import { RuntimeContext } from '../context/runtime-context.js';
import type { RunEvent } from '../model/run.js';
import { StepRegistry } from '../registry/step-registry.js';
import type { StepType } from '../registry/step-type.js';
import { jsonStep, type StepSpec, workflow } from './fixtures.contract.js';
import { WorkflowRunner } from './workflow-runner.js';

const root = mkdtempSync(join(tmpdir(), 'stepwise-resume-edits-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Step types that count their calls: `source` (n), `add` (input + n), `slow` (waits n ms, then input + 1). */
function library() {
  const registry = new StepRegistry();
  const calls: string[] = [];
  const source = jsonStep(
    registry,
    'source',
    (_i, p, ctx) => {
      calls.push(ctx.stepId);
      return p.n ?? 1;
    },
    { source: true },
  );
  const add = jsonStep(registry, 'add', (input, p, ctx) => {
    calls.push(ctx.stepId);
    return (input as number) + (p.n ?? 1);
  });
  const slow = jsonStep(registry, 'slow', async (input, p, ctx) => {
    calls.push(ctx.stepId);
    await new Promise((resolve) => setTimeout(resolve, p.n ?? 1));
    return (input as number) + 1;
  });
  return { calls, source, add, slow };
}

/** a (source) -> b (add) -> c (add); d (add) reads a. */
function specs(types: { source: StepType; add: StepType }, b: { n: number }): StepSpec[] {
  return [
    { id: 'a', type: types.source },
    { id: 'b', type: types.add, config: b },
    { id: 'c', type: types.add },
    { id: 'd', type: types.add, inputs: { input: { step: 'a' } } },
  ];
}

describe('resume with an edited workflow', () => {
  it('runs the changed step and everything after it; unchanged steps keep their output, reused', async () => {
    const lib = library();
    const context = new RuntimeContext();
    const runner = new WorkflowRunner();
    const first = await runner.run(workflow(specs(lib, { n: 1 })), { context });
    const failed = { ...first.toJSON(), status: 'failed' as const };
    lib.calls.length = 0;
    const events: RunEvent[] = [];
    const run = await runner.resume(failed, {
      context,
      workflow: workflow(specs(lib, { n: 5 })),
      onEvent: (event) => events.push(event),
    });
    expect(run.status).toBe('completed');
    expect(lib.calls).toEqual(['b', 'c']);
    expect(context.get(run.steps.get('c')?.output as string)).toBe(7);
    expect(run.steps.get('a')?.output).toBe(first.steps.get('a')?.output);
    expect(run.steps.get('a')?.reusedFrom).toBe(first.id);
    const reused = events.filter((event) => event.type === 'step.completed' && event.reusedFrom !== undefined);
    expect(reused.map((event) => 'stepId' in event && event.stepId)).toEqual(['a', 'd']);
  });

  it('applies a raised timeout: the step that timed out runs again under the new strategy and completes', async () => {
    const lib = library();
    const context = new RuntimeContext({ store: new FileStore(mkdtempSync(join(root, 'timeout-'))) });
    const steps = (timeoutMs: number): StepSpec[] => [
      { id: 'a', type: lib.source },
      { id: 'wait', type: lib.slow, config: { n: 200 }, strategy: { timeoutMs } },
    ];
    const first = await new WorkflowRunner().run(workflow(steps(20)), { context });
    expect(first.steps.get('wait')?.error?.code).toBe('STEP_TIMEOUT');
    lib.calls.length = 0;
    // a new runner, by id: as another process resuming from the store
    const run = await new WorkflowRunner().resume(first.id, { context, workflow: workflow(steps(5_000)) });
    expect(run.status).toBe('completed');
    expect(lib.calls).toEqual(['wait']);
  });

  it('runs again a step whose type changed its code, and the steps reading it', async () => {
    const before = library();
    const context = new RuntimeContext();
    const runner = new WorkflowRunner();
    const first = await runner.run(workflow(specs(before, { n: 1 })), { context });
    const after = library();
    const edited = jsonStep(new StepRegistry(), 'source', () => 7, { source: true });
    const run = await runner.resume(
      { ...first.toJSON(), status: 'failed' },
      { context, workflow: workflow(specs({ source: edited, add: after.add }, { n: 1 })) },
    );
    expect(after.calls).toEqual(['b', 'c', 'd']);
    expect(context.get(run.steps.get('c')?.output as string)).toBe(9);
  });

  it('a resume cancelled before it reached a completed step keeps that step completed for the next one', async () => {
    const lib = library();
    const context = new RuntimeContext();
    const wf = workflow(specs(lib, { n: 1 }));
    const runner = new WorkflowRunner({ registry: wf.registry });
    const first = await runner.run(wf, { context });
    const record = { ...first.toJSON(), status: 'failed' as const };
    const cancelled = await runner.resume(record, { context, signal: AbortSignal.abort() });
    expect(cancelled.steps.get('c')).toMatchObject({ status: 'completed', output: first.steps.get('c')?.output });
    lib.calls.length = 0;
    const again = await runner.resume(cancelled.id, { context });
    expect(again.status).toBe('completed');
    expect(lib.calls).toEqual([]);
  });

  it('refuses a workflow of another id, and a run this process still executes', async () => {
    const lib = library();
    const context = new RuntimeContext();
    const runner = new WorkflowRunner();
    const first = await runner.run(workflow(specs(lib, { n: 1 })), { context });
    const other = workflow(specs(lib, { n: 1 }), { id: 'another' });
    await expect(runner.resume(first.toJSON(), { context, workflow: other })).rejects.toMatchObject({
      code: 'RUN_NOT_RESUMABLE',
    });
    await expect(runner.resume('run_unknown', { context })).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' });
  });
});
