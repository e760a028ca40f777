// A store and an executor written outside core, against the contracts @stepwise/core exports (the
// built package, imported by its name): they pass the same suites as memory, files, inline and threads,
// and a runner runs a workflow on them.
import { RuntimeContext, type Store, stepType, Workflow, WorkflowRunner } from '@stepwise/core';
import { describeExecutorContract, describeStoreContract, ISOLATION_TESTS } from '@stepwise/core/testing';
import { describe, expect, it } from 'vitest';
import { bytesStore } from './bytes-store.js';
import { LaterExecutor } from './later-executor.js';

describeStoreContract('a bytes store written outside core', () => bytesStore());

describeExecutorContract('a later-turn executor written outside core', () => new LaterExecutor(), {
  skip: [
    { reason: 'it runs in the runner process, so a process.exit or a busy loop ends it too', tests: ISOLATION_TESTS },
  ],
});

describe('a runner on the outside store and executor', () => {
  it('runs a row step on the executor, stores its output as bytes, saves the record and lists it', async () => {
    const double = stepType(
      { slug: 'outside_double', inputType: 'JSON', outputType: 'JSON', mode: 'row_iterative' },
      (n) => (n as number) * 2,
    );
    const wf = new Workflow({ id: 'outside', name: 'Outside', inputs: { numbers: { type: 'JSON' } } });
    wf.add(
      double,
      {},
      { id: 'double', inputs: { input: { input: 'numbers' } }, strategy: { executor: 'queue', workers: 2 } },
    );
    const executor = new LaterExecutor();
    // the kind a document may name for an executor beside inline and threads (what the queue executor will be)
    const runner = new WorkflowRunner({ executors: { queue: () => executor } });
    const context = new RuntimeContext<Store>({ store: bytesStore() });
    const numbers = await context.put([1, 2, 3], { type: 'JSON' });
    const run = await runner.run(wf, { context, inputs: { numbers } });
    expect(run.status).toBe('completed');
    expect(executor.ran).toBe(2);
    expect(await context.get(run.outputs.result as string)).toEqual([2, 4, 6]);
    expect((await context.store.runs.list({ workflowId: 'outside' })).runs.map((r) => r.id)).toEqual([run.id]);
    await runner.close();
  });
});
