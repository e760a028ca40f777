/**
 * Start-up, as whole processes (median of 10, beside a bare `node -e 0` in the same run):
 * `stepwise --version`, `stepwise validate` of the sales example, a worker thread ready to run
 * a table step (a fresh threads executor loading @stepwise/dataframe, up to its first answer), and
 * the fixed cost of a table run: W4's workflow (bench/w4) over a 100-row CSV, memory store, beside
 * the DuckDB script doing the same (issue 14: what a run costs besides DuckDB's query and load).
 * `npm run bench -- startup`
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RUNS = 10;
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = fileURLToPath(new URL('../packages/cli/bin/stepwise.js', import.meta.url));
const w4 = fileURLToPath(new URL('./w4/', import.meta.url));

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
function timeProcess(args: string[], cwd = root): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { cwd, encoding: 'utf8' });
  const ms = performance.now() - start;
  if (result.status !== 0 && result.status !== 2)
    throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr.slice(0, 500)}`);
  return ms;
}

function medianOf(args: string[], cwd = root): number {
  timeProcess(args, cwd); // warm the file cache
  return median(Array.from({ length: RUNS }, () => timeProcess(args, cwd)));
}

/** W4's CSV shape, 100 rows (one value in 20 empty), in bench/w4/data (git-ignored); its name there. */
function tinyW4Csv(): string {
  const name = 'w4-startup.csv';
  mkdirSync(join(w4, 'data', 'out'), { recursive: true });
  const rows = Array.from({ length: 100 }, (_, i) => {
    const value = i % 20 === 7 ? '' : String(((i * 37) % 100) / 100);
    return `${i},g${String(i % 10).padStart(2, '0')},${value},${i % 3 === 0}`;
  });
  writeFileSync(join(w4, 'data', name), `id,group,value,flag\n${rows.join('\n')}\n`);
  return name;
}

/**
 * Medians of `stepwise run bench/w4/workflow.json` over a 100-row CSV (memory store: no journal on
 * disk) and of bench/w4/duckdb-w4.mjs on the same file, taken in turns, from bench/w4.
 */
function tinyTableRun(): { stepwise: number; duckdb: number } {
  const csv = tinyW4Csv();
  const run = [bin, 'run', 'workflow.json', '--store', 'memory', '--set', `load.path=${csv}`];
  const stepwise = [...run, '--set', 'save.path=out/startup-stepwise.parquet'];
  const duckdb = ['duckdb-w4.mjs', join('data', csv), join('data', 'out', 'startup-duckdb.parquet')];
  timeProcess(stepwise, w4);
  timeProcess(duckdb, w4);
  const samples = { stepwise: [] as number[], duckdb: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    samples.stepwise.push(timeProcess(stepwise, w4));
    samples.duckdb.push(timeProcess(duckdb, w4));
  }
  return { stepwise: median(samples.stepwise), duckdb: median(samples.duckdb) };
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
  const table = tinyTableRun();
  return {
    runs: RUNS,
    medianMs: {
      bareNode: round(node),
      stepwiseVersion: round(version),
      stepwiseValidateSales: round(validate),
      workerThreadReadyForTableStep: round(thread),
      stepwiseRunW4Tiny: round(table.stepwise),
      duckdbScriptW4Tiny: round(table.duckdb),
    },
    overBareNodeMs: { stepwiseVersion: round(version - node), stepwiseValidateSales: round(validate - node) },
    // what a table run costs besides DuckDB's own load and a (trivial) query: issue 14's fixed cost
    runW4TinyOverDuckdbMs: round(table.stepwise - table.duckdb),
    ratiosToBareNode: {
      stepwiseVersion: Number((version / node).toFixed(2)),
      stepwiseValidateSales: Number((validate / node).toFixed(2)),
    },
    runW4TinyOverDuckdb: Number((table.stepwise / table.duckdb).toFixed(2)),
    targets: { versionOverBareNodeMs: 150, validateMs: 500, workerThreadReadyMs: 300 },
  };
}
