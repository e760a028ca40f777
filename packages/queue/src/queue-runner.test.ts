/**
 * The queue executor in a run, as a user sets it up: `strategy.executor: 'queue'` on a step, the
 * runner's store the shared one (refs go to workers as they are), two worker processes.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStore, RuntimeContext, Workflow, WorkflowRunner } from '@stepwise/core';
import { CONTRACT_STEP_MODULE } from '@stepwise/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueExecutor } from './queue-factory.js';
import { queueTestsRun, REDIS_URL, spawnWorker, type TestWorker, testPrefix } from './test-kit/redis.js';

const runs = await queueTestsRun('queue executor in a run');
const dir = mkdtempSync(join(tmpdir(), 'stepwise-queue-runner-'));
const options = { redis: REDIS_URL, store: dir, prefix: testPrefix('runner') };
const workers: TestWorker[] = [];
const runner = new WorkflowRunner({
  stepModules: [CONTRACT_STEP_MODULE],
  concurrency: 2,
  executors: { queue: queueExecutor(options) },
});

describe.skipIf(!runs)('the queue executor in a run', () => {
  beforeAll(async () => {
    const worker = { ...options, stepModules: [CONTRACT_STEP_MODULE] };
    workers.push(...(await Promise.all([spawnWorker(worker), spawnWorker(worker)])));
  }, 30_000);
  afterAll(async () => {
    await runner.close();
    await Promise.all(workers.map((worker) => worker.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs partitions of a row_iterative step and a batch step on the workers, by ref in the shared store', async () => {
    const wf = new Workflow({ id: 'queued', name: 'Queued', inputs: { numbers: { type: 'JSON' } } });
    wf.add(
      'c_double',
      {},
      { id: 'double', inputs: { input: { input: 'numbers' } }, strategy: { executor: 'queue', workers: 4 } },
    );
    wf.add('c_sum', {}, { id: 'sum', strategy: { executor: 'queue' } });
    const context = new RuntimeContext({ store: new FileStore(dir) });
    const numbers = context.put(
      Array.from({ length: 100 }, (_, i) => i),
      { type: 'JSON' },
    );
    const before = readdirSync(join(dir, 'values')).length;
    const run = await runner.run(wf, { context, inputs: { numbers } });
    expect(run.status).toBe('completed');
    expect(context.get(run.steps.get('double')?.output as string)).toEqual(
      Array.from({ length: 100 }, (_, i) => i * 2),
    );
    expect(context.get(run.outputs.result as string)).toBe(9900);
    // staged partitions and outputs are removed once read: only the two steps' outputs were added
    expect(readdirSync(join(dir, 'values')).length - before).toBe(4);
  });

  it('a step error on a worker fails the step with its code and names the row, as inline', async () => {
    const wf = new Workflow({ id: 'throws', name: 'Throws', inputs: { numbers: { type: 'JSON' } } });
    wf.add(
      'c_row_throw',
      {},
      { id: 'throws', inputs: { input: { input: 'numbers' } }, strategy: { executor: 'queue', workers: 2 } },
    );
    const context = new RuntimeContext({ store: new FileStore(dir) });
    const run = await runner.run(wf, { context, inputs: { numbers: context.put([1, 2, 3, 4], { type: 'JSON' }) } });
    expect(run.steps.get('throws')).toMatchObject({
      status: 'failed',
      error: { code: 'ROW_REJECTED', message: 'Row 2 (3) failed: value 3 is rejected', details: { row: 2, value: 3 } },
    });
  });
});
