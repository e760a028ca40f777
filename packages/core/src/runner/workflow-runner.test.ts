import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { RuntimeContext } from '../context/index.js';
import type { StepExecutor, StepTask } from '../executors/executor.js';
import type { RunEvent } from '../model/run.js';
import { StepRegistry } from '../registry/step-registry.js';
import type { StepContext } from '../registry/step-type.js';
import { jsonStep, workflow } from './fixtures.contract.js';
import { WorkflowRunner } from './workflow-runner.js';

function chain() {
  const registry = new StepRegistry();
  const order: string[] = [];
  const source = jsonStep(
    registry,
    'source',
    (_i, _p, ctx) => {
      order.push(ctx.stepId);
      return 1;
    },
    { source: true },
  );
  const inc = jsonStep(registry, 'inc', async (n, p, ctx) => {
    order.push(ctx.stepId);
    return (n as number) + (p.n ?? 1);
  });
  const wf = workflow([
    { id: 'a', type: source },
    { id: 'b', type: inc, config: { n: 10 } },
    { id: 'c', type: inc },
  ]);
  return { wf, order };
}

describe('WorkflowRunner', () => {
  it('runs steps in list order, each reading the previous output, and reports events in order', async () => {
    const { wf, order } = chain();
    const context = new RuntimeContext();
    const events: RunEvent[] = [];
    const run = await new WorkflowRunner().run(wf, { context, onEvent: (e) => events.push(e) });
    expect(run.status).toBe('completed');
    expect(run.id).toMatch(/^run_/);
    expect(order).toEqual(['a', 'b', 'c']);
    expect(context.get(run.outputs.result as string)).toBe(12);
    expect(run.steps.get('b')).toMatchObject({ status: 'completed', attempts: 1 });
    expect(events.map((e) => `${e.type}${'stepId' in e ? ` ${e.stepId}` : ''}`)).toEqual([
      'run.started',
      'step.started a',
      'step.completed a',
      'step.started b',
      'step.completed b',
      'step.started c',
      'step.completed c',
      'run.completed',
    ]);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.every((e) => e.runId === run.id && typeof e.ts === 'number')).toBe(true);
    expect(JSON.parse(JSON.stringify(events))).toEqual(events);
  });

  it('gives the step function its input, params and a ctx with every named input', async () => {
    const registry = new StepRegistry();
    const seen: unknown[] = [];
    const one = jsonStep(registry, 'one', () => [1, 2], { source: true });
    const join = jsonStep(
      registry,
      'join',
      (input, params, ctx: StepContext) => {
        seen.push(input, params, ctx.inputs, ctx.runId, ctx.stepId, ctx.attempt, ctx.signal.aborted);
        return null;
      },
      { inputs: { right: 'JSON' } },
    );
    const wf = workflow(
      [
        { id: 'a', type: one },
        { id: 'j', type: join, config: { n: 3 }, inputs: { input: { step: 'a' }, right: { input: 'extra' } } },
      ],
      { inputs: { extra: { type: 'JSON' } } },
    );
    const context = new RuntimeContext();
    const extra = context.put({ x: 1 }, { type: 'JSON' });
    const run = await new WorkflowRunner().run(wf, { context, inputs: { extra } });
    expect(run.status).toBe('completed');
    expect(seen).toEqual([[1, 2], { n: 3 }, { input: [1, 2], right: { x: 1 } }, run.id, 'j', 1, false]);
  });

  it('refuses to start without a declared input (INPUT_MISSING) or with a ref the context lacks', async () => {
    const registry = new StepRegistry();
    const id = jsonStep(registry, 'id', (n) => n);
    const wf = workflow([{ id: 'x', type: id, inputs: { input: { input: 'data' } } }], {
      inputs: { data: { type: 'JSON' } },
    });
    await expect(new WorkflowRunner().run(wf)).rejects.toMatchObject({
      code: 'INPUT_MISSING',
      message: expect.stringContaining('"data"'),
    });
    await expect(new WorkflowRunner().run(wf, { inputs: { data: 'ref_nothere123' } })).rejects.toMatchObject({
      code: 'REF_NOT_FOUND',
    });
  });

  it('refuses a runId that is not of the run id form with RUN_ID_INVALID, before any step runs', async () => {
    const { wf, order } = chain();
    await expect(new WorkflowRunner().run(wf, { runId: '../x' })).rejects.toMatchObject({
      code: 'RUN_ID_INVALID',
      message: expect.stringContaining('"../x"'),
    });
    expect(order).toEqual([]);
  });

  it('emits progress and log events with the step id, and survives logging without a listener', async () => {
    const registry = new StepRegistry();
    const chatty = jsonStep(
      registry,
      'chatty',
      (_i, _p, ctx) => {
        ctx.progress(1, 2);
        ctx.log.info('half way');
        ctx.log.debug('not an event');
        ctx.progress(2);
        return 1;
      },
      { source: true },
    );
    const wf = workflow([{ id: 'c', type: chatty }]);
    const events: RunEvent[] = [];
    await new WorkflowRunner().run(wf, { onEvent: (e) => events.push(e) });
    const middle = events.filter((e) => e.type === 'step.progress' || e.type === 'step.log');
    expect(middle).toMatchObject([
      { type: 'step.progress', stepId: 'c', done: 1, total: 2 },
      { type: 'step.log', stepId: 'c', level: 'info', message: 'half way' },
      { type: 'step.progress', stepId: 'c', done: 2 },
    ]);
    expect((await new WorkflowRunner().run(wf)).status).toBe('completed');
  });

  it('hands a step to the executor its strategy names, and fails it when that executor is missing', async () => {
    const registry = new StepRegistry();
    const one = jsonStep(registry, 'one', () => 1, { source: true });
    const tasks: StepTask[] = [];
    let closed = false;
    const fake: StepExecutor = {
      kind: 'queue',
      capabilities: { inRunnerThread: false },
      execute: async (task) => {
        tasks.push(task);
        return 42;
      },
      close: async () => {
        closed = true;
      },
    };
    const wf = workflow([{ id: 'q', type: one, strategy: { executor: 'queue' } }]);
    const context = new RuntimeContext();
    let made = 0;
    const runner = new WorkflowRunner({
      executors: {
        queue: (setup) => {
          made += 1;
          expect(setup.registry).toBe(runner.registry);
          return fake;
        },
      },
    });
    expect(made).toBe(0);
    const run = await runner.run(wf, { context });
    expect(context.get(run.outputs.result as string)).toBe(42);
    expect(tasks.map((t) => [t.stepId, t.attempt, t.stepType.slug])).toEqual([['q', 1, 'one']]);
    await runner.run(wf, { context });
    expect(made).toBe(1);
    await runner.close();
    expect(closed).toBe(true);
    // a run after close() makes a new executor from the factory
    expect((await runner.run(wf, { context })).status).toBe('completed');
    expect(made).toBe(2);
    const without = await new WorkflowRunner().run(wf);
    expect(without.steps.get('q')?.error?.code).toBe('EXECUTOR_UNAVAILABLE');
  });

  it('logs through a pino child logger carrying runId and stepId', async () => {
    const registry = new StepRegistry();
    const talk = jsonStep(
      registry,
      'talk',
      (_i, _p, ctx) => {
        ctx.log.info({ rows: 3 }, 'hello');
        return 1;
      },
      { source: true },
    );
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    for (const onEvent of [undefined, () => {}]) {
      lines.length = 0;
      const run = await new WorkflowRunner({ logger }).run(
        workflow([{ id: 't', type: talk }]),
        onEvent ? { onEvent } : {},
      );
      const hello = lines.map((line) => JSON.parse(line)).find((entry) => entry.msg === 'hello');
      expect(hello).toMatchObject({ runId: run.id, stepId: 't', rows: 3 });
    }
  });

  it('saves the run record in the context when the run ends', async () => {
    const { wf } = chain();
    const context = new RuntimeContext();
    const run = await new WorkflowRunner().run(wf, { context, runId: 'run_fixed-id' });
    expect(run.id).toBe('run_fixed-id');
    expect(context.store.runs.load(run.id)?.record).toEqual(JSON.parse(JSON.stringify(run.toJSON())));
  });
});
