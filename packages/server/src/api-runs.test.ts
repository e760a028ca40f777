// Runs through a real server: start (saved or posted), list with filters and cursor paging, get,
// cancel, resume, the cap on runs with its queue and 429, and the event stream (replay from
// Last-Event-ID, every event exactly once, progress coalesced, closed after the run's last event).
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { call, followEvents, startServer, waitForRun, workflow } from './test-kit.js';

const three = (id = 'three') =>
  workflow(id, [
    ['numbers', 'srv_numbers', { count: 4 }],
    ['double', 'srv_double'],
    ['sum', 'srv_sum'],
  ]);

/** numbers → busy (progress) → gate (waits while `hold` exists) → sum. */
const gated = (hold: string, id = 'gated') =>
  workflow(id, [
    ['numbers', 'srv_numbers', { count: 3 }],
    ['busy', 'srv_busy', { steps: 50, everyMs: 2 }],
    ['gate', 'srv_gate', { hold }],
    ['sum', 'srv_sum'],
  ]);

describe('runs', () => {
  it('runs a saved workflow and a posted document; gets the run with its values; lists and pages', async () => {
    const { url } = await startServer();
    await call(url, 'POST', '/api/workflows', { body: three() });
    const saved = await call(url, 'POST', '/api/runs', { body: { workflowId: 'three' } });
    expect(saved.status).toBe(202);
    expect(saved.json.runId).toMatch(/^run_/);
    const run = await waitForRun(url, saved.json.runId);
    expect(run.json.steps.map((step: { status: string }) => step.status)).toEqual([
      'completed',
      'completed',
      'completed',
    ]);
    expect(run.json.steps[0].attempts).toBe(1);
    const output = run.json.outputs.result;
    expect(run.json.values[output]).toMatchObject({ type: 'JSON' });

    const posted = await call(url, 'POST', '/api/runs', { body: { document: three('other') } });
    await waitForRun(url, posted.json.runId);
    const third = await call(url, 'POST', '/api/runs', { body: { workflowId: 'three' } });
    await waitForRun(url, third.json.runId);

    const mine = await call(url, 'GET', '/api/runs?workflowId=three&status=completed,failed');
    expect(mine.json.runs.map((r: { id: string }) => r.id)).toEqual([third.json.runId, saved.json.runId]);
    const first = await call(url, 'GET', '/api/runs?limit=2');
    expect(first.json.runs).toHaveLength(2);
    const rest = await call(url, 'GET', `/api/runs?limit=2&cursor=${encodeURIComponent(first.json.next)}`);
    expect(rest.json.runs.map((r: { id: string }) => r.id)).toEqual([saved.json.runId]);
    expect(rest.json.next).toBeUndefined();
    const later = await call(url, 'GET', `/api/runs?startedFrom=${Date.now() + 60_000}`);
    expect(later.json.runs).toEqual([]);
    const bad = await call(url, 'GET', '/api/runs?status=done');
    expect(bad.status).toBe(400);
    expect(bad.json.message).toContain('query.status');
  });

  it('refuses an invalid document with its issues, fields a client may not set, and an input that is not a ref', async () => {
    const { url } = await startServer();
    const invalid = await call(url, 'POST', '/api/runs', { body: { document: { ...three(), steps: [{ id: 'a' }] } } });
    expect(invalid.status).toBe(400);
    expect(invalid.json.code).toBe('DOCUMENT_INVALID');
    expect(invalid.json.issues.length).toBeGreaterThan(0);
    for (const field of ['status', 'outputs', 'attempts', 'runId', 'path'])
      expect(
        (await call(url, 'POST', '/api/runs', { body: { document: three(), [field]: 'x' } })).json.code,
        field,
      ).toBe('FIELD_UNKNOWN');
    const input = await call(url, 'POST', '/api/runs', { body: { document: three(), inputs: { a: '/etc/passwd' } } });
    expect(input.status).toBe(400);
    expect(input.json.code).toBe('FIELD_INVALID');
    expect((await call(url, 'POST', '/api/runs', { body: { workflowId: 'nope' } })).status).toBe(404);
    expect((await call(url, 'GET', '/api/runs/run_nothere')).status).toBe(404);
    expect((await call(url, 'GET', '/api/runs/..%2f..%2fetc')).status).toBe(400);
  });

  it('cancels a running run, then resumes it: the completed steps are kept', async () => {
    const { url, dir } = await startServer();
    const hold = join(dir, 'hold');
    writeFileSync(hold, '');
    const started = await call(url, 'POST', '/api/runs', { body: { document: gated(hold) } });
    const runId = started.json.runId;
    const events = await followEvents(url, runId);
    await events.until((event) => event.type === 'step.started' && event.stepId === 'gate');
    const cancel = await call(url, 'POST', `/api/runs/${runId}/cancel`);
    expect(cancel.status).toBe(202);
    const cancelled = await waitForRun(url, runId, ['cancelled']);
    expect(cancelled.json.steps.find((s: { id: string }) => s.id === 'busy').status).toBe('completed');
    await events.ended;
    expect(events.events.at(-1).type).toBe('run.cancelled');
    expect((await call(url, 'POST', `/api/runs/${runId}/cancel`)).status).toBe(409);

    rmSync(hold);
    const plan = await call(url, 'POST', `/api/plan?resume=${runId}`, { body: gated(hold) });
    expect(plan.json.steps.map((s: { action: string }) => s.action)).toEqual(['reuse', 'reuse', 'run', 'run']);
    const resumed = await call(url, 'POST', `/api/runs/${runId}/resume`, { body: {} });
    expect(resumed.status).toBe(202);
    const done = await waitForRun(url, runId);
    expect(done.json.steps.find((s: { id: string }) => s.id === 'busy').reusedFrom).toBe(runId);
  });

  it('runs at most maxRuns at once, queues maxQueuedRuns more, and answers 429 with Retry-After beyond', async () => {
    const { url, dir } = await startServer({ maxRuns: 1, maxQueuedRuns: 1 });
    const hold = join(dir, 'hold');
    writeFileSync(hold, '');
    const first = await call(url, 'POST', '/api/runs', { body: { document: gated(hold) } });
    expect(first.json.queued).toBe(false);
    const second = await call(url, 'POST', '/api/runs', { body: { document: gated(hold) } });
    expect(second.json.queued).toBe(true);
    expect((await call(url, 'GET', `/api/runs/${second.json.runId}`)).json).toMatchObject({
      status: 'pending',
      queued: true,
    });
    const third = await call(url, 'POST', '/api/runs', { body: { document: gated(hold) } });
    expect(third.status).toBe(429);
    expect(third.headers['retry-after']).toBe('5');
    expect(third.json.code).toBe('RUNS_BUSY');
    expect((await call(url, 'GET', '/api/status')).json.runs).toEqual({ running: 1, queued: 1 });
    rmSync(hold);
    await waitForRun(url, first.json.runId);
    await waitForRun(url, second.json.runId);
  });
});

describe('run events (Server-Sent Events)', () => {
  it('replays from Last-Event-ID after a drop: every event exactly once, in order, then the stream ends', async () => {
    const { url, dir } = await startServer();
    const hold = join(dir, 'hold');
    writeFileSync(hold, '');
    const { json } = await call(url, 'POST', '/api/runs', { body: { document: gated(hold) } });
    const first = await followEvents(url, json.runId);
    await first.until((event) => event.type === 'step.started' && event.stepId === 'gate');
    first.drop();
    rmSync(hold);
    await waitForRun(url, json.runId);
    const lastSeen = first.ids.at(-1) as number;
    const second = await followEvents(url, json.runId, { lastEventId: lastSeen });
    await second.ended;
    const ids = [...first.ids, ...second.ids];
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(second.events.at(-1).type).toBe('run.completed');
    // the same as one client that saw the whole run
    const whole = await followEvents(url, json.runId, { after: 0 });
    await whole.ended;
    expect(whole.ids).toEqual(ids);
    expect(whole.events[0].type).toBe('run.started');
    expect(whole.events.map((event) => event.seq)).toEqual(ids);
  });

  it('coalesces progress to about 10 per second per step', async () => {
    const { url } = await startServer();
    const document = workflow('busy', [
      ['numbers', 'srv_numbers'],
      ['busy', 'srv_busy', { steps: 100, everyMs: 2 }],
    ]);
    const { json } = await call(url, 'POST', '/api/runs', { body: { document } });
    const client = await followEvents(url, json.runId);
    await client.ended;
    const progress = client.events.filter((event) => event.type === 'step.progress');
    const started = client.events.find((event) => event.type === 'step.started' && event.stepId === 'busy');
    const completed = client.events.find((event) => event.type === 'step.completed' && event.stepId === 'busy');
    const seconds = (completed.ts - started.ts) / 1000;
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress.length).toBeLessThanOrEqual(Math.ceil(seconds * 10) + 2);
    expect(client.events.some((event) => event.type === 'step.log' && event.message === 'busy done')).toBe(true);
  });

  it('ends the stream of a run finished before it connected with the run end; 404 for an unknown run', async () => {
    const { url } = await startServer();
    const { json } = await call(url, 'POST', '/api/runs', { body: { document: three() } });
    await waitForRun(url, json.runId);
    const late = await followEvents(url, json.runId);
    await late.ended;
    expect(late.events.at(-1).type).toBe('run.completed');
    expect((await followEvents(url, 'run_unknown')).status).toBe(404);
  });
});
