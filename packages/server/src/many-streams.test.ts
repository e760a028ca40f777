// 500 event-stream clients connect to a running run and then drop their connections: the server's
// streams, their listeners, their heartbeat timers and its heap come back to where they were.

import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { call, startServer, workflow } from './test-kit.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

describe('many event streams', () => {
  it('500 clients connect and drop: streams, listeners, timers and heap back to the baseline', async () => {
    const { url, dir } = await startServer({ maxEventStreams: 600, maxEventStreamsPerClient: 600 });
    const hold = join(dir, 'hold');
    writeFileSync(hold, '');
    const document = workflow('held', [
      ['numbers', 'srv_numbers'],
      ['gate', 'srv_gate', { hold }],
    ]);
    const { json } = await call(url, 'POST', '/api/runs', { body: { document } });
    // warm up once (code paths, buffers), then take the baseline
    let before: { timers: number; heap: number } | undefined;
    for (let round = 0; round < 2; round++) {
      const clients = await Promise.all(Array.from({ length: round === 0 ? 20 : 500 }, () => open(url, json.runId)));
      if (round === 1) {
        const status = await call(url, 'GET', '/api/status');
        expect(status.json.streams).toBe(500);
        expect(status.json.followers).toBe(500);
      }
      for (const client of clients) client.destroy();
      await until(async () => (await call(url, 'GET', '/api/status')).json.streams === 0);
      if (round === 0) before = { timers: timers(), heap: heap() };
    }
    const status = await call(url, 'GET', '/api/status');
    expect(status.json).toMatchObject({ streams: 0, followers: 0 });
    expect(timers()).toBeLessThanOrEqual(before?.timers ?? 0);
    expect(heap() - (before?.heap ?? 0)).toBeLessThan(8 * 1024 * 1024);
  }, 60_000);
});

/** Opens an event stream and resolves once its headers arrived. */
function open(url: string, runId: string): Promise<import('node:http').ClientRequest> {
  return new Promise((done, fail) => {
    const req = request(new URL(`/api/runs/${runId}/events`, url), { agent: false }, (res) => {
      res.on('data', () => {});
      res.on('error', () => {});
      if (res.statusCode !== 200) fail(new Error(`status ${res.statusCode}`));
      else done(req);
    });
    req.on('error', () => {});
    req.end();
  });
}

async function until(test: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error('not released within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
