/**
 * 10,000 partition jobs in one run, on two `stepwise worker` processes: the run completes with every
 * partition's result committed once and in order, and retention keeps Redis bounded (finished jobs
 * kept by count, the events stream capped, outcomes deleted once read).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FileStore, RuntimeContext, Workflow, WorkflowRunner } from '@stepwise/core';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { queueExecutor } from './queue-factory.js';
import { RETENTION } from './queue-options.js';
import { queueTestsRun, REDIS_URL, spawnCliWorker, type TestWorker, testPrefix } from './test-kit/redis.js';

const runs = await queueTestsRun('queue: 10,000 partitions');
const STEPS = fileURLToPath(new URL('./test-kit/fault-steps.mjs', import.meta.url));
// the runner plans with the same step types the workers run
if (runs) await import(pathToFileURL(STEPS).href);
const JOBS = 10_000;
const dir = mkdtempSync(join(tmpdir(), 'stepwise-queue-many-'));
const workers: TestWorker[] = [];

describe.skipIf(!runs)('10,000 partition jobs in one run', () => {
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop('SIGKILL')));
    rmSync(dir, { recursive: true, force: true });
  });

  it('completes on two workers, each partition committed once and in order, Redis bounded by retention', async () => {
    const queue = { redis: REDIS_URL, store: join(dir, 'store'), prefix: testPrefix('many') };
    const config = join(dir, 'stepwise.config.mjs');
    writeFileSync(config, `export default ${JSON.stringify({ steps: [STEPS], logLevel: 'warn', queue })};\n`);
    workers.push(
      ...(await Promise.all([
        spawnCliWorker(config, ['--concurrency', '4']),
        spawnCliWorker(config, ['--concurrency', '4']),
      ])),
    );
    const runner = new WorkflowRunner({ stepModules: [STEPS], executors: { queue: queueExecutor(queue) } });
    const wf = new Workflow({ id: 'many', name: 'Many', inputs: { numbers: { type: 'JSON' } } });
    const strategy = { executor: 'queue' as const, workers: JOBS };
    wf.add('q_inc', {}, { id: 'inc', inputs: { input: { input: 'numbers' } }, strategy });
    const context = new RuntimeContext({ store: new FileStore(queue.store) });
    const rows = Array.from({ length: JOBS }, (_, i) => i);
    const started = Date.now();
    const run = await runner.run(wf, { context, inputs: { numbers: context.put(rows, { type: 'JSON' }) } });
    const ms = Date.now() - started;
    await runner.close();
    expect(run.status).toBe('completed');
    expect(context.get(run.outputs.result as string)).toEqual(rows.map((n) => n + 1));
    const redis = new Redis(REDIS_URL);
    try {
      const keys = await redis.keys(`${queue.prefix}:*`);
      // no outcome is left behind: each was read once and deleted (in batches, the last ones by close())
      expect(keys.filter((key) => /:stepwise:outcome:/.test(key))).toEqual([]);
      // job hashes: at most the completed ones retention keeps, plus a few queue keys
      expect(keys.length).toBeLessThan(RETENTION.removeOnComplete.count + 20);
      expect(await redis.xlen(`${queue.prefix}:steps:events`)).toBeLessThan(1100);
    } finally {
      await redis.del(...(await redis.keys(`${queue.prefix}:*`)));
      redis.disconnect();
    }
    console.log(`10,000 partitions: ${ms} ms`);
  }, 600_000);
});
