import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTRACT_STEP_MODULE, describeExecutorContract } from '@stepwise/core/testing';
import { afterAll, beforeAll, describe } from 'vitest';
import { QueueExecutor } from './queue-executor.js';
import { queueTestsRun, REDIS_URL, spawnWorker, type TestWorker, testPrefix } from './test-kit/redis.js';

const runs = await queueTestsRun('queue executor contract');
const store = mkdtempSync(join(tmpdir(), 'stepwise-queue-contract-'));
const prefix = testPrefix('contract');
const options = { redis: REDIS_URL, store, prefix };
let worker: TestWorker | undefined;

describe.skipIf(!runs)('queue executor on a worker process', () => {
  beforeAll(async () => {
    worker = await spawnWorker({ ...options, stepModules: [CONTRACT_STEP_MODULE], concurrency: 2 });
  }, 30_000);
  afterAll(async () => {
    await worker?.stop();
    rmSync(store, { recursive: true, force: true });
  });

  describeExecutorContract('queue', () => new QueueExecutor(options));
});
