/**
 * read_csv: one generated CSV of 1,000,000 rows (about 38 MB; W2's data from mulberry32(42): id,
 * group "g00".."g99", value with 5% empty cells read as null, flag true/false) read into memory in
 * one process, side by side: Stepwise's `read_csv` step through the runner (DuckDB's parallel reader
 * with Stepwise's own inference, materialized into the table; pushdown off, as read_csv alone would
 * stay a lazy query), Stepwise's JavaScript reader (`readCsvFile`, read_csv before issue 14), DuckDB's
 * multi-threaded reader into a DuckDB table, into JavaScript columns through `getColumnsJS()` (the
 * sql step's conversion) and chunk by chunk into typed arrays (what a DuckDB-backed read_csv could
 * pay), Polars for Node (`nodejs-polars`, a devDependency since the W4 bench; the result says so
 * when it is absent, as on a platform without its binary), and a hand-written byte
 * loop into typed arrays. Each must agree on the row count and the column sums.
 * Run: `npm run bench -- read-csv`.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RuntimeContext, registry, Workflow, WorkflowRunner } from '@stepwise/core';
import {
  configureFiles,
  configurePushdown,
  type DataFrame,
  readCsvFile,
  resetFilesConfig,
  resetPushdownConfig,
} from '@stepwise/dataframe';
import { mulberry32 } from '../examples/data/mulberry32.js';

const ROWS = 1_000_000;
const RUNS = 3;
const WARMUP = 1;

/** What every reader must agree on. */
interface Sums {
  rows: number;
  idSum: number;
  valueSum: number;
  valueNulls: number;
  flagTrue: number;
}

interface Timed {
  /** Median milliseconds. */
  ms: number;
  bestMs: number;
  /** ms / Stepwise's ms. */
  ratioToStepwise?: number;
  sums: Sums;
}

/** What `runReadCsv()` reports. */
export interface ReadCsvResult {
  rows: number;
  fileMb: number;
  runs: number;
  readers: Record<string, Timed | { skipped: string }>;
  /** Stepwise's time over each peer's (the targets: at most 1.15x DuckDB, 1.5x Polars). */
  stepwiseOver: Record<string, number>;
  sumsAgree: boolean;
  peakRssMb: number;
}

function writeCsv(path: string, rows: number): void {
  const random = mulberry32(42);
  const names = Array.from({ length: 100 }, (_, g) => `g${String(g).padStart(2, '0')}`);
  const lines: string[] = ['id,group,value,flag'];
  for (let i = 0; i < rows; i++) {
    const r0 = random();
    const r1 = random();
    const r2 = random();
    const r3 = random();
    const value = r1 < 0.05 ? '' : String(r2 * 2 - 1);
    lines.push(`${i},${names[Math.floor(r0 * 100)]},${value},${r3 < 0.5}`);
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

function sumsOf(id: ArrayLike<unknown>, value: ArrayLike<unknown>, flag: ArrayLike<unknown>): Sums {
  const sums: Sums = { rows: id.length, idSum: 0, valueSum: 0, valueNulls: 0, flagTrue: 0 };
  for (let i = 0; i < id.length; i++) {
    sums.idSum += Number(id[i]);
    const v = value[i];
    if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) sums.valueNulls++;
    else sums.valueSum += v as number;
    if (flag[i] === true || flag[i] === 1) sums.flagTrue++;
  }
  return sums;
}

/** Same counts, and sums equal to 1e-9 relative (engines add doubles in different orders). */
function agree(a: Sums, b: Sums): boolean {
  const close = (x: number, y: number) => Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
  return (
    a.rows === b.rows &&
    a.idSum === b.idSum &&
    a.valueNulls === b.valueNulls &&
    a.flagTrue === b.flagTrue &&
    close(a.valueSum, b.valueSum)
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] as number;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

async function time(read: () => Promise<Sums> | Sums): Promise<Timed> {
  const ms: number[] = [];
  let sums: Sums | undefined;
  for (let r = 0; r < WARMUP + RUNS; r++) {
    const t0 = performance.now();
    sums = await read();
    if (r >= WARMUP) ms.push(performance.now() - t0);
  }
  return { ms: round(median(ms)), bestMs: round(Math.min(...ms)), sums: sums as Sums };
}

/** The hand-written baseline: bytes to typed arrays, no quoting (the generated file has none). */
function handLoop(path: string): Sums {
  const bytes = readFileSync(path);
  const n = bytes.length;
  let p = bytes.indexOf(10) + 1; // past the header
  const id = new Float64Array(ROWS);
  const value = new Float64Array(ROWS);
  const flag = new Uint8Array(ROWS);
  const group = new Uint8Array(ROWS);
  let row = 0;
  while (p < n) {
    let x = 0;
    while (bytes[p] !== 44) x = x * 10 + ((bytes[p++] as number) - 48);
    id[row] = x;
    p += 2; // ,g
    group[row] = ((bytes[p] as number) - 48) * 10 + ((bytes[p + 1] as number) - 48);
    p += 3; // dd,
    const start = p;
    while (bytes[p] !== 44) p++;
    value[row] = p === start ? Number.NaN : Number(bytes.toString('latin1', start, p));
    p++;
    flag[row] = bytes[p] === 116 ? 1 : 0;
    while (bytes[p] !== 10) p++;
    p++;
    row++;
  }
  return sumsOf(id.subarray(0, row), value.subarray(0, row), flag.subarray(0, row));
}

async function stepwiseReader(dir: string): Promise<() => Promise<Sums>> {
  configureFiles({ dataRoot: dir });
  // the eager read (DuckDB's reader, materialized into the table): pushed down, read_csv alone would stay a lazy query
  configurePushdown({ enabled: false });
  const wf = new Workflow({ id: 'read_csv_bench', name: 'read_csv bench', registry });
  wf.add('read_csv', { path: 'bench.csv' }, { id: 'read' });
  const runner = new WorkflowRunner({ registry });
  return async () => {
    const context = new RuntimeContext();
    const run = await runner.run(wf, { context });
    if (run.status !== 'completed') throw new Error(`read-csv: the Stepwise run ${run.status}: ${run.error?.message}`);
    const df = context.get(run.outputs.result as string) as DataFrame;
    return sumsOf(df.array('id'), df.array('value'), df.array('flag'));
  };
}

/** The JavaScript reader read_csv used before (and still uses for small files and for errors). */
async function stepwiseJsReader(path: string): Promise<Sums> {
  const df = await readCsvFile(path);
  return sumsOf(df.array('id'), df.array('value'), df.array('flag'));
}

async function duckdbReaders(path: string) {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const source = `read_csv('${path.replace(/'/g, "''")}')`;
  const intoTable = async (): Promise<Sums> => {
    await connection.run(`CREATE OR REPLACE TABLE t AS SELECT * FROM ${source}`);
    const reader = await connection.runAndReadAll(
      'SELECT count(*)::DOUBLE AS rows, sum(id)::DOUBLE AS id_sum, sum(value) AS value_sum, ' +
        'count(*) FILTER (value IS NULL)::DOUBLE AS value_nulls, count(*) FILTER (flag)::DOUBLE AS flag_true FROM t',
    );
    const [row] = reader.getRowObjectsJS() as Record<string, number>[];
    const r = row as Record<string, number>;
    return {
      rows: r.rows as number,
      idSum: r.id_sum as number,
      valueSum: r.value_sum as number,
      valueNulls: r.value_nulls as number,
      flagTrue: r.flag_true as number,
    };
  };
  const intoJs = async (): Promise<Sums> => {
    const columns = (await connection.runAndReadAll(`SELECT * FROM ${source}`)).getColumnsJS();
    return sumsOf(columns[0] ?? [], columns[2] ?? [], columns[3] ?? []);
  };
  // chunk by chunk, each vector's items read into typed arrays (NaN for null in the bench's sums)
  const intoTypedArrays = async (): Promise<Sums> => {
    const result = await connection.run(`SELECT * FROM ${source}`);
    const columns: { items: Float64Array; strings: string[]; rows: number }[] = Array.from(
      { length: result.columnCount },
      () => ({
        items: new Float64Array(1024),
        strings: [],
        rows: 0,
      }),
    );
    for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      const n = chunk.rowCount;
      columns.forEach((column, c) => {
        if (column.rows + n > column.items.length) {
          const grown = new Float64Array(Math.max(column.items.length * 2, column.rows + n));
          grown.set(column.items);
          column.items = grown;
        }
        const vector = chunk.getColumnVector(c);
        for (let i = 0; i < n; i++) {
          const item = vector.getItem(i);
          if (typeof item === 'string') column.strings.push(item); // kept as JS strings, as a table would
          column.items[column.rows + i] =
            item === null
              ? Number.NaN
              : typeof item === 'boolean'
                ? +item
                : typeof item === 'number'
                  ? item
                  : Number(item);
        }
        column.rows += n;
      });
    }
    const [id, , value, flag] = columns.map((column) => column.items.subarray(0, column.rows));
    return sumsOf(id ?? [], value ?? [], flag ?? []);
  };
  return {
    intoTable,
    intoJs,
    intoTypedArrays,
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

interface PolarsSeries {
  toArray(): ArrayLike<unknown>;
}
interface PolarsModule {
  readCSV(path: string): { height: number; getColumn(name: string): PolarsSeries };
}

async function polarsReader(path: string): Promise<(() => Sums) | { skipped: string }> {
  let pl: PolarsModule;
  try {
    const name = 'nodejs-polars'; // a devDependency, but its binary is for linux-x64-gnu only
    const module = (await import(name)) as { default?: PolarsModule } & PolarsModule;
    pl = module.default ?? module;
  } catch {
    return { skipped: 'nodejs-polars does not load here (npm ci installs 0.25.2 with its linux-x64-gnu binary)' };
  }
  return () => {
    const df = pl.readCSV(path);
    const col = (name: string) => df.getColumn(name).toArray();
    return sumsOf(col('id'), col('value'), col('flag'));
  };
}

/** Runs the comparison and returns the figures. */
export async function runReadCsv(rows = ROWS): Promise<ReadCsvResult> {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-read-csv-'));
  const path = join(dir, 'bench.csv');
  try {
    writeCsv(path, rows);
    const readers: Record<string, Timed | { skipped: string }> = {};
    readers.stepwise = await time(await stepwiseReader(dir));
    readers.stepwiseJsReader = await time(() => stepwiseJsReader(path));
    const duck = await duckdbReaders(path);
    try {
      readers.duckdbTable = await time(duck.intoTable);
      readers.duckdbToJs = await time(duck.intoJs);
      readers.duckdbChunksToTypedArrays = await time(duck.intoTypedArrays);
    } finally {
      duck.close();
    }
    const polars = await polarsReader(path);
    readers.polars = typeof polars === 'function' ? await time(polars) : polars;
    readers.handLoop = await time(() => handLoop(path));

    const stepwise = readers.stepwise as Timed;
    const stepwiseOver: Record<string, number> = {};
    let sumsAgree = true;
    for (const [name, timed] of Object.entries(readers)) {
      if (!('ms' in timed)) continue;
      timed.ratioToStepwise = Math.round((timed.ms / stepwise.ms) * 100) / 100;
      if (name !== 'stepwise') stepwiseOver[name] = Math.round((stepwise.ms / timed.ms) * 100) / 100;
      if (!agree(timed.sums, stepwise.sums)) sumsAgree = false;
    }
    return {
      rows,
      fileMb: Math.round(statSync(path).size / 1e5) / 10,
      runs: RUNS,
      readers,
      stepwiseOver,
      sumsAgree,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    resetFilesConfig();
    resetPushdownConfig();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('read-csv.ts')) {
  console.log(JSON.stringify(await runReadCsv(), null, 2));
}
