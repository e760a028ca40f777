import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../context/memory/memory-store.js';
import { RuntimeContext } from '../context/runtime-context.js';
import type { Store } from '../context/store.js';
import { StepRegistry } from '../registry/step-registry.js';
import { describeStoreContract } from '../testing/index.js';
import { jsonStep, promisedStore, workflow } from './fixtures.contract.js';
import { WorkflowRunner } from './workflow-runner.js';

// the contract suites hold a store whose every answer is a promise
describeStoreContract('a store answering promises', () => promisedStore(new MemoryStore()));

describe('the runner on a store answering promises', () => {
  it('runs, caches, saves the record and resumes as on memory', async () => {
    const registry = new StepRegistry();
    const state = { broken: true, loads: 0 };
    const load = jsonStep(
      registry,
      'load',
      () => {
        state.loads += 1;
        return [1, 2, 3];
      },
      { source: true },
    );
    const fragile = jsonStep(registry, 'fragile', (rows) => {
      if (state.broken) throw new Error('not yet');
      return (rows as number[]).map((n) => n * 2);
    });
    const wf = workflow([
      { id: 'load', type: load, strategy: { cache: true } },
      { id: 'double', type: fragile },
    ]);
    const context = new RuntimeContext<Store>({ store: promisedStore(new MemoryStore()) });
    const runner = new WorkflowRunner();
    const failed = await runner.run(wf, { context });
    expect(failed.status).toBe('failed');
    expect((await context.store.runs.load(failed.id))?.summary.status).toBe('failed');
    state.broken = false;
    const resumed = await runner.resume(failed);
    expect(resumed.status).toBe('completed');
    expect(await context.get(resumed.outputs.result as string)).toEqual([2, 4, 6]);
    const again = await runner.run(wf, { context });
    expect(again.steps.get('load')?.cached).toBe(true);
    expect(state.loads).toBe(1);
    expect((await context.store.runs.list()).runs.map((run) => run.id).sort()).toEqual([failed.id, again.id].sort());
  });

  it('fails a run whose input ref the store does not hold, before anything runs', async () => {
    const registry = new StepRegistry();
    const echo = jsonStep(registry, 'echo', (rows) => rows);
    const wf = workflow([{ id: 'echo', type: echo, inputs: { input: { input: 'rows' } } }], {
      inputs: { rows: { type: 'JSON' } },
    });
    const context = new RuntimeContext<Store>({ store: promisedStore(new MemoryStore()) });
    await expect(new WorkflowRunner().run(wf, { context, inputs: { rows: 'ref_missing12' } })).rejects.toMatchObject({
      code: 'REF_NOT_FOUND',
    });
  });
});
