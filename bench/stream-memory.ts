/**
 * Streaming memory: a generated stream of CSV lines through three fused streaming steps
 * (parse -> filter -> aggregate) at two sizes 10x apart, the larger over 2 GB if it were
 * materialized. Each size runs in its own child process so its peak RSS is its own.
 * Then a generated CSV file (W4's data: id, group, value with 5% empty, flag; STREAM_CSV_ROWS rows,
 * default 3,000,000, about 105 MB) through read_csv_stream -> filter_rows_stream -> aggregate_stream,
 * with read_csv_stream as it is (DuckDB's reader, bench/stream-csv.ts) and with the JavaScript parser
 * it used before (readCsvChunks), each run a child process with a 512 MB heap, in turns.
 * `npx tsx bench/stream-memory.ts`
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { RuntimeContext, StepRegistry, stepType, Workflow, WorkflowRunner } from '@stepwise/core';
import { runStreamCsv } from './stream-csv.js';

const CHUNK_ROWS = 10_000;
const PADDING = 'x'.repeat(180);

interface Row {
  id: number;
  category: string;
  value: number;
}

function buildWorkflow(rows: number): { wf: Workflow; registry: StepRegistry } {
  const registry = new StepRegistry();
  const io = { inputType: 'JSON', outputType: 'JSON', mode: 'streaming', registry } as const;
  stepType({ slug: 'generate', outputType: 'JSON', mode: 'streaming', registry }, function* () {
    for (let start = 0; start < rows; start += CHUNK_ROWS) {
      const lines: string[] = [];
      for (let i = start; i < Math.min(rows, start + CHUNK_ROWS); i++)
        lines.push(`${i},cat${i % 7},${((i * 2654435761) % 1000) / 1000},${PADDING}`);
      yield lines;
    }
  });
  stepType({ slug: 'parse', ...io }, async function* (chunks) {
    for await (const chunk of chunks) {
      yield (chunk as string[]).map((line) => {
        const [id, category, value] = line.split(',');
        return { id: Number(id), category: category ?? '', value: Number(value) };
      });
    }
  });
  stepType({ slug: 'filter', ...io }, async function* (chunks) {
    for await (const chunk of chunks) yield (chunk as unknown as Row[]).filter((row) => row.value > 0.5) as never;
  });
  stepType({ slug: 'aggregate', ...io }, async function* (chunks) {
    const totals = new Map<string, { count: number; sum: number }>();
    for await (const chunk of chunks) {
      for (const row of chunk as unknown as Row[]) {
        const total = totals.get(row.category) ?? { count: 0, sum: 0 };
        total.count += 1;
        total.sum += row.value;
        totals.set(row.category, total);
      }
    }
    yield [...totals].map(([category, t]) => ({ category, count: t.count, sum: Math.round(t.sum) }));
  });
  const wf = new Workflow({ id: 'stream_memory', name: 'Stream memory', registry });
  for (const slug of ['generate', 'parse', 'filter', 'aggregate']) wf.add(slug, {}, { id: slug });
  return { wf, registry };
}

/** One size, in this process: answers the run's duration, its output rows and the peak RSS. */
async function runOneSize(rows: number): Promise<Record<string, number>> {
  const { wf, registry } = buildWorkflow(rows);
  const runner = new WorkflowRunner({ registry });
  const context = new RuntimeContext({ registry });
  const start = performance.now();
  const run = await runner.run(wf, { context });
  if (run.status !== 'completed') throw new Error(`stream-memory run ${run.status}: ${run.error?.message}`);
  const groups = (context.get(run.outputs.result as string) as unknown[]).length;
  return {
    rows,
    materializedBytes: rows * (PADDING.length + 30),
    seconds: Number(((performance.now() - start) / 1000).toFixed(1)),
    groups,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

function runInChild(rows: number): Record<string, number> {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const out = execFileSync(
    process.execPath,
    ['--import', tsx, fileURLToPath(import.meta.url), '--child', String(rows)],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(out.trim().split('\n').pop() as string) as Record<string, number>;
}

/** Runs both sizes, each in a child process, and answers peak RSS per size against the 256 MB target. */
export async function runStreamMemory(): Promise<Record<string, unknown>> {
  const small = runInChild(1_000_000);
  const large = runInChild(10_000_000);
  return { sizes: [small, large], targetPeakRssMb: 256, csv: runStreamCsv() };
}

const childAt = process.argv.indexOf('--child');
if (childAt > 0) {
  console.log(JSON.stringify(await runOneSize(Number(process.argv[childAt + 1]))));
} else if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(JSON.stringify(await runStreamMemory(), null, 2));
}
