import { describe, expect, it } from 'vitest';
import { RuntimeContext } from '../../context/runtime-context.js';
import { Workflow } from '../../document/workflow.js';
import type { InputReference, StepStrategy } from '../../model/document.js';
import type { RunEvent } from '../../model/run.js';
import { createStepType } from '../../registry/define-step-type.js';
import { StepRegistry } from '../../registry/step-registry.js';
import type { StepContext } from '../../registry/step-type.js';
import { WorkflowRunner } from '../workflow-runner.js';

type Chunks = AsyncIterable<number[]>;
type StreamFn = (input: Chunks, params: unknown, ctx: StepContext) => AsyncIterable<number[]> | Iterable<number[]>;

interface Spec {
  id: string;
  fn: StreamFn | ((input: number[]) => unknown);
  source?: boolean;
  batch?: boolean;
  inputs?: Record<string, InputReference>;
  strategy?: StepStrategy;
}

function build(specs: Spec[], outputs?: Record<string, InputReference>): { wf: Workflow; registry: StepRegistry } {
  const registry = new StepRegistry();
  const wf = new Workflow({ id: 'streams', name: 'Streams', registry, ...(outputs ? { outputs } : {}) });
  for (const spec of specs) {
    const type = createStepType(
      {
        slug: spec.id,
        ...(spec.source ? {} : { inputType: 'JSON' }),
        outputType: 'JSON',
        mode: spec.batch ? 'batch' : 'streaming',
      },
      spec.fn as never,
    );
    registry.register(type);
    wf.add(
      spec.id,
      {},
      {
        id: spec.id,
        ...(spec.inputs ? { inputs: spec.inputs } : {}),
        ...(spec.strategy ? { strategy: spec.strategy } : {}),
      },
    );
  }
  return { wf, registry };
}

async function execute(
  specs: Spec[],
  options: { outputs?: Record<string, InputReference>; signal?: AbortSignal } = {},
) {
  const { wf, registry } = build(specs, options.outputs);
  const events: RunEvent[] = [];
  const context = new RuntimeContext({ registry });
  const runner = new WorkflowRunner({ registry });
  const result = await runner.run(wf, {
    context,
    onEvent: (e) => events.push(e),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  await runner.close();
  return { run: result, events, context };
}

function counting(count: number, log: string[]): StreamFn {
  return async function* () {
    for (let i = 0; i < count; i++) {
      log.push(`produce ${i}`);
      yield [i * 2, i * 2 + 1];
    }
  };
}

const scale: StreamFn = async function* (input) {
  for await (const chunk of input) yield chunk.map((v) => v * 10);
};

describe('streaming mode in the runner', () => {
  it('fuses neighbouring streaming steps: the source runs at most a chunk ahead of the last step', async () => {
    const log: string[] = [];
    const sink: StreamFn = async function* (input) {
      for await (const chunk of input) {
        log.push(`consume ${chunk[0]}`);
        yield chunk;
      }
    };
    const { run, context } = await execute([
      { id: 'source', fn: counting(4, log), source: true },
      { id: 'scale', fn: scale },
      { id: 'sink', fn: sink },
    ]);
    expect(run.status).toBe('completed');
    expect(context.get(run.outputs.result as string)).toEqual([0, 10, 20, 30, 40, 50, 60, 70]);
    expect(log).toEqual([
      'produce 0',
      'consume 0',
      'produce 1',
      'consume 20',
      'produce 2',
      'consume 40',
      'produce 3',
      'consume 60',
    ]);
  });

  it('reports every fused step started and completed; only the last one has an output ref', async () => {
    const { run, events } = await execute([
      { id: 'source', fn: counting(2, []), source: true },
      { id: 'scale', fn: scale },
    ]);
    const types = events
      .filter((e) => e.type.startsWith('step.'))
      .map((e) => `${e.type} ${(e as { stepId: string }).stepId}`);
    expect(types).toEqual([
      'step.started source',
      'step.completed source',
      'step.started scale',
      'step.completed scale',
    ]);
    expect(run.steps.get('source')?.output).toBeUndefined();
    expect(run.steps.get('scale')?.output).toMatch(/^ref_/);
  });

  it('cuts a batch value into chunkRows chunks, and gives a batch step downstream the materialized value', async () => {
    const sizes: number[] = [];
    const measure: StreamFn = async function* (input) {
      for await (const chunk of input) {
        sizes.push(chunk.length);
        yield chunk;
      }
    };
    const { run, context } = await execute([
      { id: 'make', fn: () => Array.from({ length: 10 }, (_, i) => i), source: true, batch: true },
      { id: 'measure', fn: measure, strategy: { chunkRows: 4 } },
      { id: 'total', fn: (values: number[]) => values.reduce((a, b) => a + b, 0), batch: true },
    ]);
    expect(sizes).toEqual([4, 4, 2]);
    expect(context.get(run.outputs.result as string)).toBe(45);
    expect(run.steps.get('measure')?.output).toMatch(/^ref_/);
  });

  it('materializes a stream read by two steps, so each gets all of it', async () => {
    const { run, context } = await execute(
      [
        { id: 'source', fn: counting(2, []), source: true },
        { id: 'a', fn: scale },
        { id: 'b', fn: scale, inputs: { input: { step: 'source' } } },
      ],
      { outputs: { a: { step: 'a' }, b: { step: 'b' } } },
    );
    expect(run.steps.get('source')?.output).toMatch(/^ref_/);
    expect(context.get(run.outputs.a as string)).toEqual([0, 10, 20, 30]);
    expect(context.get(run.outputs.b as string)).toEqual([0, 10, 20, 30]);
  });

  it('cancellation stops an endless stream at once and closes every generator', async () => {
    const closed: string[] = [];
    const controller = new AbortController();
    let produced = 0;
    const endless: StreamFn = async function* () {
      try {
        for (;;) {
          produced += 1;
          if (produced === 5) controller.abort();
          yield [produced];
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      } finally {
        closed.push('source');
      }
    };
    const middle: StreamFn = async function* (input) {
      try {
        for await (const chunk of input) yield chunk;
      } finally {
        closed.push('middle');
      }
    };
    const { run } = await execute(
      [
        { id: 'source', fn: endless, source: true },
        { id: 'middle', fn: middle },
        { id: 'last', fn: scale },
      ],
      {
        signal: controller.signal,
      },
    );
    expect(run.status).toBe('cancelled');
    expect(produced).toBeLessThan(8);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(closed.sort()).toEqual(['middle', 'source']);
  });

  it('a timeout abandons a pending read and closes the producer', async () => {
    let closed = false;
    const stuck: StreamFn = async function* () {
      try {
        yield [1];
        await new Promise((resolve) => setTimeout(resolve, 60_000).unref());
        yield [2];
      } finally {
        closed = true;
      }
    };
    const started = Date.now();
    const { run } = await execute([
      { id: 'source', fn: stuck, source: true },
      { id: 'last', fn: scale, strategy: { timeoutMs: 100 } },
    ]);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(run.steps.get('last')?.error?.code).toBe('STEP_TIMEOUT');
    expect(run.steps.get('last')?.status).toBe('failed');
    void closed; // the source sits in an un-abortable await; its finally runs when that settles
  });

  it('a retried consumer reads the fused stream again from the start', async () => {
    let attempts = 0;
    const flaky: StreamFn = async function* (input, _params, ctx) {
      attempts = ctx.attempt;
      for await (const chunk of input) {
        if (ctx.attempt === 1 && chunk[0] === 2) throw new Error('first attempt fails midway');
        yield chunk;
      }
    };
    const { run, context } = await execute([
      { id: 'source', fn: counting(3, []), source: true },
      { id: 'flaky', fn: flaky, strategy: { retries: 1, retryDelayMs: 1 } },
    ]);
    expect(attempts).toBe(2);
    expect(context.get(run.outputs.result as string)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('a step that returns no iterable fails with OUTPUT_TYPE_MISMATCH', async () => {
    const { run } = await execute([{ id: 'bad', fn: (() => 42) as unknown as StreamFn, source: true }]);
    expect(run.steps.get('bad')?.error?.code).toBe('OUTPUT_TYPE_MISMATCH');
  });
});
