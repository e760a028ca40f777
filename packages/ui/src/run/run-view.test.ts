import type { RunEvent, RunRecord } from '@stepwise/core/model';
import { describe, expect, it } from 'vitest';
import { applyRunEvent, LOG_LINES, type RunView, runViewOf, withOutputRows } from './run-view.js';

const base = { runId: 'run_1', ts: 1000 };
const error = { name: 'Error', message: 'boom', code: 'STEP_FAILED' };
const events: RunEvent[] = [
  { ...base, seq: 1, type: 'run.started', workflowId: 'w', steps: ['a', 'b', 'c'], resumed: false },
  { ...base, seq: 2, type: 'step.started', stepId: 'a', attempt: 1 },
  { ...base, seq: 3, type: 'step.progress', stepId: 'a', done: 5, total: 10 },
  { ...base, seq: 4, type: 'step.completed', stepId: 'a', output: 'ref_a', durationMs: 12, attempts: 1, rows: 100 },
  { ...base, seq: 5, type: 'step.started', stepId: 'b', attempt: 1 },
  { ...base, seq: 6, type: 'step.retrying', stepId: 'b', attempt: 1, delayMs: 10, error },
  { ...base, seq: 7, type: 'step.failed', stepId: 'b', error, durationMs: 30, attempts: 2 },
  { ...base, seq: 8, type: 'step.skipped', stepId: 'c', dependency: 'b', reason: 'b failed' },
  { ...base, seq: 9, type: 'run.failed', durationMs: 50, error, failedSteps: ['b'] },
];

function follow(list: RunEvent[], start?: RunView): RunView {
  return list.reduce<RunView | undefined>(applyRunEvent, start) as RunView;
}

describe('the run view', () => {
  it('follows a run from its events: statuses, progress, duration, rows, retries, errors and skips', () => {
    const running = follow(events.slice(0, 3));
    expect(running.status).toBe('running');
    expect(running.steps.a).toMatchObject({ status: 'running', progress: { done: 5, total: 10 } });
    expect(running.steps.c?.status).toBe('pending');
    const done = follow(events);
    expect(done.status).toBe('failed');
    expect(done.steps.a).toMatchObject({ status: 'completed', durationMs: 12, rows: 100, output: 'ref_a' });
    expect(done.steps.b).toMatchObject({ status: 'failed', attempts: 2, error });
    expect(done.steps.c).toMatchObject({ status: 'skipped', skipped: { dependency: 'b', reason: 'b failed' } });
    expect(done.seq).toBe(9);
  });

  it('marks a step a resume kept as reused from its earlier run, and one that ran again as not', () => {
    const resumed = follow([
      ...events,
      { ...base, seq: 10, type: 'run.started', workflowId: 'w', steps: ['a', 'b', 'c'], resumed: true },
      {
        ...base,
        seq: 11,
        type: 'step.completed',
        stepId: 'a',
        output: 'ref_a',
        durationMs: 0,
        attempts: 1,
        reusedFrom: 'run_1',
      },
      { ...base, seq: 12, type: 'step.completed', stepId: 'b', output: 'ref_b', durationMs: 9, attempts: 1 },
    ]);
    expect(resumed.steps.a).toMatchObject({ status: 'completed', reusedFrom: 'run_1' });
    expect(resumed.steps.b?.status).toBe('completed');
    expect(resumed.steps.b?.reusedFrom).toBeUndefined();
  });

  it('ignores events it has seen (a stream that reconnects and replays) and keeps unchanged steps', () => {
    const first = follow(events.slice(0, 5));
    const replayed = follow(events.slice(2), first);
    expect(replayed).toEqual(follow(events));
    const progressed = applyRunEvent(first, { ...base, seq: 6, type: 'step.progress', stepId: 'b', done: 1 });
    expect(progressed.steps.a).toBe(first.steps.a);
  });

  it(`keeps the last ${LOG_LINES} log lines of a step`, () => {
    let view = follow(events.slice(0, 2));
    for (let i = 0; i < LOG_LINES + 10; i++) {
      view = applyRunEvent(view, {
        ...base,
        seq: 10 + i,
        type: 'step.log',
        stepId: 'a',
        level: 'info',
        message: `line ${i}`,
      });
    }
    expect(view.steps.a?.logs).toHaveLength(LOG_LINES);
    expect(view.steps.a?.logs.at(-1)?.message).toBe(`line ${LOG_LINES + 9}`);
  });

  it('starts from a run record (a run opened from the history)', () => {
    const record = {
      format: 'stepwise.run',
      version: 1,
      id: 'run_1',
      workflowId: 'w',
      status: 'completed',
      startedAt: 100,
      endedAt: 400,
      inputs: {},
      outputs: {},
      seq: 7,
      steps: [
        { id: 'a', status: 'completed', startedAt: 100, endedAt: 150, attempts: 1, output: 'ref_a', cached: true },
        { id: 'b', status: 'completed', attempts: 1, output: 'ref_b', reusedFrom: 'run_0' },
      ],
      workflow: {
        format: 'stepwise.workflow',
        version: 1,
        id: 'w',
        name: '',
        description: '',
        inputs: {},
        steps: [],
        outputs: {},
      },
    } satisfies RunRecord;
    expect(runViewOf(record)).toEqual({
      runId: 'run_1',
      status: 'completed',
      seq: 7,
      durationMs: 300,
      steps: {
        a: {
          status: 'completed',
          attempts: 1,
          startedAt: 100,
          durationMs: 50,
          output: 'ref_a',
          cached: true,
          logs: [],
        },
        b: { status: 'completed', attempts: 1, output: 'ref_b', reusedFrom: 'run_0', logs: [] },
      },
    });
  });

  it("takes a step's row count from its output's info when its events gave none (a DataFrame's)", () => {
    const view: RunView = {
      runId: 'run_1',
      status: 'completed',
      seq: 9,
      steps: {
        table: { status: 'completed', attempts: 1, output: 'ref_t', logs: [] },
        array: { status: 'completed', attempts: 1, output: 'ref_a', rows: 3, logs: [] },
        failed: { status: 'failed', attempts: 1, logs: [] },
      },
    };
    const next = withOutputRows(view, { ref_t: { rows: 5000 }, ref_a: { rows: 99 } });
    expect(next.steps.table?.rows).toBe(5000);
    expect(next.steps.array).toBe(view.steps.array);
    expect(next.steps.failed).toBe(view.steps.failed);
    expect(withOutputRows(view, {})).toBe(view);
  });

  it("shows the failing step's error as the run's: kept once, in the step, in records and events alike", () => {
    const failedOnce = events.map((event) => {
      if (event.type !== 'run.failed') return event;
      const { error: _sentWithTheStep, ...rest } = event;
      return rest;
    });
    expect(follow(failedOnce).error).toEqual(error);
    const record = {
      format: 'stepwise.run',
      version: 1,
      id: 'run_1',
      workflowId: 'w',
      status: 'failed',
      startedAt: 100,
      inputs: {},
      outputs: {},
      seq: 3,
      failedStep: 'a',
      steps: [{ id: 'a', status: 'failed', attempts: 1, error }],
      workflow: {
        format: 'stepwise.workflow',
        version: 1,
        id: 'w',
        name: '',
        description: '',
        inputs: {},
        steps: [],
        outputs: {},
      },
    } satisfies RunRecord;
    expect(runViewOf(record).error).toEqual(error);
  });
});
