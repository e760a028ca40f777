/**
 * The queue executor (`npm run bench -- queue`), beside the threads executor and a plain loop in the
 * same run: W3's per-row hash over 1,000,000 numbers on 2 `stepwise worker` processes against 2
 * worker threads; the latency a queued step adds, over a chain of trivial steps against inline, and
 * the Redis commands such a step costs (counted with MONITOR: unlike the latency, they do not depend
 * on the machine's load); and Redis memory after 10,000 jobs with the retention defaults. Needs
 * Redis (REDIS_URL or 127.0.0.1:6379); reports why when it is not there.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileStore, RuntimeContext, stepType, threadsExecutor, Workflow, WorkflowRunner } from '@stepwise/core';
import { queueExecutor } from '@stepwise/queue';
import { Redis } from 'ioredis';
import { hash, w3Hash } from './w3-per-row.js';

const ROWS = 1_000_000;
const CHAIN = 1000;
/** Steps of the chain whose Redis commands are counted. */
const COUNTED = 100;
const JOBS = 10_000;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const THIS_MODULE = fileURLToPath(import.meta.url);
/**
 * The one step module the workers and threads load: it imports w3-per-row.ts and exports its w3_hash,
 * which they find in this module's exports.
 */
const STEP_MODULES = [THIS_MODULE];
const BIN = fileURLToPath(new URL('../packages/cli/bin/stepwise.js', import.meta.url));

// found by the workers and threads here, in this module's exports (see STEP_MODULES)
export { w3Hash };

/** batch: answers its input (the chain's step). */
export const benchPass = stepType({ slug: 'bench_pass', inputType: 'JSON', outputType: 'JSON' }, (value) => value);

/** row_iterative: adds one (the 10,000 jobs' step). */
export const benchInc = stepType(
  { slug: 'bench_inc', inputType: 'JSON', outputType: 'JSON', mode: 'row_iterative' },
  (n) => (n as number) + 1,
);

async function best(times: number, body: () => Promise<unknown>): Promise<number> {
  await body();
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await body();
    min = Math.min(min, performance.now() - start);
  }
  return min;
}

function startWorker(config: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, 'worker', '--config', config], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('taking jobs')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`stepwise worker exited (${code})`)));
  });
}

async function timeRun(
  runner: WorkflowRunner,
  wf: Workflow,
  context: RuntimeContext,
  input: unknown,
  times = 3,
): Promise<number> {
  const numbers = context.put(input, { type: 'JSON' });
  return best(times, async () => {
    const run = await runner.run(wf, { context, inputs: { numbers } });
    if (run.status !== 'completed') throw new Error(`bench run ${run.status}: ${run.error?.message}`);
  });
}

function w3Workflow(executor: 'threads' | 'queue'): Workflow {
  const wf = new Workflow({ id: `w3_${executor}`, name: 'W3', inputs: { numbers: { type: 'JSON' } } });
  wf.add(w3Hash.slug, {}, { id: 'hash', inputs: { input: { input: 'numbers' } }, strategy: { workers: 2, executor } });
  return wf;
}

function chain(executor: 'inline' | 'queue', length = CHAIN): Workflow {
  const wf = new Workflow({ id: `chain_${executor}`, name: 'Chain', inputs: { numbers: { type: 'JSON' } } });
  for (let i = 0; i < length; i++)
    wf.add(
      benchPass.slug,
      {},
      { id: `s${i}`, ...(i === 0 ? { inputs: { input: { input: 'numbers' } } } : {}), strategy: { executor } },
    );
  return wf;
}

/** Runs the queue benchmark; answers rows per second, per-step latency and Redis memory. */
export async function runQueue(): Promise<Record<string, unknown>> {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {});
  try {
    await probe.connect();
  } catch (error) {
    return { skipped: `Redis is not reachable at ${REDIS_URL}: ${(error as Error).message}` };
  }
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-bench-queue-'));
  const queue = { redis: REDIS_URL, store: join(dir, 'store'), prefix: `stepwise-bench:${process.pid}` };
  const config = join(dir, 'stepwise.config.mjs');
  writeFileSync(config, `export default ${JSON.stringify({ steps: STEP_MODULES, queue })};\n`);
  const workers = await Promise.all([startWorker(config), startWorker(config)]);
  const runner = new WorkflowRunner({
    stepModules: STEP_MODULES,
    executors: { threads: threadsExecutor({ maxThreads: 2 }), queue: queueExecutor(queue) },
  });
  try {
    const context = new RuntimeContext({ store: new FileStore(join(dir, 'store')) });
    const data = Array.from({ length: ROWS }, (_, i) => i * 7 + 1);
    const plain = await best(3, async () => data.map(hash));
    const threads = await timeRun(runner, w3Workflow('threads'), context, data);
    const queued = await timeRun(runner, w3Workflow('queue'), context, data);
    // 1,000 steps a run: one warm-up run and one timed run each
    const inlineChain = await timeRun(runner, chain('inline'), context, [1], 1);
    const queueChain = await timeRun(runner, chain('queue'), context, [1], 1);
    const commands = await countCommands(probe, queue.prefix, async () => {
      const numbers = context.put([1], { type: 'JSON' });
      const run = await runner.run(chain('queue', COUNTED), { context, inputs: { numbers } });
      if (run.status !== 'completed') throw new Error(`bench run ${run.status}: ${run.error?.message}`);
    });
    const before = await usedMemory(probe);
    const many = new Workflow({ id: 'many', name: 'Many', inputs: { numbers: { type: 'JSON' } } });
    const manyStrategy = { executor: 'queue' as const, workers: JOBS };
    many.add(benchInc.slug, {}, { id: 'inc', inputs: { input: { input: 'numbers' } }, strategy: manyStrategy });
    const manyStart = performance.now();
    const manyRun = await runner.run(many, {
      context,
      inputs: {
        numbers: context.put(
          Array.from({ length: JOBS }, (_, i) => i),
          { type: 'JSON' },
        ),
      },
    });
    const manyMs = performance.now() - manyStart;
    const after = await usedMemory(probe);
    const keys = (await probe.keys(`${queue.prefix}:*`)).length;
    const perSecond = (ms: number) => Math.round(ROWS / (ms / 1000));
    return {
      rows: ROWS,
      rowsPerSecond: { plainLoop: perSecond(plain), threads2: perSecond(threads), queue2Workers: perSecond(queued) },
      queueVsThreads: Number((threads / queued).toFixed(3)),
      chainOf: CHAIN,
      addedMsPerQueuedStep: Number(((queueChain - inlineChain) / CHAIN).toFixed(2)),
      redisCommandsPerQueuedStep: Number((commands / COUNTED).toFixed(2)),
      jobs: {
        count: JOBS,
        status: manyRun.status,
        ms: Math.round(manyMs),
        redisBytesAdded: after - before,
        keysLeft: keys,
      },
      targets: { queueVsThreads: 0.8, addedMsPerQueuedStep: 2 },
    };
  } finally {
    await runner.close();
    for (const worker of workers) worker.kill('SIGTERM');
    await Promise.all(workers.map((worker) => new Promise((resolve) => worker.once('exit', resolve))));
    const stale = await probe.keys(`${queue.prefix}:*`);
    if (stale.length > 0) await probe.del(...stale);
    probe.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Redis commands with `prefix` in their keys sent while `body` runs, by every client (the runner and
 * the workers); commands a script runs count with their script, once.
 */
async function countCommands(redis: Redis, prefix: string, body: () => Promise<unknown>): Promise<number> {
  const monitor = await redis.monitor();
  let count = 0;
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (source !== 'lua' && args.some((arg) => arg.includes(prefix))) count++;
  });
  // MONITOR's stream lags the commands: a last one of this client's marks its end
  const ended = new Promise<void>((resolve) =>
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (args[1] === `${prefix}:end`) resolve();
    }),
  );
  try {
    await body();
    await redis.call('ECHO', `${prefix}:end`);
    await ended;
  } finally {
    monitor.disconnect();
  }
  return count - 1;
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}
