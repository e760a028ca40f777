/**
 * W1, engine overhead: a linear workflow of N steps, each `(n) => n + 1` (JSON in and out, a zod
 * params object), run 20 times; median microseconds per step for Stepwise and for a hand-written
 * loop calling the same async function with zod-validated params. Also on a FileStore (every value
 * and the run record on disk), at 1,000 steps and 5 runs: the cost of persistence per step.
 * Run: `npm run build && npx tsx bench/w1-engine-overhead.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FileStore,
  parseWorkflow,
  RuntimeContext,
  StepRegistry,
  stepType,
  stringifyWorkflow,
  Workflow,
  WorkflowRunner,
} from '@stepwise/core';
import { z } from 'zod';

const RUNS = 20;
const WARMUP = 10;
/** Runs on a FileStore: each step writes and flushes a file, so fewer runs give a stable median. */
const FILE_RUNS = 5;

const params = z.object({ by: z.number().default(1) });
const increment = async (n: number, p: { by: number }): Promise<number> => n + p.by;

/** The numbers for one workflow size. */
export interface W1Result {
  steps: number;
  /** Where values and the run record live. */
  store: 'memory' | 'file';
  runs: number;
  /** Median µs per step, Stepwise. */
  stepwiseUsPerStep: number;
  /** Median µs per step, the hand-written loop. */
  baselineUsPerStep: number;
  /** stepwise - baseline. */
  overheadUsPerStep: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function buildWorkflow(steps: number): Workflow {
  const registry = new StepRegistry();
  const inc = stepType({ slug: 'inc', params, inputType: 'JSON', outputType: 'JSON', registry }, (n, p) =>
    increment(n as number, p),
  );
  const wf = new Workflow({ id: 'w1', name: 'W1', inputs: { start: { type: 'JSON' } }, registry });
  wf.add(inc, { by: 1 }, { id: 's0', inputs: { input: { input: 'start' } } });
  for (let i = 1; i < steps; i++) wf.add(inc, { by: 1 }, { id: `s${i}` });
  wf.plan();
  return wf;
}

async function timeStepwise(steps: number, newContext = () => new RuntimeContext(), runs = RUNS): Promise<number[]> {
  const wf = buildWorkflow(steps);
  const runner = new WorkflowRunner();
  const times: number[] = [];
  const warmup = Math.min(WARMUP, runs);
  for (let r = 0; r < warmup + runs; r++) {
    const context = newContext();
    const start = context.put(0, { type: 'JSON' });
    const t0 = process.hrtime.bigint();
    const run = await runner.run(wf, { context, inputs: { start } });
    const t1 = process.hrtime.bigint();
    if (run.status !== 'completed' || context.get(run.outputs.result as string) !== steps)
      throw new Error(`W1: the run did not compute ${steps} (${run.status})`);
    if (r >= warmup) times.push(Number(t1 - t0) / 1000 / steps);
  }
  await runner.close();
  return times;
}

async function timeBaseline(steps: number, runs = RUNS): Promise<number[]> {
  const configs = Array.from({ length: steps }, () => ({ by: 1 }));
  const times: number[] = [];
  for (let r = 0; r < WARMUP + runs; r++) {
    const t0 = process.hrtime.bigint();
    let value = 0;
    for (let i = 0; i < steps; i++) value = await increment(value, params.parse(configs[i]));
    const t1 = process.hrtime.bigint();
    if (value !== steps) throw new Error('W1 baseline miscounted');
    if (r >= WARMUP) times.push(Number(t1 - t0) / 1000 / steps);
  }
  return times;
}

async function measure(steps: number, store: 'memory' | 'file' = 'memory'): Promise<W1Result> {
  const runs = store === 'file' ? FILE_RUNS : RUNS;
  const baselineUsPerStep = median(await timeBaseline(steps, runs));
  let stepwiseUsPerStep: number;
  if (store === 'memory') stepwiseUsPerStep = median(await timeStepwise(steps));
  else {
    const dir = mkdtempSync(join(tmpdir(), 'stepwise-w1-'));
    try {
      const newContext = () => new RuntimeContext({ store: new FileStore(dir) });
      stepwiseUsPerStep = median(await timeStepwise(steps, newContext, runs));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    steps,
    store,
    runs,
    stepwiseUsPerStep: round(stepwiseUsPerStep),
    baselineUsPerStep: round(baselineUsPerStep),
    overheadUsPerStep: round(stepwiseUsPerStep - baselineUsPerStep),
  };
}

/** Milliseconds to parse and validate the JSON text of a `steps`-step document: the first call and the median of 10. */
function timeParse(steps: number): { steps: number; firstMs: number; medianMs: number } {
  const wf = buildWorkflow(steps);
  const text = stringifyWorkflow(wf);
  const times: number[] = [];
  for (let r = 0; r < 11; r++) {
    const t0 = process.hrtime.bigint();
    const loaded = parseWorkflow(text, { registry: wf.registry });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (loaded.steps.length !== steps) throw new Error('W1 parse lost steps');
  }
  const round = (x: number) => Math.round(x * 10) / 10;
  return { steps, firstMs: round(times[0] as number), medianMs: round(median(times.slice(1))) };
}

/**
 * Runs W1 at 1,000, 10,000 and 40,000 steps (target: at most 3 µs per step at 1,000; at 10,000 within 1.5x
 * of that), and times parsing a 10,000-step document (target: at most 100 ms).
 */
export async function runW1(): Promise<{
  targets: string[];
  results: W1Result[];
  /** 1,000 steps on a FileStore. */
  fileStore: W1Result;
  scaleRatio: number;
  parse: ReturnType<typeof timeParse>;
}> {
  const parse = timeParse(10_000);
  // 40,000 as well: per-step cost that levels off past 10,000 is linear, not quadratic.
  const results = [await measure(1_000), await measure(10_000), await measure(40_000)];
  const [small, large] = results as [W1Result, W1Result];
  return {
    targets: ['stepwiseUsPerStep <= 3 at 1,000 steps', 'scaleRatio <= 1.5', 'parse.medianMs <= 100'],
    results,
    fileStore: await measure(1_000, 'file'),
    scaleRatio: Math.round((large.stepwiseUsPerStep / small.stepwiseUsPerStep) * 100) / 100,
    parse,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { results, fileStore } = await runW1();
  for (const r of [...results, fileStore]) {
    console.log(
      `${r.steps} steps x ${r.runs} runs (${r.store}): stepwise ${r.stepwiseUsPerStep} µs/step, hand-written ${r.baselineUsPerStep} µs/step, overhead ${r.overheadUsPerStep} µs/step`,
    );
  }
}
