/**
 * Redis restarted mid-run, as in production (stop, then start again), without persistence: the
 * queue forgets the running job and its lease. The runner notices its job is gone, adds it again
 * under a new id, and the run completes with the exact output; the first execution's late result is
 * refused by its lease; a job lost again and again fails. Each test starts and kills a redis-server of
 * its own on a free port.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FileStore, type Logger, RuntimeContext, Workflow, WorkflowRunner } from '@stepwise/core';
import { outputOf } from '@stepwise/core/testing';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { QueueExecutor } from './queue-executor.js';
import { queueExecutor } from './queue-factory.js';
import {
  redisServerSkipReason,
  spawnCliWorker,
  startRedisServer,
  type TestWorker,
  testPrefix,
} from './test-kit/redis.js';

const reason = redisServerSkipReason();
const required = process.env.STEPWISE_REQUIRE_ALL === '1';
if (reason !== undefined && !required) console.warn(`queue Redis restart test skipped: ${reason}`);
const STEPS = fileURLToPath(new URL('./test-kit/fault-steps.mjs', import.meta.url));
if (reason === undefined || required) await import(pathToFileURL(STEPS).href);
const dir = mkdtempSync(join(tmpdir(), 'stepwise-queue-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `<pid> start` lines of the executions log: one per execution of the step. */
function starts(log: string): number[] {
  let text = '';
  try {
    text = readFileSync(log, 'utf8');
  } catch {}
  return text
    .split('\n')
    .filter((line) => line.endsWith(' start'))
    .map((line) => Number(line.split(' ')[0]));
}

/** A logger that keeps each warning as one line in `warnings` and drops everything else. */
function warningsLogger(): { warnings: string[]; logger: Logger } {
  const warnings: string[] = [];
  const logger: Logger = {
    debug() {},
    info() {},
    warn: (...args: unknown[]) => warnings.push(args.map(String).join(' ')),
    error() {},
    child: () => logger,
  };
  return { warnings, logger };
}

async function until(check: () => boolean, ms: number): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error(`condition not met in ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Jobs waiting in queue `steps` of `prefix` on the Redis at `url`. */
async function waitingJobs(url: string, prefix: string): Promise<number> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    return await redis.llen(`${prefix}:steps:wait`);
  } finally {
    redis.disconnect();
  }
}

async function untilAsync(check: () => Promise<boolean>, ms: number): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`condition not met in ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe.skipIf(reason !== undefined && !required)('the queue when Redis restarts', () => {
  it('Redis restarted without persistence mid-job: the runner adds the lost job again, the run completes with the exact output, the late first result is refused', async () => {
    let server = await startRedisServer();
    let worker: TestWorker | undefined;
    const { warnings, logger } = warningsLogger();
    const queue = {
      redis: server.url,
      store: join(dir, 'store'),
      prefix: testPrefix('restart'),
      lockDurationMs: 2000,
      connectTimeoutMs: 8000,
    };
    const log = join(dir, 'executions.log');
    const config = join(dir, 'stepwise.config.mjs');
    writeFileSync(config, `export default ${JSON.stringify({ steps: [STEPS], logLevel: 'warn', queue })};\n`);
    const runner = new WorkflowRunner({
      stepModules: [STEPS],
      logger,
      executors: { queue: queueExecutor(queue) },
    });
    try {
      worker = await spawnCliWorker(config);
      const wf = new Workflow({ id: 'restart', name: 'Restart', inputs: { numbers: { type: 'JSON' } } });
      wf.add(
        'q_slow_who',
        { log, ms: 1500 },
        { id: 'who', inputs: { input: { input: 'numbers' } }, strategy: { executor: 'queue' } },
      );
      const context = new RuntimeContext({ store: new FileStore(queue.store) });
      const running = runner.run(wf, { context, inputs: { numbers: context.put([1], { type: 'JSON' }) } });
      await until(() => starts(log).length === 1, 15_000);
      await server.stop();
      server = await startRedisServer([], server.port);
      const restarted = Date.now();
      const run = await running;
      expect(run.status).toBe('completed');
      expect(context.get(run.outputs.result as string)).toEqual({ pid: worker.child.pid });
      // well within connectTimeoutMs: the run did not wait for a timeout
      expect(Date.now() - restarted).toBeLessThan(8000);
      // the lost job ran again (the step once more), and only the second result counted
      expect(starts(log)).toEqual([worker.child.pid, worker.child.pid]);
      expect(warnings.join('\n')).toMatch(/gone from Redis with no result/);
      await until(() => (worker?.stderr ?? '').includes('rejected'), 10_000);
      expect(worker.stderr).toMatch(/late result of job \S+ rejected/);
    } finally {
      await runner.close();
      await worker?.stop('SIGKILL');
      await server.stop();
    }
  }, 60_000);

  it('a job lost again and again (Redis restarting 4 times while it waits) fails the task with QUEUE_UNAVAILABLE naming the cause', async () => {
    let server = await startRedisServer();
    const { warnings, logger } = warningsLogger();
    const prefix = testPrefix('lost');
    const executor = new QueueExecutor({
      redis: server.url,
      store: join(dir, 'store-lost'),
      prefix,
      connectTimeoutMs: 8000,
      logger,
    });
    try {
      // no worker: the job waits in the queue, and each restart loses it
      const waiting = outputOf(executor, 'c_sum', [1, 2]).catch((e: unknown) => e);
      await untilAsync(async () => (await waitingJobs(server.url, prefix)) === 1, 10_000);
      for (let restart = 1; restart <= 4; restart++) {
        await server.stop();
        server = await startRedisServer([], server.port);
        if (restart === 4) break;
        await until(() => warnings.length === restart, 10_000);
        // the job added again must be in this Redis before it restarts (the add waits for the
        // runner's queue connection to reconnect, and would otherwise land on the next Redis)
        await untilAsync(async () => (await waitingJobs(server.url, prefix)) === 1, 10_000);
      }
      const error = await waiting;
      expect(error).toMatchObject({ code: 'QUEUE_UNAVAILABLE' });
      expect((error as Error).message).toMatch(/vanished from Redis 4 times/);
      expect(warnings).toHaveLength(3);
    } finally {
      await executor.close();
      await server.stop();
    }
  }, 60_000);
});
