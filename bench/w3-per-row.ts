/**
 * W3, per-row work: 1,000,000 numbers through a row_iterative step whose function is 200 rounds
 * of an xor-shift-and-multiply hash. Rows per second inline, on 1 and 2 worker threads, against a
 * plain loop and a hand-written pair of worker_threads over a SharedArrayBuffer, in the same run.
 * `npx tsx bench/w3-per-row.ts`
 */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { isMainThread, Worker } from 'node:worker_threads';
import { RuntimeContext, StepRegistry, stepType, threadsExecutor, Workflow, WorkflowRunner } from '@stepwise/core';

const ROWS = 1_000_000;
const ROUNDS = 200;

/** The per-row function: 200 rounds of xor-shift and multiply over 32-bit integers. */
export function hash(x: number): number {
  let h = x | 0;
  for (let r = 0; r < ROUNDS; r++) {
    h ^= h << 13;
    h ^= h >>> 17;
    h ^= h << 5;
    h = Math.imul(h, 0x9e3779b1);
  }
  return h >>> 0;
}

/** The step the runner runs; worker threads import this module to find it by slug. */
export const w3Hash = stepType({ slug: 'w3_hash', inputType: 'JSON', outputType: 'JSON', mode: 'row_iterative' }, (n) =>
  hash(n as number),
);

const THIS_MODULE = fileURLToPath(import.meta.url);

function rowsPerSecond(ms: number): number {
  return Math.round(ROWS / (ms / 1000));
}

function best(times: number[]): number {
  return Math.min(...times);
}

async function timeRepeated(times: number, body: () => Promise<unknown> | unknown): Promise<number> {
  await body(); // warm up: JIT, thread pool, module loading
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await body();
    samples.push(performance.now() - start);
  }
  return best(samples);
}

function plainLoop(data: number[]): number[] {
  const out = new Array<number>(data.length);
  for (let i = 0; i < data.length; i++) out[i] = hash(data[i] as number);
  return out;
}

const SAB_WORKER = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ input, output, from, to, rounds }) => {
  const src = new Float64Array(input), dst = new Float64Array(output);
  for (let i = from; i < to; i++) {
    let h = src[i] | 0;
    for (let r = 0; r < rounds; r++) { h ^= h << 13; h ^= h >>> 17; h ^= h << 5; h = Math.imul(h, 0x9e3779b1); }
    dst[i] = h >>> 0;
  }
  parentPort.postMessage('done');
});`;

/** Two worker_threads over a SharedArrayBuffer, each hashing half: the hand-written baseline. */
async function handWritten(data: number[], threads: number): Promise<number> {
  const input = new SharedArrayBuffer(ROWS * 8);
  new Float64Array(input).set(data);
  const output = new SharedArrayBuffer(ROWS * 8);
  const workers = Array.from({ length: threads }, () => new Worker(SAB_WORKER, { eval: true }));
  const once = () =>
    Promise.all(
      workers.map((worker, i) => {
        const from = Math.floor((ROWS * i) / threads);
        const to = Math.floor((ROWS * (i + 1)) / threads);
        worker.postMessage({ input, output, from, to, rounds: ROUNDS });
        return new Promise((resolve) => worker.once('message', resolve));
      }),
    );
  const ms = await timeRepeated(3, once);
  await Promise.all(workers.map((w) => w.terminate()));
  return ms;
}

async function throughRunner(
  data: number[],
  strategy: { workers: number; executor: 'inline' | 'threads' },
): Promise<number> {
  const registry = new StepRegistry();
  registry.register(w3Hash);
  const wf = new Workflow({ id: 'w3', name: 'W3', registry, inputs: { numbers: { type: 'JSON' } } });
  wf.add('w3_hash', {}, { id: 'hash', inputs: { input: { input: 'numbers' } }, strategy });
  const runner = new WorkflowRunner({
    registry,
    stepModules: [THIS_MODULE],
    executors: { threads: threadsExecutor({ maxThreads: 2 }) },
  });
  const context = new RuntimeContext({ registry });
  const numbers = context.put(data, { type: 'JSON' });
  try {
    return await timeRepeated(3, async () => {
      const run = await runner.run(wf, { context, inputs: { numbers } });
      if (run.status !== 'completed') throw new Error(`W3 run ${run.status}: ${run.error?.message}`);
      context.delete(run.outputs.result as string);
    });
  } finally {
    await runner.close();
  }
}

/** Runs W3 and answers with rows per second for each way of running it, and the ratios to the targets. */
export async function runW3(): Promise<Record<string, unknown>> {
  const data = Array.from({ length: ROWS }, (_, i) => i * 7 + 1);
  const plain = await timeRepeated(3, () => plainLoop(data));
  const inline = await throughRunner(data, { workers: 1, executor: 'inline' });
  const threads1 = await throughRunner(data, { workers: 1, executor: 'threads' });
  const threads2 = await throughRunner(data, { workers: 2, executor: 'threads' });
  const hand1 = await handWritten(data, 1);
  const hand2 = await handWritten(data, 2);
  return {
    rows: ROWS,
    cores: availableParallelism(),
    rowsPerSecond: {
      plainLoop: rowsPerSecond(plain),
      inline: rowsPerSecond(inline),
      threads1: rowsPerSecond(threads1),
      threads2: rowsPerSecond(threads2),
      handWritten1Thread: rowsPerSecond(hand1),
      handWritten2Threads: rowsPerSecond(hand2),
    },
    inlineVsPlainLoop: Number((plain / inline).toFixed(3)),
    threads2VsHandWritten2: Number((hand2 / threads2).toFixed(3)),
    targets: { inlineVsPlainLoop: 0.8, threads2VsHandWritten2: 0.85 },
  };
}

if (isMainThread && process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(JSON.stringify(await runW3(), null, 2));
}
