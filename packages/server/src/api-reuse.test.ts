// Issue 12: edit one step's config and Run with `reuse`: only that step and its downstream run; the
// unchanged steps take the latest run's outputs by step key (no strategy.cache). Through a real server.
import { describe, expect, it } from 'vitest';
import { call, startServer, waitForRun, workflow } from './test-kit.js';

const chain = (steps: number, id = 'chain') =>
  workflow(id, [
    ['numbers', 'srv_numbers', { count: 3 }],
    ['busy', 'srv_busy', { steps, everyMs: 1 }],
    ['sum', 'srv_sum'],
  ]);

type Step = { id: string; status: string; attempts: number; output?: string; reusedFrom?: string };
const byId = (steps: Step[]) => Object.fromEntries(steps.map((step) => [step.id, step]));

describe('a new run that reuses the latest run (reuse)', () => {
  it('after a config edit, plans and runs only the edited step and its downstream', async () => {
    const { url } = await startServer();
    await call(url, 'POST', '/api/workflows', { body: chain(2) });
    // no run yet: 'latest' is a plain new run
    const first = await call(url, 'POST', '/api/runs', { body: { workflowId: 'chain', reuse: 'latest' } });
    expect(first.status).toBe(202);
    const before = byId((await waitForRun(url, first.json.runId)).json.steps);
    expect(before.numbers?.attempts).toBe(1);

    const got = await call(url, 'GET', '/api/workflows/chain');
    const put = await call(url, 'PUT', '/api/workflows/chain', {
      body: chain(3),
      headers: { 'if-match': got.json.etag },
    });
    expect(put.status).toBe(200);
    const plan = await call(url, 'POST', '/api/plan?reuse=latest', { body: chain(3) });
    expect(plan.status).toBe(200);
    expect(plan.json.from).toBe(first.json.runId);
    expect(plan.json.steps.map((step: { action: string }) => step.action)).toEqual(['reuse', 'run', 'run']);
    expect(plan.json.steps[1].message).toContain('config: steps 2 → 3');
    // without reuse, every step runs (what the editor's Run did before)
    const plain = await call(url, 'POST', '/api/plan', { body: chain(3) });
    expect(plain.json.steps.map((step: { action: string }) => step.action)).toEqual(['run', 'run', 'run']);

    const second = await call(url, 'POST', '/api/runs', { body: { workflowId: 'chain', reuse: 'latest' } });
    expect(second.json.runId).not.toBe(first.json.runId);
    const run = await waitForRun(url, second.json.runId);
    expect(run.json.status).toBe('completed');
    const after = byId(run.json.steps);
    expect(after.numbers).toMatchObject({ status: 'completed', reusedFrom: first.json.runId });
    expect(after.numbers?.output).toBe(before.numbers?.output);
    expect(after.busy).toMatchObject({ status: 'completed', attempts: 1 });
    expect(after.busy?.reusedFrom).toBeUndefined();
    expect(after.sum?.reusedFrom).toBeUndefined();
    // the earlier run is left as it was
    const earlier = await call(url, 'GET', `/api/runs/${first.json.runId}`);
    expect(earlier.json.status).toBe('completed');
    expect(earlier.json.steps.every((step: Step) => step.reusedFrom === undefined)).toBe(true);
  });

  it('takes a run id of the same workflow only', async () => {
    const { url } = await startServer();
    await call(url, 'POST', '/api/workflows', { body: chain(2) });
    const other = await call(url, 'POST', '/api/runs', { body: { document: chain(2, 'other') } });
    await waitForRun(url, other.json.runId);
    const wrong = await call(url, 'POST', '/api/runs', { body: { workflowId: 'chain', reuse: other.json.runId } });
    expect(wrong.status).toBe(400);
    expect(wrong.json.code).toBe('RUN_OF_ANOTHER_WORKFLOW');
    const missing = await call(url, 'POST', '/api/plan?reuse=run_nothere', { body: chain(2) });
    expect(missing.status).toBe(404);
    const bad = await call(url, 'POST', '/api/runs', { body: { workflowId: 'chain', reuse: '../x' } });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toContain('reuse');
  });
});
