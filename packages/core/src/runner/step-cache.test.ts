import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileStore, MemoryStore, RuntimeContext } from '../context/index.js';
import { canonicalJson } from '../keys/canonical.js';
import type { RunEvent } from '../model/run.js';
import { createStepType } from '../registry/define-step-type.js';
import { StepRegistry } from '../registry/step-registry.js';
import { jsonStep, type StepSpec, workflow } from './fixtures.contract.js';
import { WorkflowRunner } from './workflow-runner.js';

const root = mkdtempSync(join(tmpdir(), 'stepwise-step-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A counting workflow: `load` (a source) then `add` (input + n), both cached unless told otherwise. */
function setup(options: { loadConfig?: { n: number }; addConfig?: { n: number }; cacheLoad?: boolean } = {}) {
  const calls = { load: 0, add: 0 };
  const registry = new StepRegistry();
  const load = jsonStep(
    registry,
    'load',
    (_i, p) => {
      calls.load += 1;
      return p.n ?? 1;
    },
    { source: true },
  );
  const add = jsonStep(registry, 'add', (input, p) => {
    calls.add += 1;
    return (input as number) + (p.n ?? 1);
  });
  const specs: StepSpec[] = [
    { id: 'load', type: load, config: options.loadConfig ?? { n: 1 }, strategy: { cache: options.cacheLoad ?? true } },
    { id: 'add', type: add, config: options.addConfig ?? { n: 10 }, strategy: { cache: true } },
  ];
  return { wf: workflow(specs), calls, registry };
}

async function runWith(wf: ReturnType<typeof workflow>, context: RuntimeContext) {
  const events: RunEvent[] = [];
  const run = await new WorkflowRunner().run(wf, { context, onEvent: (event) => events.push(event) });
  expect(run.status).toBe('completed');
  return { run, events, result: context.get(run.outputs.result as string) };
}

describe('strategy.cache', () => {
  it('runs a cached step once across two runs on the same context, with cached: true the second time', async () => {
    const { wf, calls } = setup();
    const context = new RuntimeContext();
    const first = await runWith(wf, context);
    expect(first.run.steps.get('add')).not.toHaveProperty('cached');
    const second = await runWith(wf, context);
    expect(calls).toEqual({ load: 1, add: 1 });
    expect(second.result).toBe(11);
    expect(second.run.steps.get('add')).toMatchObject({ status: 'completed', cached: true, attempts: 0 });
    expect(second.run.steps.get('add')?.output).toBe(first.run.steps.get('add')?.output);
    const completed = second.events.filter((event) => event.type === 'step.completed');
    expect(completed.map((event) => [event.stepId, event.cached])).toEqual([
      ['load', true],
      ['add', true],
    ]);
    expect(second.events.some((event) => event.type === 'step.started')).toBe(false);
    expect(second.run.toJSON().steps[1]).toMatchObject({ id: 'add', cached: true });
  });

  it('runs again when its config changes, and so does a cached step downstream', async () => {
    const context = new RuntimeContext();
    const before = setup();
    await runWith(before.wf, context);
    const addChanged = setup({ addConfig: { n: 20 } });
    expect((await runWith(addChanged.wf, context)).result).toBe(21);
    expect(addChanged.calls).toEqual({ load: 0, add: 1 });
    const loadChanged = setup({ loadConfig: { n: 2 } });
    expect((await runWith(loadChanged.wf, context)).result).toBe(12);
    expect(loadChanged.calls).toEqual({ load: 1, add: 1 });
  });

  it('runs again when the step function changes', async () => {
    const context = new RuntimeContext();
    await runWith(setup().wf, context);
    const registry = new StepRegistry();
    const load = jsonStep(registry, 'load', () => 100, { source: true });
    const wf = workflow([{ id: 'load', type: load, config: { n: 1 }, strategy: { cache: true } }]);
    expect((await runWith(wf, context)).result).toBe(100);
  });

  it('keys a step reading an uncached step by that step key: the same config gives a hit though it ran again', async () => {
    const { wf, calls } = setup({ cacheLoad: false });
    const context = new RuntimeContext();
    await runWith(wf, context);
    const second = await runWith(wf, context);
    expect(calls).toEqual({ load: 2, add: 1 });
    expect(second.run.steps.get('add')?.cached).toBe(true);
  });

  it('keys a step reading an uncacheable step by that step output ref: each run is a miss', async () => {
    const registry = new StepRegistry();
    let calls = 0;
    let now = 0;
    const clock = createStepType({ slug: 'clock', outputType: 'JSON', cacheable: false }, () => (now += 1));
    const add = jsonStep(registry, 'add', (input) => {
      calls += 1;
      return (input as number) + 1;
    });
    const wf = workflow([
      { id: 'clock', type: clock, strategy: { cache: true } },
      { id: 'add', type: add, strategy: { cache: true } },
    ]);
    const context = new RuntimeContext();
    const first = await runWith(wf, context);
    const second = await runWith(wf, context);
    expect([first.result, second.result]).toEqual([2, 3]);
    expect(calls).toBe(2);
    expect(second.run.steps.get('clock')).not.toHaveProperty('cached');
  });

  it('keys a step reading a workflow input by the input ref', async () => {
    const registry = new StepRegistry();
    let calls = 0;
    const double = jsonStep(registry, 'double', (input) => {
      calls += 1;
      return (input as number) * 2;
    });
    const wf = workflow([{ id: 'd', type: double, inputs: { input: { input: 'x' } }, strategy: { cache: true } }], {
      inputs: { x: { type: 'JSON' } },
    });
    const context = new RuntimeContext();
    const runner = new WorkflowRunner();
    const three = context.put(3, { type: 'JSON' });
    await runner.run(wf, { context, inputs: { x: three } });
    const again = await runner.run(wf, { context, inputs: { x: three } });
    expect(again.steps.get('d')?.cached).toBe(true);
    const four = await runner.run(wf, { context, inputs: { x: context.put(4, { type: 'JSON' }) } });
    expect(context.get(four.outputs.result as string)).toBe(8);
    expect(calls).toBe(2);
  });

  it('runs again when the cached ref was deleted, and records the new ref', async () => {
    const { wf, calls } = setup();
    const context = new RuntimeContext();
    const first = await runWith(wf, context);
    context.delete(first.run.steps.get('add')?.output as string);
    const second = await runWith(wf, context);
    expect(calls).toEqual({ load: 1, add: 2 });
    expect(second.run.steps.get('add')).not.toHaveProperty('cached');
    const third = await runWith(wf, context);
    expect(third.run.steps.get('add')?.output).toBe(second.run.steps.get('add')?.output);
    expect(calls.add).toBe(2);
  });

  it('hits downstream by the upstream cache key even when the upstream step was recomputed', async () => {
    const { wf, calls } = setup();
    const context = new RuntimeContext();
    const first = await runWith(wf, context);
    context.delete(first.run.steps.get('load')?.output as string);
    const second = await runWith(wf, context);
    expect(calls).toEqual({ load: 2, add: 1 });
    expect(second.run.steps.get('add')?.cached).toBe(true);
  });

  it('keys a step resumed after its cached upstream completed in the first execution like a fresh run', async () => {
    const registry = new StepRegistry();
    let fail = true;
    let calls = 0;
    const load = jsonStep(registry, 'load', () => 1, { source: true });
    const add = jsonStep(registry, 'add', (input) => {
      calls += 1;
      if (fail) throw new Error('not yet');
      return (input as number) + 1;
    });
    const wf = workflow([
      { id: 'load', type: load, strategy: { cache: true } },
      { id: 'add', type: add, strategy: { cache: true } },
    ]);
    const context = new RuntimeContext();
    const runner = new WorkflowRunner();
    const failed = await runner.run(wf, { context });
    fail = false;
    expect((await runner.resume(failed)).status).toBe('completed');
    const fresh = await runner.run(wf, { context });
    expect(fresh.steps.get('add')?.cached).toBe(true);
    expect(calls).toBe(2);
  });

  it('hits across two FileStore contexts on the same directory (a new process view)', async () => {
    const dir = mkdtempSync(join(root, 'fs-'));
    const first = setup();
    await runWith(first.wf, new RuntimeContext({ store: new FileStore(dir) }));
    const later = setup();
    const { run, result } = await runWith(later.wf, new RuntimeContext({ store: new FileStore(dir) }));
    expect(later.calls).toEqual({ load: 0, add: 0 });
    expect(result).toBe(11);
    expect(run.steps.get('add')?.cached).toBe(true);
  });

  it('treats a damaged cache entry as a miss and a failing cache write as no entry: the run goes on', async () => {
    const dir = mkdtempSync(join(root, 'bad-'));
    const { wf, calls } = setup();
    await runWith(wf, new RuntimeContext({ store: new FileStore(dir) }));
    for (const name of readdirSync(join(dir, 'cache'))) writeFileSync(join(dir, 'cache', name), '{');
    await runWith(wf, new RuntimeContext({ store: new FileStore(dir) }));
    expect(calls).toEqual({ load: 2, add: 2 });
    await runWith(wf, new RuntimeContext({ store: new FileStore(dir) }));
    expect(calls).toEqual({ load: 2, add: 2 });
    const store = new MemoryStore();
    store.cache.set = () => {
      throw new Error('disk full');
    };
    const context = new RuntimeContext({ store });
    await runWith(wf, context);
    await runWith(wf, context);
    expect(calls).toEqual({ load: 4, add: 4 });
  });

  it('does not cache a step without strategy.cache, nor a failed step', async () => {
    const registry = new StepRegistry();
    let calls = 0;
    const flaky = jsonStep(
      registry,
      'flaky',
      () => {
        calls += 1;
        if (calls === 1) throw new Error('first call fails');
        return calls;
      },
      { source: true },
    );
    const plain = workflow([{ id: 'f', type: flaky }]);
    const cached = workflow([{ id: 'f', type: flaky, strategy: { cache: true } }]);
    const context = new RuntimeContext();
    const runner = new WorkflowRunner();
    expect((await runner.run(cached, { context })).status).toBe('failed');
    await runner.run(plain, { context });
    await runner.run(plain, { context });
    expect(calls).toBe(3);
    const hit = await runner.run(cached, { context });
    expect(calls).toBe(4);
    expect(context.get(hit.outputs.result as string)).toBe(4);
    expect((await runner.run(cached, { context })).steps.get('f')?.cached).toBe(true);
    expect(calls).toBe(4);
  });

  it('does not apply to fused streaming steps, which have no stored output', async () => {
    let produced = 0;
    const source = createStepType({ slug: 'source', outputType: 'JSON', mode: 'streaming' }, async function* () {
      produced += 1;
      yield [1, 2];
    } as never);
    const scale = createStepType(
      { slug: 'scale', inputType: 'JSON', outputType: 'JSON', mode: 'streaming' },
      async function* (input: AsyncIterable<number[]>) {
        for await (const chunk of input) yield chunk.map((v) => v * 10);
      } as never,
    );
    const specs: StepSpec[] = [
      { id: 'source', type: source, strategy: { cache: true } },
      { id: 'scale', type: scale, strategy: { cache: true } },
    ];
    const context = new RuntimeContext();
    // a workflow output is stored, so here `source` is not fused and gets a cache entry
    await runWith(workflow(specs, { outputs: { s: { step: 'source' }, result: { step: 'scale' } } }), context);
    const { run, result } = await runWith(workflow(specs), context);
    expect(result).toEqual([10, 20]);
    expect(produced).toBe(2);
    expect(run.steps.get('source')).not.toHaveProperty('cached');
    expect(run.steps.get('scale')).not.toHaveProperty('cached');
  });
});

describe('canonicalJson', () => {
  it('gives equal text for equal params whatever the key order, and none for values JSON cannot hold', () => {
    expect(canonicalJson({ b: [1, { y: 2, x: 'a' }], a: null, c: undefined })).toBe(
      canonicalJson({ a: null, b: [1, { x: 'a', y: 2 }] }),
    );
    expect(canonicalJson({ at: new Date(0) })).toBe('{"at":date("1970-01-01T00:00:00.000Z")}');
    for (const bad of [Number.NaN, 1n, new Map(), () => 1, [undefined], Symbol('s')])
      expect(canonicalJson({ v: bad })).toBeUndefined();
  });
});
