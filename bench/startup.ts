/**
 * Start-up, as whole processes (median of 10, beside a bare `node -e 0` in the same run):
 * `stepwise --version`, `stepwise validate` of the sales example, and a worker thread ready to run
 * a table step (a fresh threads executor loading @stepwise/dataframe, up to its first answer).
 * `npm run bench -- startup`
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const RUNS = 10;
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = fileURLToPath(new URL('../packages/cli/bin/stepwise.js', import.meta.url));

/** A process of its own that times a fresh worker thread from its start to the answer of one table step. */
const THREAD_READY = `
import { ThreadsExecutor } from '@stepwise/core';
import { outputOf } from '@stepwise/core/testing';
import { DataFrameType } from '@stepwise/dataframe';
const df = DataFrameType.fromRows([{ a: 1 }, { a: 2 }]);
const executor = new ThreadsExecutor({ stepModules: ['@stepwise/dataframe'], maxThreads: 1 });
const start = performance.now();
await outputOf(executor, 'select', df, { params: { columns: ['a'] }, strategy: { executor: 'threads' } });
process.stdout.write(String(performance.now() - start));
await executor.close();
`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Milliseconds of one whole process, from spawn to exit. */
function timeProcess(args: string[]): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  const ms = performance.now() - start;
  if (result.status !== 0 && result.status !== 2)
    throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr.slice(0, 500)}`);
  return ms;
}

function medianOf(args: string[]): number {
  timeProcess(args); // warm the file cache
  return median(Array.from({ length: RUNS }, () => timeProcess(args)));
}

/** Median milliseconds from a new worker thread's start to its first table step's answer, one process each. */
function threadReady(): number {
  const samples: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', THREAD_READY], {
      cwd: root,
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`thread-ready probe failed: ${result.stderr.slice(0, 500)}`);
    if (i > 0) samples.push(Number(result.stdout));
  }
  return median(samples);
}

const round = (ms: number) => Math.round(ms);

/** Runs the start-up benchmark: medians in milliseconds, and each process over bare node. */
export async function runStartup(): Promise<Record<string, unknown>> {
  const node = medianOf(['-e', '0']);
  const version = medianOf([bin, '--version']);
  const validate = medianOf([bin, 'validate', 'examples/sales/workflow.json']);
  const thread = threadReady();
  return {
    runs: RUNS,
    medianMs: {
      bareNode: round(node),
      stepwiseVersion: round(version),
      stepwiseValidateSales: round(validate),
      workerThreadReadyForTableStep: round(thread),
    },
    overBareNodeMs: { stepwiseVersion: round(version - node), stepwiseValidateSales: round(validate - node) },
    ratiosToBareNode: {
      stepwiseVersion: Number((version / node).toFixed(2)),
      stepwiseValidateSales: Number((validate / node).toFixed(2)),
    },
    targets: { versionOverBareNodeMs: 150, validateMs: 500, workerThreadReadyMs: 300 },
  };
}
