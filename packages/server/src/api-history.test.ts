// The server over a run history in SQLite (the config's `history`): events kept across a restart and
// replayed to a stream, and 50 runs at once writing the history with no SQLITE_BUSY reaching a client.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { call, followEvents, startServer, tempProject, waitForRun, workflow } from './test-kit.js';

const three = (id = 'three') =>
  workflow(id, [
    ['numbers', 'srv_numbers', { count: 4 }],
    ['busy', 'srv_busy', { steps: 5, everyMs: 1 }],
    ['sum', 'srv_sum'],
  ]);

describe('a server over a SQLite run history', () => {
  it('keeps the events: after a restart a stream replays them, from Last-Event-ID too', async () => {
    const dir = tempProject({ history: 'sqlite:.stepwise/history.db' });
    const first = await startServer({ cwd: dir });
    expect((await call(first.url, 'GET', '/api/status')).json.store).toBe('history');
    const { json } = await call(first.url, 'POST', '/api/runs', { body: { document: three() } });
    const live = await followEvents(first.url, json.runId);
    await live.ended;
    await first.server.close();

    const second = await startServer({ cwd: dir });
    const replay = await followEvents(second.url, json.runId);
    await replay.ended;
    expect(replay.ids).toEqual(live.ids);
    expect(replay.events.at(-1).type).toBe('run.completed');
    const tail = await followEvents(second.url, json.runId, { lastEventId: live.ids[2] as number });
    await tail.ended;
    expect(tail.ids).toEqual(live.ids.slice(3));
    await second.server.close();
    const db = new Database(join(dir, '.stepwise/history.db'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('runs 50 workflows at once writing the history: every request answered, every run completed', async () => {
    const dir = tempProject({ history: 'sqlite:.stepwise/history.db' });
    const { url } = await startServer({ cwd: dir, maxRuns: 50, maxQueuedRuns: 0 });
    const starts = await Promise.all(
      Array.from({ length: 50 }, () => call(url, 'POST', '/api/runs', { body: { document: three() } })),
    );
    expect(starts.map((answer) => answer.status)).toEqual(new Array(50).fill(202));
    const runs = await Promise.all(starts.map((answer) => waitForRun(url, answer.json.runId, ['completed', 'failed'])));
    expect(runs.map((run) => run.json.status)).toEqual(new Array(50).fill('completed'));
    const listed = await call(url, 'GET', '/api/runs?status=completed&limit=100');
    expect(listed.json.runs).toHaveLength(50);
    expect(JSON.stringify(runs.map((run) => run.json))).not.toContain('SQLITE_BUSY');
  });
});
