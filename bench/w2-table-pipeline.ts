/**
 * W2, a table pipeline: 1,000,000 rows from mulberry32 (row i draws r0..r3: id = i,
 * group = "g00".."g99"[floor(r0*100)], value = r1 < 0.05 ? null : r2*2-1, flag = r3 < 0.5), then five
 * steps: drop rows whose value is null; keep value > 0.2; derive value2 = value*2+1; group by group
 * with count and mean(value2); sort by group. Timed three ways in one process: the Stepwise workflow,
 * the same Arquero code hand-written, and a hand-written typed-array version. Each prints a checksum
 * (FNV-1a 32 over the lines `group:count:mean.toFixed(12)`) that must agree.
 * Run: `npx tsc -b packages/core packages/dataframe && npx tsx bench/w2-table-pipeline.ts`.
 */
import { RuntimeContext, registry, Workflow, WorkflowRunner } from '@stepwise/core';
import { type DataFrame, DataFrameType } from '@stepwise/dataframe';
import { type ColumnTable, op, table } from 'arquero';
import { mulberry32 } from '../examples/data/mulberry32.js';

const ROWS = 1_000_000;
const RUNS = 5;
const WARMUP = 2;

/** What `runW2()` reports. */
export interface W2Result {
  rows: number;
  runs: number;
  /** Median milliseconds of the five steps. */
  stepwiseMs: number;
  arqueroMs: number;
  typedArrayMs: number;
  /** Fastest run of each, in milliseconds: on a shared machine the least disturbed figure. */
  bestMs: { stepwise: number; arquero: number; typedArray: number };
  /** stepwise / arquero - 1, in percent (target: at most 10). */
  stepwiseOverArqueroPct: number;
  checksums: { stepwise: string; arquero: string; typedArray: string };
  checksumsAgree: boolean;
  peakRssMb: number;
}

interface Columns {
  id: Int32Array;
  groupCode: Uint8Array;
  group: string[];
  value: (number | null)[];
  flag: boolean[];
}

function generate(rows: number): Columns {
  const random = mulberry32(42);
  const names = Array.from({ length: 100 }, (_, g) => `g${String(g).padStart(2, '0')}`);
  const cols: Columns = {
    id: new Int32Array(rows),
    groupCode: new Uint8Array(rows),
    group: new Array(rows),
    value: new Array(rows),
    flag: new Array(rows),
  };
  for (let i = 0; i < rows; i++) {
    const r0 = random();
    const r1 = random();
    const r2 = random();
    const r3 = random();
    const g = Math.floor(r0 * 100);
    cols.id[i] = i;
    cols.groupCode[i] = g;
    cols.group[i] = names[g] as string;
    cols.value[i] = r1 < 0.05 ? null : r2 * 2 - 1;
    cols.flag[i] = r3 < 0.5;
  }
  return cols;
}

/** FNV-1a 32 over the lines `group:count:mean.toFixed(12)`, each ended by a newline, as 8 hex digits. */
export function checksum(rows: { group: string; count: number; mean: number }[]): string {
  let hash = 0x811c9dc5;
  for (const row of rows) {
    const line = `${row.group}:${row.count}:${row.mean.toFixed(12)}\n`;
    for (let i = 0; i < line.length; i++) {
      hash ^= line.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
  }
  return hash.toString(16).padStart(8, '0');
}

function resultRows(df: ColumnTable) {
  return df.objects() as { group: string; count: number; mean: number }[];
}

function handArquero(input: ColumnTable): ColumnTable {
  return input
    .filter((d: { value: number | null }) => d.value != null)
    .filter('d.value > 0.2')
    .derive({ value2: 'd.value * 2 + 1' })
    .groupby('group')
    .rollup({ count: op.count(), mean: op.mean('value2') })
    .orderby('group');
}

function typedArrays(cols: Columns): { group: string; count: number; mean: number }[] {
  const n = cols.id.length;
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = cols.value[i] ?? Number.NaN;
  // 1. drop nulls and 2. keep value > 0.2, as index lists
  let kept = new Uint32Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) if (!Number.isNaN(values[i] as number)) kept[k++] = i;
  const second = new Uint32Array(k);
  let m = 0;
  for (let j = 0; j < k; j++) {
    const i = kept[j] as number;
    if ((values[i] as number) > 0.2) second[m++] = i;
  }
  kept = second.subarray(0, m);
  // 3. derive value2
  const value2 = new Float64Array(m);
  for (let j = 0; j < m; j++) value2[j] = (values[kept[j] as number] as number) * 2 + 1;
  // 4. group: count and sum in row order, then 5. sort by group name
  const count = new Float64Array(100);
  const sum = new Float64Array(100);
  for (let j = 0; j < m; j++) {
    const g = cols.groupCode[kept[j] as number] as number;
    count[g] = (count[g] as number) + 1;
    sum[g] = (sum[g] as number) + (value2[j] as number);
  }
  const out: { group: string; count: number; mean: number }[] = [];
  for (let g = 0; g < 100; g++) {
    if (count[g])
      out.push({
        group: `g${String(g).padStart(2, '0')}`,
        count: count[g] as number,
        mean: (sum[g] as number) / (count[g] as number),
      });
  }
  return out.sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
}

function buildWorkflow(): Workflow {
  const wf = new Workflow({ id: 'w2', name: 'W2 table pipeline', inputs: { table: { type: 'DataFrame' } }, registry });
  wf.add(
    'clean_nulls',
    { threshold: 0, columns: ['value'] },
    { id: 'drop_null', inputs: { input: { input: 'table' } } },
  );
  wf.add('filter_rows', { where: 'd.value > 0.2' }, { id: 'keep' });
  wf.add('derive', { columns: { value2: 'd.value * 2 + 1' } }, { id: 'value2' });
  wf.add(
    'aggregate',
    {
      groupBy: ['group'],
      aggregates: [
        { op: 'count', as: 'count' },
        { op: 'mean', column: 'value2', as: 'mean' },
      ],
    },
    { id: 'by_group' },
  );
  wf.add('sort', { by: ['group'] }, { id: 'sorted' });
  return wf;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] as number;
}

function best(values: number[]): number {
  return Math.round(Math.min(...values) * 10) / 10;
}

async function time<T>(run: () => Promise<T> | T): Promise<{ ms: number[]; last: T }> {
  const ms: number[] = [];
  let last: T | undefined;
  for (let r = 0; r < WARMUP + RUNS; r++) {
    const t0 = performance.now();
    last = await run();
    if (r >= WARMUP) ms.push(performance.now() - t0);
  }
  return { ms, last: last as T };
}

/** Runs W2 and returns the figures. */
export async function runW2(rows = ROWS): Promise<W2Result> {
  const cols = generate(rows);
  const input = table({ id: cols.id, group: cols.group, value: cols.value, flag: cols.flag });

  const arquero = await time(() => handArquero(input));
  const typed = await time(() => typedArrays(cols));

  const wf = buildWorkflow();
  const runner = new WorkflowRunner({ registry });
  const stepwise = await time(async () => {
    const context = new RuntimeContext();
    const ref = context.put(input, { type: DataFrameType.name });
    const run = await runner.run(wf, { context, inputs: { table: ref } });
    if (run.status !== 'completed') throw new Error(`W2: the Stepwise run ${run.status}`);
    return context.get(run.outputs.result as string) as DataFrame;
  });

  const checksums = {
    stepwise: checksum(resultRows(stepwise.last)),
    arquero: checksum(resultRows(arquero.last)),
    typedArray: checksum(typed.last),
  };
  const stepwiseMs = median(stepwise.ms);
  const arqueroMs = median(arquero.ms);
  return {
    rows,
    runs: RUNS,
    stepwiseMs: Math.round(stepwiseMs * 10) / 10,
    arqueroMs: Math.round(arqueroMs * 10) / 10,
    typedArrayMs: Math.round(median(typed.ms) * 10) / 10,
    bestMs: { stepwise: best(stepwise.ms), arquero: best(arquero.ms), typedArray: best(typed.ms) },
    stepwiseOverArqueroPct: Math.round((stepwiseMs / arqueroMs - 1) * 1000) / 10,
    checksums,
    checksumsAgree: checksums.stepwise === checksums.arquero && checksums.arquero === checksums.typedArray,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

if (process.argv[1]?.endsWith('w2-table-pipeline.ts')) {
  console.log(JSON.stringify(await runW2(), null, 2));
}
