import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RuntimeContext } from '../context/index.js';
import { materializeValue } from '../registry/data-type.js';
import { createStepType } from '../registry/define-step-type.js';
import { StepRegistry } from '../registry/step-registry.js';
import type { StepContext } from '../registry/step-type.js';
import { Workflow } from './plan.js';
import { WorkflowRunner } from './workflow-runner.js';

/** A lazy number: the work is deferred until something materializes it. */
class Deferred {
  materialized = 0;
  constructor(readonly compute: () => number) {}
}

type Box = number | Deferred;

function setUp() {
  const registry = new StepRegistry();
  const seen: Record<string, unknown> = {};
  registry.registerDataType<Box>({
    name: 'Box',
    is: (value): value is Box => typeof value === 'number' || value instanceof Deferred,
    encode: (value) => new TextEncoder().encode(String(value)),
    decode: (bytes) => Number(new TextDecoder().decode(bytes)),
    preview: (value) => (typeof value === 'number' ? value : 'lazy'),
    materialize: (value, signal) => {
      if (typeof value === 'number') return value;
      signal?.throwIfAborted();
      value.materialized += 1;
      return Promise.resolve(value.compute());
    },
  });
  const params = z.object({});
  const lazySource = createStepType({ slug: 'lazy_source', params, outputType: 'Box' }, () => new Deferred(() => 41));
  const addLazy = createStepType({ slug: 'add_lazy', params, inputType: 'Box', outputType: 'Box', lazyInput: true }, ((
    input: Box,
    _p: unknown,
    ctx: StepContext,
  ) => {
    seen[ctx.stepId] = input;
    return input instanceof Deferred ? new Deferred(() => input.compute() + 1) : input + 1;
  }) as never);
  const plain = createStepType({ slug: 'plain', params, inputType: 'Box', outputType: 'JSON' }, ((
    input: Box,
    _p: unknown,
    ctx: StepContext,
  ) => {
    seen[ctx.stepId] = input;
    return input;
  }) as never);
  for (const type of [lazySource, addLazy, plain]) registry.register(type);
  return { registry, seen };
}

function workflow(registry: StepRegistry, steps: [string, string, object?][]): Workflow {
  const wf = new Workflow({ id: 'lazy', name: 'Lazy', registry });
  for (const [id, type, strategy] of steps) wf.add(type, {}, { id, ...(strategy ? { strategy } : {}) });
  return wf;
}

describe('lazy values between steps', () => {
  it('hands a lazy value as it is to a step that takes lazy input, and materialized to one that does not', async () => {
    const { registry, seen } = setUp();
    const wf = workflow(registry, [
      ['src', 'lazy_source'],
      ['add', 'add_lazy'],
      ['use', 'plain'],
    ]);
    const context = new RuntimeContext({ registry });
    const run = await new WorkflowRunner({ registry }).run(wf, { context });
    expect(run.status).toBe('completed');
    expect(seen.add).toBeInstanceOf(Deferred);
    expect(seen.use).toBe(42);
    // every step's output is in the context: the lazy one stays lazy until read
    const added = context.get(run.steps.get('add')?.output as string);
    expect(added).toBeInstanceOf(Deferred);
    expect(await materializeValue(registry, 'Box', added)).toBe(42);
  });

  it('materializes the input of a lazy-input step with cache or workers, and stores a cached output concrete', async () => {
    const { registry, seen } = setUp();
    const wf = workflow(registry, [
      ['src', 'lazy_source', { cache: true }],
      ['add', 'add_lazy', { workers: 2, executor: 'inline' }],
      ['again', 'add_lazy', { cache: true }],
    ]);
    const context = new RuntimeContext({ registry });
    const run = await new WorkflowRunner({ registry }).run(wf, { context });
    expect(run.status).toBe('completed');
    expect(context.get(run.steps.get('src')?.output as string)).toBe(41);
    expect(seen.add).toBe(41);
    expect(seen.again).toBe(42);
    expect(context.get(run.steps.get('again')?.output as string)).toBe(43);
  });

  it('fails the reading step when materializing fails, and the run keeps the lazy output', async () => {
    const { registry } = setUp();
    const failing = createStepType({ slug: 'failing_source', params: z.object({}), outputType: 'Box' }, () => {
      return new Deferred(() => {
        throw new Error('the query failed');
      });
    });
    registry.register(failing);
    const wf = workflow(registry, [
      ['src', 'failing_source'],
      ['use', 'plain'],
    ]);
    const run = await new WorkflowRunner({ registry }).run(wf, { context: new RuntimeContext({ registry }) });
    expect(run.status).toBe('failed');
    expect(run.steps.get('src')?.status).toBe('completed');
    expect(run.steps.get('use')?.error?.message).toContain('the query failed');
  });
});
