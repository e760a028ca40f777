/**
 * Readers and writers besides read_csv, when not pushed down: one table of 1,000,000 rows (W2's data
 * from mulberry32(42): id, group "g00".."g99", value with 5% nulls, flag) written and read back by
 * each step (write_parquet, write_csv, write_json as an array and as NDJSON, read_parquet, read_json
 * of both, and read_parquet of the rows with a TIMESTAMP column DuckDB wrote), called as the runner
 * calls them with pushdown off, beside DuckDB doing the same job in the same run: COPY of a DuckDB table to each format, and each file read into a DuckDB table and into
 * JavaScript columns (`getColumnsJS()`). Median of 3 after a warm-up. Each read must give the rows,
 * id sum and null count the table has.
 * Run: `npm run bench -- read-write` (after `npm run build`).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StepContext, StepType } from '@stepwise/core';
import {
  arquero,
  configureFiles,
  configurePushdown,
  type DataFrame,
  DataFrameType,
  readJson,
  readParquet,
  resetFilesConfig,
  resetPushdownConfig,
  writeCsv,
  writeJson,
  writeParquet,
} from '@stepwise/dataframe';
import { mulberry32 } from '../examples/data/mulberry32.js';

const ROWS = Number(process.env.READ_WRITE_ROWS ?? 1_000_000) || 1_000_000;
const RUNS = 3;
const WARMUP = 1;

interface Timed {
  /** Median milliseconds. */
  ms: number;
  bestMs: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] as number;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

async function time(task: () => Promise<unknown>): Promise<Timed> {
  const ms: number[] = [];
  for (let r = 0; r < WARMUP + RUNS; r++) {
    const t0 = performance.now();
    await task();
    if (r >= WARMUP) ms.push(performance.now() - t0);
  }
  return { ms: round(median(ms)), bestMs: round(Math.min(...ms)) };
}

function makeTable(rows: number): DataFrame {
  const random = mulberry32(42);
  const names = Array.from({ length: 100 }, (_, g) => `g${String(g).padStart(2, '0')}`);
  const id = new Array<number>(rows);
  const group = new Array<string>(rows);
  const value = new Array<number | null>(rows);
  const flag = new Array<boolean>(rows);
  for (let i = 0; i < rows; i++) {
    id[i] = i;
    group[i] = names[Math.floor(random() * 100)] as string;
    const r1 = random();
    const r2 = random();
    value[i] = r1 < 0.05 ? null : r2 * 2 - 1;
    flag[i] = random() < 0.5;
  }
  return arquero().table({ id, group, value, flag }, ['id', 'group', 'value', 'flag']);
}

/** What a read must give back. */
function check(df: DataFrame, want: { rows: number; idSum: number; nulls: number }, what: string): void {
  const id = df.array('id') as ArrayLike<unknown>;
  const value = df.array('value') as ArrayLike<unknown>;
  let idSum = 0;
  let nulls = 0;
  for (let i = 0; i < id.length; i++) {
    idSum += Number(id[i]);
    const v = value[i];
    if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) nulls++;
  }
  const got = { rows: df.numRows(), idSum, nulls };
  if (got.rows !== want.rows || got.idSum !== want.idSum || got.nulls !== want.nulls) {
    throw new Error(`read-write: ${what} read ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
  }
}

const ctx: StepContext = {
  signal: new AbortController().signal,
  log: { debug() {}, info() {}, warn() {}, error() {} },
  progress() {},
  inputs: {},
  runId: 'run_bench',
  stepId: 'bench',
  attempt: 1,
};

/** Calls a step's function as the runner does (params parsed; a lazy answer materialized). */
async function call(type: StepType, input: unknown, config: Record<string, unknown>): Promise<DataFrame> {
  const fn = type.fn as (i: unknown, p: unknown, c: StepContext) => unknown;
  const out = await fn(input, type.params.parse(config), ctx);
  return ((await DataFrameType.materialize?.(out as DataFrame)) ?? out) as DataFrame;
}

async function duckdbPeer(dir: string, df: DataFrame) {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  // the same table inside DuckDB, loaded once (not timed): DuckDB's writers start from it
  const values = (name: string) => Array.from(df.array(name) as ArrayLike<unknown>);
  await connection.run('CREATE TABLE t (id DOUBLE, "group" VARCHAR, value DOUBLE, flag BOOLEAN)');
  const appender = await connection.createAppender('t');
  const [id, group, value, flag] = ['id', 'group', 'value', 'flag'].map(values) as [
    number[],
    string[],
    (number | null)[],
    boolean[],
  ];
  for (let i = 0; i < id.length; i++) {
    appender.appendDouble(id[i] as number);
    appender.appendVarchar(group[i] as string);
    const v = value[i];
    if (v === null || v === undefined) appender.appendNull();
    else appender.appendDouble(v);
    appender.appendBoolean(flag[i] as boolean);
    appender.endRow();
  }
  appender.closeSync();
  const file = (name: string) => `'${join(dir, name).replace(/'/g, "''")}'`;
  return {
    copy: (name: string, options: string, select = 't') =>
      connection.run(`COPY ${select} TO ${file(name)} (${options})`),
    intoTable: (source: string) => connection.run(`CREATE OR REPLACE TABLE r AS SELECT * FROM ${source}`),
    intoJs: async (source: string) => (await connection.runAndReadAll(`SELECT * FROM ${source}`)).getColumnsJS(),
    file,
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** The table with a TIMESTAMP column: from 2023-11-14 back to 1865, a microsecond part on most rows. */
const TIMESTAMPS = '(SELECT *, make_timestamp(1700000000000000 - id::BIGINT * 5000000007) AS ts FROM t)';

/** Runs the comparison and returns the figures: per job, Stepwise's step, DuckDB's, and the ratio. */
export async function runReadWrite(rows = ROWS) {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-read-write-'));
  configureFiles({ dataRoot: dir });
  configurePushdown({ enabled: false });
  const df = makeTable(rows);
  const want = { rows, idSum: (rows * (rows - 1)) / 2, nulls: 0 };
  want.nulls = (df.array('value') as unknown[]).filter((v) => v === null).length;
  const duck = await duckdbPeer(dir, df);
  const jobs: Record<string, { stepwise: Timed; duckdb: Timed; duckdbToJs?: Timed; over: number; fileMb?: number }> =
    {};
  const add = (name: string, stepwise: Timed, duckdb: Timed, extra: { duckdbToJs?: Timed; file?: string } = {}) => {
    jobs[name] = {
      stepwise,
      duckdb,
      ...(extra.duckdbToJs ? { duckdbToJs: extra.duckdbToJs } : {}),
      over: Math.round((stepwise.ms / duckdb.ms) * 100) / 100,
      ...(extra.file ? { fileMb: Math.round(statSync(join(dir, extra.file)).size / 1e5) / 10 } : {}),
    };
  };
  try {
    // writers: the step from the JavaScript table; DuckDB's COPY from its own table
    add(
      'write_parquet',
      await time(() => call(writeParquet, df, { path: 'sw.parquet' })),
      await time(() => duck.copy('duck.parquet', 'FORMAT parquet')),
      { file: 'sw.parquet' },
    );
    add(
      'write_csv',
      await time(() => call(writeCsv, df, { path: 'sw.csv' })),
      await time(() => duck.copy('duck.csv', 'FORMAT csv, HEADER')),
      { file: 'sw.csv' },
    );
    add(
      'write_json (array)',
      await time(() => call(writeJson, df, { path: 'sw.json' })),
      await time(() => duck.copy('duck.json', 'FORMAT json, ARRAY true')),
      { file: 'sw.json' },
    );
    add(
      'write_json (ndjson)',
      await time(() => call(writeJson, df, { path: 'sw.ndjson', format: 'ndjson' })),
      await time(() => duck.copy('duck.ndjson', 'FORMAT json')),
      { file: 'sw.ndjson' },
    );
    // readers: each file Stepwise wrote, read by the step and by DuckDB (into its table, and into JavaScript)
    const read = async (name: string, type: StepType, config: Record<string, unknown>, source: string) => {
      check(await call(type, undefined, config), want, name);
      add(name, await time(() => call(type, undefined, config)), await time(() => duck.intoTable(source)), {
        duckdbToJs: await time(() => duck.intoJs(source)),
      });
    };
    await read('read_parquet', readParquet, { path: 'sw.parquet' }, `read_parquet(${duck.file('sw.parquet')})`);
    // the same rows and a TIMESTAMP column with microseconds, either side of 1970 (written by DuckDB: Stepwise writes milliseconds)
    await duck.copy('ts.parquet', 'FORMAT parquet', TIMESTAMPS);
    await read(
      'read_parquet (timestamps)',
      readParquet,
      { path: 'ts.parquet' },
      `read_parquet(${duck.file('ts.parquet')})`,
    );
    await read('read_json (array)', readJson, { path: 'sw.json' }, `read_json(${duck.file('sw.json')})`);
    await read('read_json (ndjson)', readJson, { path: 'sw.ndjson' }, `read_json(${duck.file('sw.ndjson')})`);
    return { rows, runs: RUNS, jobs, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
  } finally {
    duck.close();
    resetFilesConfig();
    resetPushdownConfig();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('read-write.ts')) {
  console.log(JSON.stringify(await runReadWrite(), null, 2));
}
