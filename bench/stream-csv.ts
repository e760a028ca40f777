/**
 * read_csv_stream -> filter_rows_stream (value > 0.2) -> aggregate_stream (count, mean of value per
 * group) over a generated CSV, with read_csv_stream's DuckDB reader and with the JavaScript parser it
 * used before (`readCsvChunks`, as a step of its own), in turns, each run a child process with a
 * 512 MB heap, so that its time, CPU and peak RSS are its own. Both must give the same groups and
 * counts, and means within 1e-9. Part of `npx tsx bench/run.ts stream-memory`; alone:
 * `STREAM_CSV_ROWS=3000000 npx tsx bench/stream-csv.ts`, or over an existing file of W4's rows:
 * `STREAM_CSV_FILE=bench/w4/data/w4-1gb.csv STREAM_CSV_RUNS=1 npx tsx bench/stream-csv.ts`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { RuntimeContext, registry, stepType, Workflow, WorkflowRunner } from '@stepwise/core';
import { configureFiles, readCsvChunks, readCsvStream } from '@stepwise/dataframe';
import { writeW4Csv } from './w4-csv.js';

const HEAP_MB = 512;
const RUNS = Number(process.env.STREAM_CSV_RUNS ?? 2);

type Reader = 'duckdb' | 'javascript';

interface Sample {
  seconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  groups: { group: string; count: number; mean: number }[];
}

/** One run, in this process. */
async function runOnce(dir: string, file: string, reader: Reader): Promise<Sample> {
  configureFiles({ dataRoot: dir });
  // the JavaScript parser read_csv_stream used before: types from the first chunk, one pass
  stepType(
    { slug: 'read_csv_stream_js', params: readCsvStream.params, outputType: 'DataFrame', mode: 'streaming' },
    async function* (_input, params, ctx) {
      yield* readCsvChunks(join(dir, params.path), { ...params, signal: ctx.signal });
    },
  );
  const wf = new Workflow({ id: 'stream_csv', name: 'Stream CSV', registry });
  wf.add(reader === 'duckdb' ? 'read_csv_stream' : 'read_csv_stream_js', { path: file }, { id: 'load' });
  wf.add('filter_rows_stream', { where: 'd.value > 0.2' }, { id: 'keep' });
  const aggregates = [
    { op: 'count', as: 'count' },
    { op: 'mean', column: 'value', as: 'mean' },
  ];
  wf.add('aggregate_stream', { groupBy: ['group'], aggregates }, { id: 'by_group' });
  const cpu = process.cpuUsage();
  const start = performance.now();
  const context = new RuntimeContext({ registry });
  const run = await new WorkflowRunner({ registry }).run(wf, { context });
  if (run.status !== 'completed') throw new Error(`stream-csv ${reader}: run ${run.status}: ${run.error?.message}`);
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const df = context.get(run.outputs.result as string) as { objects(): Sample['groups'] };
  return {
    seconds: Math.round(seconds * 10) / 10,
    cpuSeconds: Math.round((used.user + used.system) / 1e5) / 10,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    groups: df.objects(),
  };
}

function runInChild(dir: string, file: string, reader: Reader): Sample {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const args = [`--max-old-space-size=${HEAP_MB}`, '--import', tsx, fileURLToPath(import.meta.url)];
  const out = execFileSync(process.execPath, [...args, '--stream-csv-child', dir, file, reader], {
    encoding: 'utf8',
    maxBuffer: 8 << 20,
  });
  return JSON.parse(out.trim().split('\n').pop() as string) as Sample;
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const middle =
    sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return Math.round(middle * 10) / 10;
}

/** Where the two readers' groups differ (nothing when they agree). */
function disagreement(a: Sample['groups'], b: Sample['groups']): string | undefined {
  if (a.length !== b.length) return `${a.length} groups against ${b.length}`;
  for (const [i, x] of a.entries()) {
    const y = b[i];
    if (!y || x.group !== y.group || x.count !== y.count || Math.abs(x.mean - y.mean) > 1e-9)
      return `group ${i}: ${JSON.stringify(x)} against ${JSON.stringify(y)}`;
  }
  return undefined;
}

/** Both readers over one generated file, in turns; medians of time and CPU, the largest peak RSS. */
export function runStreamCsv(): Record<string, unknown> {
  // an existing file of W4's rows instead (bench/w4/data/w4-1gb.csv after `npm run bench -- w4-1gb`)
  const given = process.env.STREAM_CSV_FILE;
  const rows = given ? undefined : Number(process.env.STREAM_CSV_ROWS ?? 3_000_000);
  const dir = given ? dirname(resolve(given)) : mkdtempSync(join(tmpdir(), 'sw-stream-csv-'));
  const file = given ? basename(given) : 'data.csv';
  try {
    if (!given) writeW4Csv(join(dir, file), { rows: rows as number });
    const samples: Record<Reader, Sample[]> = { duckdb: [], javascript: [] };
    const loads: number[] = [];
    for (let round = 0; round < RUNS; round++) {
      for (const reader of ['duckdb', 'javascript'] as const) {
        loads.push(loadavg()[0] as number);
        const sample = runInChild(dir, file, reader);
        console.error(
          `  stream-csv ${reader}: ${sample.seconds} s, cpu ${sample.cpuSeconds} s, ${sample.peakRssMb} MB`,
        );
        samples[reader].push(sample);
      }
    }
    const summary = (reader: Reader) => ({
      seconds: median(samples[reader].map((s) => s.seconds)),
      cpuSeconds: median(samples[reader].map((s) => s.cpuSeconds)),
      peakRssMb: Math.max(...samples[reader].map((s) => s.peakRssMb)),
      runsSeconds: samples[reader].map((s) => s.seconds),
    });
    const duckdb = summary('duckdb');
    const javascript = summary('javascript');
    const differs = disagreement(samples.duckdb[0]?.groups ?? [], samples.javascript[0]?.groups ?? []);
    return {
      rows,
      fileMb: Math.round(statSync(join(dir, file)).size / 1e6),
      heapMb: HEAP_MB,
      load1: Math.round((loads.reduce((a, b) => a + b, 0) / loads.length) * 10) / 10,
      duckdb,
      javascript,
      speedup: Math.round((javascript.seconds / duckdb.seconds) * 100) / 100,
      cpuRatio: Math.round((javascript.cpuSeconds / duckdb.cpuSeconds) * 100) / 100,
      agree: differs === undefined,
      ...(differs ? { differs } : {}),
    };
  } finally {
    if (!given) rmSync(dir, { recursive: true, force: true });
  }
}

// its own flag: stream-memory.ts, which imports this file, has children of its own (--child)
const childAt = process.argv.indexOf('--stream-csv-child');
if (childAt > 0) {
  const [dir, file, reader] = process.argv.slice(childAt + 1) as [string, string, Reader];
  console.log(JSON.stringify(await runOnce(dir, file, reader)));
} else if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(JSON.stringify(runStreamCsv(), null, 2));
}
