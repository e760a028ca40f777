/**
 * The server under load: requests per second and p50/p99 latency of `GET /api/runs/:id` and of the
 * catalog while runs execute in the same process (`SERVER_BENCH_RUNS`, default 200, of a small JSON
 * workflow: numbers → double → sum over 2,000 rows), beside a bare Fastify route in the same process
 * and the same run; the time from `POST /api/runs` to the run's first event on its stream; and the
 * process's RSS and heap with 10,000 runs in the history (a file store). autocannon on loopback,
 * 10 connections, 5 s per target.
 * Run: `npm run build && npx tsx bench/server.ts` (or `npm run bench -- server`).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FileRunStore, type RunRecord } from '@stepwise/core';
import { createServer } from '@stepwise/server';
import autocannon from 'autocannon';
import Fastify from 'fastify';

const RUNS = Number(process.env.SERVER_BENCH_RUNS ?? 200);
const HISTORY_RUNS = 10_000;
const FIXTURE_STEPS = resolve(import.meta.dirname, '../packages/server/test-fixtures/steps.ts');

/** One target's figures. */
export interface LoadFigures {
  target: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

/** What `runServer` answers. */
export interface ServerBenchResult {
  runsExecuting: number;
  load: LoadFigures[];
  /** Median ms from POST /api/runs to the first event on the run's stream. */
  postToFirstEventMs: number;
  /** With 10,000 runs in the file store, after listing the first page. */
  history: { runs: number; rssMb: number; heapUsedMb: number; firstPageMs: number };
}

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-bench-server-'));
  mkdirSync(join(dir, 'workflows'));
  const config = { steps: [FIXTURE_STEPS], store: '.stepwise/store' };
  writeFileSync(join(dir, 'stepwise.config.mjs'), `export default ${JSON.stringify(config)};\n`);
  return dir;
}

const document = {
  format: 'stepwise.workflow',
  version: 1,
  id: 'bench',
  steps: [
    { id: 'numbers', type: 'srv_numbers', config: { count: 2000 } },
    { id: 'double', type: 'srv_double', config: {} },
    { id: 'sum', type: 'srv_sum', config: {} },
  ],
};

async function post(
  url: string,
  path: string,
  body: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(new URL(path, url), {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** Ms from the POST to the first `data:` frame on the run's stream. */
function firstEvent(url: string): Promise<number> {
  const t0 = performance.now();
  return post(url, '/api/runs', { document }).then(
    ({ json }) =>
      new Promise<number>((done, fail) => {
        const req = request(new URL(`/api/runs/${json.runId}/events`, url), (res) => {
          res.on('data', (chunk: Buffer) => {
            if (chunk.toString().includes('data: ')) {
              done(performance.now() - t0);
              req.destroy();
            }
          });
          res.on('error', () => {});
        });
        req.on('error', (error) => {
          if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') fail(error);
        });
        req.end();
      }),
  );
}

async function load(target: string, url: string): Promise<LoadFigures> {
  const result = await autocannon({ url, connections: 10, duration: 5 });
  return {
    target,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? Number.NaN;

function record(i: number): RunRecord {
  return {
    format: 'stepwise.run',
    version: 1,
    id: `run_bench${String(i).padStart(6, '0')}`,
    workflowId: `wf${i % 10}`,
    status: 'completed',
    startedAt: 1_700_000_000_000 + i * 1_000,
    endedAt: 1_700_000_000_000 + i * 1_000 + 500,
    inputs: {},
    outputs: {},
    seq: 8,
    steps: ['a', 'b', 'c'].map((id) => ({ id, status: 'completed', attempts: 1, startedAt: 1, endedAt: 2 })),
    workflow: document as RunRecord['workflow'],
  };
}

export async function runServer(): Promise<ServerBenchResult> {
  const dir = project();
  const server = await createServer({ cwd: dir, uiDir: false, maxRuns: 4, maxQueuedRuns: RUNS + 50 });
  const bare = Fastify({ logger: false });
  bare.get('/bare', async () => ({ id: 'run_x', status: 'completed', steps: [] }));
  try {
    const url = await server.listen();
    await bare.listen({ host: '127.0.0.1', port: 0 });
    const bareUrl = `http://127.0.0.1:${(bare.server.address() as AddressInfo).port}/bare`;
    const first = await post(url, '/api/runs', { document });
    await new Promise((done) => setTimeout(done, 500));
    const latencies: number[] = [];
    for (let i = 0; i < 10; i++) latencies.push(await firstEvent(url));
    // the load: runs queued and executing while the requests are measured
    for (let i = 0; i < RUNS; i++) await post(url, '/api/runs', { document });
    const figures = [
      await load('GET /api/runs/:id', `${url}/api/runs/${first.json.runId}`),
      await load('GET /api/catalog', `${url}/api/catalog`),
      await load('bare Fastify route', bareUrl),
    ];
    const runsExecuting = RUNS;
    await server.close();

    // 10,000 runs in the history
    const store = join(dir, '.stepwise/store');
    const runs = new FileRunStore(join(store, 'runs'));
    for (let i = 0; i < HISTORY_RUNS; i++) runs.save(record(i));
    const again = await createServer({ cwd: dir, uiDir: false });
    const againUrl = await again.listen();
    const t0 = performance.now();
    await fetch(`${againUrl}/api/runs?limit=100`).then((response) => response.json());
    const firstPageMs = Math.round(performance.now() - t0);
    const after = process.memoryUsage();
    await again.close();
    return {
      runsExecuting,
      load: figures,
      postToFirstEventMs: Math.round(median(latencies) * 10) / 10,
      history: {
        runs: HISTORY_RUNS,
        rssMb: Math.round(after.rss / 1e6),
        heapUsedMb: Math.round(after.heapUsed / 1e6),
        firstPageMs,
      },
    };
  } finally {
    await bare.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await runServer(), null, 2));
