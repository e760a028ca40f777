/**
 * Redis as production meets it: unreachable at start, a setting that may evict jobs, and Redis gone
 * while a run waits. Each test starts and kills a redis-server of its own on a free port.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeOf, outputOf } from '@stepwise/core/testing';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { QueueExecutor } from './queue-executor.js';
import { QueueWorker } from './queue-worker.js';
import { freePort, redisServerSkipReason, startRedisServer, testPrefix } from './test-kit/redis.js';

const reason = redisServerSkipReason();
const required = process.env.STEPWISE_REQUIRE_ALL === '1';
if (reason !== undefined && !required) console.warn(`queue Redis failure tests skipped: ${reason}`);
const store = mkdtempSync(join(tmpdir(), 'stepwise-queue-down-'));
afterAll(() => rmSync(store, { recursive: true, force: true }));

/** A logger that keeps its warnings. */
function warnings() {
  const lines: string[] = [];
  const keep = (...args: unknown[]) =>
    lines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
  return { lines, logger: { debug() {}, info() {}, warn: keep, error: keep } as never };
}

describe.skipIf(reason !== undefined && !required)('the queue when Redis is not there', () => {
  it('a Redis that cannot be reached fails the first task and the worker start with QUEUE_UNAVAILABLE naming the URL', async () => {
    const redis = `redis://127.0.0.1:${await freePort()}`;
    const executor = new QueueExecutor({ redis, store, connectTimeoutMs: 500 });
    const started = Date.now();
    const error = await outputOf(executor, 'c_sum', [1, 2]).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'QUEUE_UNAVAILABLE' });
    expect((error as Error).message).toContain(redis);
    expect(Date.now() - started).toBeLessThan(5000);
    await executor.close();
    const worker = new QueueWorker({ redis, store, stepModules: [], connectTimeoutMs: 500 });
    expect(await codeOf(() => worker.start())).toBe('QUEUE_UNAVAILABLE');
    await worker.close();
  });

  it('a maxmemory-policy other than noeviction is warned about at start', async () => {
    const server = await startRedisServer(['--maxmemory-policy', 'allkeys-lru']);
    const { lines, logger } = warnings();
    const worker = new QueueWorker({ redis: server.url, store, stepModules: [], prefix: testPrefix('policy'), logger });
    try {
      await worker.start();
      expect(lines.join('\n')).toMatch(/maxmemory-policy is "allkeys-lru".*noeviction/);
    } finally {
      await worker.close();
      await server.stop();
    }
  });

  it('Redis gone while a task waits: the task fails with QUEUE_UNAVAILABLE in bounded time, and close() returns', async () => {
    const server = await startRedisServer();
    const executor = new QueueExecutor({
      redis: server.url,
      store,
      prefix: testPrefix('down'),
      connectTimeoutMs: 1000,
    });
    try {
      // no worker: the job waits in the queue until Redis goes away
      const waiting = outputOf(executor, 'c_sum', [1, 2]).catch((e: unknown) => e);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await server.stop();
      const stopped = Date.now();
      expect(await waiting).toMatchObject({ code: 'QUEUE_UNAVAILABLE' });
      expect(Date.now() - stopped).toBeLessThan(5000);
    } finally {
      const closing = Date.now();
      await executor.close();
      expect(Date.now() - closing).toBeLessThan(5000);
      await server.stop();
    }
  });

  it('close() while a task is being added to Redis: the task fails with EXECUTOR_CLOSED and no rejection goes unhandled', async () => {
    const server = await startRedisServer();
    const admin = new Redis(server.url);
    const executor = new QueueExecutor({
      redis: server.url,
      store,
      prefix: testPrefix('closing'),
      connectTimeoutMs: 1000,
    });
    const unhandled: unknown[] = [];
    const keep = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', keep);
    try {
      // writes wait while paused, so the job's add (BullMQ's first write) is in flight when close() runs
      await admin.call('CLIENT', 'PAUSE', '10000', 'WRITE');
      const task = outputOf(executor, 'c_sum', [1, 2]).catch((e: unknown) => e);
      await vi.waitFor(async () => expect(String(await admin.call('CLIENT', 'LIST'))).toMatch(/ flags=b /), {
        timeout: 5000,
        interval: 20,
      });
      await executor.close();
      expect(await task).toMatchObject({ code: 'EXECUTOR_CLOSED' });
      // an unhandled rejection is reported after the microtasks of its turn: let a few turns pass
      for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', keep);
      admin.disconnect();
      await executor.close();
      await server.stop();
    }
  });
});
