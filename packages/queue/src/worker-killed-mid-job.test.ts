/**
 * Delivery under worker faults, with `stepwise worker` processes: a worker killed mid-partition
 * costs a retry on another worker; a worker stopped past its lock has its late result rejected.
 * Each row's executions are counted from the log the fault steps append to.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FileStore, RuntimeContext, Workflow, WorkflowRunner } from '@stepwise/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { queueExecutor } from './queue-factory.js';
import { queueTestsRun, REDIS_URL, spawnCliWorker, type TestWorker, testPrefix } from './test-kit/redis.js';

const runs = await queueTestsRun('queue worker faults');
const STEPS = fileURLToPath(new URL('./test-kit/fault-steps.mjs', import.meta.url));
// the runner plans with the same step types the workers run
await import(pathToFileURL(STEPS).href);
const LOCK_MS = 2000;
const dirs: string[] = [];
const workers: TestWorker[] = [];

/** A project whose config points at the fault steps and a fresh queue prefix and store. */
function project(name: string) {
  const dir = mkdtempSync(join(tmpdir(), `stepwise-queue-${name}-`));
  dirs.push(dir);
  const queue = {
    redis: REDIS_URL,
    store: join(dir, 'store'),
    prefix: testPrefix(name),
    lockDurationMs: LOCK_MS,
    shutdownGraceMs: 1000,
  };
  const config = join(dir, 'stepwise.config.mjs');
  writeFileSync(config, `export default ${JSON.stringify({ steps: [STEPS], logLevel: 'warn', queue })};\n`);
  const runner = new WorkflowRunner({ stepModules: [STEPS], executors: { queue: queueExecutor(queue) } });
  return { dir, config, runner, log: join(dir, 'executions.log'), store: new FileStore(queue.store) };
}

async function startWorkers(config: string, n: number): Promise<TestWorker[]> {
  const started = await Promise.all(Array.from({ length: n }, () => spawnCliWorker(config)));
  workers.push(...started);
  return started;
}

/** `<pid> <row>` lines of the executions log. */
function executions(log: string): { pid: number; row: string }[] {
  let text = '';
  try {
    text = readFileSync(log, 'utf8');
  } catch {}
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [pid, row] = line.split(' ');
      return { pid: Number(pid), row: row as string };
    });
}

async function until(check: () => boolean, ms: number): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error(`condition not met in ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe.skipIf(!runs)('queue workers under faults', () => {
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.stop('SIGKILL')));
  });
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('a worker SIGKILLed mid-partition costs a retry elsewhere: every row once in the output, at most two executions', async () => {
    const p = project('kill');
    const [victim] = await startWorkers(p.config, 3);
    const wf = new Workflow({ id: 'kill', name: 'Kill', inputs: { numbers: { type: 'JSON' } } });
    const strategy = { executor: 'queue' as const, workers: 6 };
    wf.add(
      'q_slow_double',
      { log: p.log, ms: 40 },
      { id: 'double', inputs: { input: { input: 'numbers' } }, strategy },
    );
    const context = new RuntimeContext({ store: p.store });
    const rows = Array.from({ length: 60 }, (_, i) => i);
    const running = p.runner.run(wf, { context, inputs: { numbers: context.put(rows, { type: 'JSON' }) } });
    const pid = victim?.child.pid as number;
    await until(() => executions(p.log).some((e) => e.pid === pid), 15_000);
    victim?.child.kill('SIGKILL');
    const run = await running;
    await p.runner.close();
    expect(run.status).toBe('completed');
    expect(context.get(run.outputs.result as string)).toEqual(rows.map((n) => n * 2));
    const counts = new Map<string, number>();
    for (const e of executions(p.log)) counts.set(e.row, (counts.get(e.row) ?? 0) + 1);
    expect(counts.size).toBe(60);
    expect(Math.max(...counts.values())).toBeLessThanOrEqual(2);
    // the killed worker's partition ran again on another worker
    const rerun = executions(p.log).filter(
      (e) => e.pid !== pid && executions(p.log).some((k) => k.pid === pid && k.row === e.row),
    );
    expect(rerun.length).toBeGreaterThan(0);
  }, 60_000);

  it("a worker stopped past its lock (SIGSTOP) loses the job; its late result is rejected and logged, the output is the other worker's", async () => {
    const p = project('stall');
    const [first] = await startWorkers(p.config, 1);
    const wf = new Workflow({ id: 'stall', name: 'Stall', inputs: { numbers: { type: 'JSON' } } });
    wf.add(
      'q_slow_who',
      { log: p.log, ms: 1500 },
      { id: 'who', inputs: { input: { input: 'numbers' } }, strategy: { executor: 'queue' } },
    );
    const context = new RuntimeContext({ store: p.store });
    const running = p.runner.run(wf, { context, inputs: { numbers: context.put([1], { type: 'JSON' }) } });
    const stalled = first?.child.pid as number;
    await until(() => executions(p.log).length === 1, 15_000);
    first?.child.kill('SIGSTOP');
    const [second] = await startWorkers(p.config, 1);
    const run = await running;
    await p.runner.close();
    expect(run.status).toBe('completed');
    expect(context.get(run.outputs.result as string)).toEqual({ pid: second?.child.pid });
    first?.child.kill('SIGCONT');
    await until(() => (first?.stderr ?? '').includes('rejected'), 15_000);
    expect(first?.stderr).toMatch(/late result of job \S+ rejected/);
    expect(executions(p.log).map((e) => e.pid)).toEqual([stalled, second?.child.pid]);
  }, 60_000);

  it('a job that stalls twice (two workers stopped past their lock in turn) fails the step with WORKER_EXITED, no third execution', async () => {
    const p = project('stall2');
    const [first] = await startWorkers(p.config, 1);
    const wf = new Workflow({ id: 'stall2', name: 'Stall twice', inputs: { numbers: { type: 'JSON' } } });
    wf.add(
      'q_slow_who',
      { log: p.log, ms: 30_000 },
      { id: 'who', inputs: { input: { input: 'numbers' } }, strategy: { executor: 'queue' } },
    );
    const context = new RuntimeContext({ store: p.store });
    const running = p.runner.run(wf, { context, inputs: { numbers: context.put([1], { type: 'JSON' }) } });
    await until(() => executions(p.log).length === 1, 15_000);
    first?.child.kill('SIGSTOP');
    // the second worker's stall check hands it the job (first stall), then it stops too
    const [second] = await startWorkers(p.config, 1);
    await until(() => executions(p.log).length === 2, 15_000);
    second?.child.kill('SIGSTOP');
    // the third worker's stall check finds the job stalled a second time: failed, not run again
    await startWorkers(p.config, 1);
    const started = Date.now();
    const run = await running;
    await p.runner.close();
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(run.status).toBe('failed');
    expect(run.steps.get('who')).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'WORKER_EXITED' } });
    expect(run.steps.get('who')?.error?.message).toMatch(/stalled/);
    expect(executions(p.log).map((e) => e.pid)).toEqual([first?.child.pid, second?.child.pid]);
  }, 60_000);

  it('SIGTERM: the worker hands its running job back after the grace time and exits 0 in bounded time', async () => {
    const p = project('term');
    const [first] = await startWorkers(p.config, 1);
    const wf = new Workflow({ id: 'term', name: 'Term', inputs: { numbers: { type: 'JSON' } } });
    wf.add(
      'q_slow_who',
      { log: p.log, ms: 5000 },
      { id: 'who', inputs: { input: { input: 'numbers' } }, strategy: { executor: 'queue' } },
    );
    const context = new RuntimeContext({ store: p.store });
    const running = p.runner.run(wf, { context, inputs: { numbers: context.put([1], { type: 'JSON' }) } });
    await until(() => executions(p.log).length === 1, 15_000);
    const stopping = Date.now();
    // timed when the process exits (the second worker's start-up, slow on a busy machine, is not counted)
    const exited = new Promise<{ code: number | null; ms: number }>((resolve) =>
      first?.child.once('exit', (code) => resolve({ code, ms: Date.now() - stopping })),
    );
    first?.child.kill('SIGTERM');
    const [second] = await startWorkers(p.config, 1);
    const { code: exit, ms } = await exited;
    // grace (1 s) + hand back; well before the 5 s step would have ended on its own
    expect(ms).toBeLessThan(4500);
    expect(exit).toBe(0);
    expect(first?.stdout).toContain('stopped');
    const run = await running;
    await p.runner.close();
    expect(context.get(run.outputs.result as string)).toEqual({ pid: second?.child.pid });
  }, 60_000);

  it('cancelling a run reaches its worker: the running partition stops, the waiting one never starts', async () => {
    const p = project('cancel');
    await startWorkers(p.config, 1);
    const wf = new Workflow({ id: 'cancel', name: 'Cancel', inputs: { numbers: { type: 'JSON' } } });
    const strategy = { executor: 'queue' as const, workers: 2 };
    wf.add(
      'q_slow_double',
      { log: p.log, ms: 200 },
      { id: 'double', inputs: { input: { input: 'numbers' } }, strategy },
    );
    const context = new RuntimeContext({ store: p.store });
    const controller = new AbortController();
    const numbers = context.put(
      Array.from({ length: 20 }, (_, i) => i),
      { type: 'JSON' },
    );
    const running = p.runner.run(wf, { context, inputs: { numbers }, signal: controller.signal });
    await until(() => executions(p.log).length >= 1, 15_000);
    controller.abort();
    const run = await running;
    expect(run.steps.get('double')?.status).toBe('cancelled');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = executions(p.log).length;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(executions(p.log).length).toBe(after);
    expect(after).toBeLessThan(10);
    await p.runner.close();
  }, 60_000);

  it('a step type a worker cannot find fails the step once with STEP_TYPE_UNKNOWN: no retry', async () => {
    const p = project('unknown');
    // a worker whose project lists no step modules
    writeFileSync(p.config, readFileSync(p.config, 'utf8').replace(/"steps":\[[^\]]*\]/, '"steps":[]'));
    await startWorkers(p.config, 1);
    const wf = new Workflow({ id: 'unknown', name: 'Unknown', inputs: { numbers: { type: 'JSON' } } });
    const strategy = { executor: 'queue' as const, retries: 2, retryDelayMs: 1 };
    wf.add('q_slow_who', { log: p.log, ms: 1 }, { id: 'who', inputs: { input: { input: 'numbers' } }, strategy });
    const context = new RuntimeContext({ store: p.store });
    const run = await p.runner.run(wf, { context, inputs: { numbers: context.put([1], { type: 'JSON' }) } });
    await p.runner.close();
    expect(run.steps.get('who')).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'STEP_TYPE_UNKNOWN' } });
    expect(run.steps.get('who')?.error?.message).toContain('q_slow_who');
  }, 60_000);
});
