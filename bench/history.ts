/**
 * Run history with many runs (`HISTORY_BENCH_RUNS`, default 5,000; each save is a durable write, so
 * filling takes minutes): what a save, a listing page (newest first, and filtered by workflow
 * and status, then the page after) and a load cost on SQLite and PostgreSQL, beside the file run
 * store (one JSON file per run) in the same run. Median milliseconds.
 * Run: `npm run build && npx tsx bench/history.ts` (PostgreSQL from DATABASE_URL, else 127.0.0.1:5432/test; left out when unreachable).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileRunStore, type RunRecord, type RunStore } from '@stepwise/core';
import { PostgresRunStore, SqliteRunStore } from '@stepwise/history';
import pg from 'pg';

const RUNS = Number(process.env.HISTORY_BENCH_RUNS ?? 5_000);
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** One store's figures. */
export interface HistoryBenchResult {
  store: string;
  runs: number;
  /** Median ms of one save (a record of 5 steps). */
  saveMs: number;
  /** Median ms of one append (a step entry and a heartbeat). */
  appendMs: number;
  /** Median ms of the first page of 100, newest first. */
  listMs: number;
  /** Median ms of a page of 100 filtered by workflow and status, then the next page by its cursor. */
  filteredPagesMs: number;
  /** Median ms of loading one run. */
  loadMs: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? Number.NaN;

async function time(times: number, work: (i: number) => unknown): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    await work(i);
    ms.push(performance.now() - t0);
  }
  return Math.round(median(ms) * 1000) / 1000;
}

function record(i: number): RunRecord {
  const workflowId = `wf${i % 10}`;
  return {
    format: 'stepwise.run',
    version: 1,
    id: `run_bench${String(i).padStart(6, '0')}`,
    workflowId,
    status: i % 7 === 0 ? 'failed' : 'completed',
    startedAt: 1_700_000_000_000 + i * 1_000,
    endedAt: 1_700_000_000_000 + i * 1_000 + 500,
    inputs: {},
    outputs: { result: 'ref_benchoutput0001' },
    seq: 12,
    steps: ['load', 'clean', 'join', 'sum', 'write'].map((id) => ({
      id,
      status: 'completed' as const,
      attempts: 1,
      startedAt: 1,
      endedAt: 2,
      output: 'ref_benchoutput0001',
    })),
    workflow: {
      format: 'stepwise.workflow',
      version: 1,
      id: workflowId,
      name: workflowId,
      description: '',
      inputs: {},
      steps: [],
      outputs: {},
    },
  };
}

async function measure(name: string, store: RunStore): Promise<HistoryBenchResult> {
  const saves: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await store.save(record(i));
    saves.push(performance.now() - t0);
  }
  const appendMs = await time(200, (i) =>
    store.append(record(i).id, [{ type: 'step', step: { id: 'load', status: 'running', attempts: 1 } }], {
      owner: { pid: 1, host: 'bench', heartbeatAt: i },
    }),
  );
  const listMs = await time(name === 'files' ? 3 : 50, () => store.list({ limit: 100 }));
  const filteredPagesMs = await time(name === 'files' ? 3 : 50, async () => {
    const first = await store.list({ workflowId: 'wf3', status: ['completed'], limit: 100 });
    await store.list({
      workflowId: 'wf3',
      status: ['completed'],
      limit: 100,
      ...(first.next ? { cursor: first.next } : {}),
    });
  });
  const loadMs = await time(200, (i) => store.load(record((i * 37) % RUNS).id));
  return {
    store: name,
    runs: RUNS,
    saveMs: Math.round(median(saves) * 1000) / 1000,
    appendMs,
    listMs,
    filteredPagesMs,
    loadMs,
  };
}

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export async function runHistory(): Promise<HistoryBenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-bench-history-'));
  const results: HistoryBenchResult[] = [];
  try {
    results.push(await measure('files', new FileRunStore(join(dir, 'runs'))));
    const sqlite = new SqliteRunStore(join(dir, 'history.db'));
    results.push(await measure('sqlite', sqlite));
    sqlite.close();
    if (await postgresReachable()) {
      const schema = `stepwise_bench_${process.pid}`;
      const postgres = await PostgresRunStore.open(DATABASE_URL, { schema });
      try {
        results.push(await measure('postgres', postgres));
      } finally {
        await postgres.close();
        const client = new pg.Client({ connectionString: DATABASE_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.end();
      }
    } else console.log('postgres left out: not reachable at', DATABASE_URL);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await runHistory(), null, 2));
