import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RuntimeContext } from '../context/index.js';
import { StepwiseError } from '../errors/stepwise-error.js';
import type { RunEvent } from '../model/run.js';
import { StepRegistry } from '../registry/step-registry.js';
import { jsonStep, workflow } from './fixtures.contract.js';
import { WorkflowRunner } from './workflow-runner.js';

const circular: Record<string, unknown> = { name: 'loop' };
circular.self = circular;
const hostile = Object.defineProperty({}, 'message', {
  get() {
    throw new Error('getter exploded');
  },
});

const kinds: [string, () => unknown, string][] = [
  [
    'an Error',
    () => {
      throw new Error('boom');
    },
    'UNKNOWN_ERROR',
  ],
  [
    'a StepwiseError keeps its code',
    () => {
      throw new StepwiseError('MY_CODE', 'mine');
    },
    'MY_CODE',
  ],
  [
    'null',
    () => {
      throw null;
    },
    'UNKNOWN_ERROR',
  ],
  [
    'undefined',
    () => {
      throw undefined;
    },
    'UNKNOWN_ERROR',
  ],
  [
    'a string',
    () => {
      throw 'just a string';
    },
    'UNKNOWN_ERROR',
  ],
  [
    'a circular object',
    () => {
      throw circular;
    },
    'UNKNOWN_ERROR',
  ],
  [
    'an object whose getters throw',
    () => {
      throw hostile;
    },
    'UNKNOWN_ERROR',
  ],
  ['a rejection', () => Promise.reject(new TypeError('async boom')), 'UNKNOWN_ERROR'],
  ['a rejection with a non-Error', () => Promise.reject(42), 'UNKNOWN_ERROR'],
  ['an output of the wrong type', () => new Map(), 'OUTPUT_TYPE_MISMATCH'],
  ['an undefined output', () => undefined, 'OUTPUT_TYPE_MISMATCH'],
];

describe('a failing step', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
  });

  for (const [what, fn, code] of kinds) {
    for (const concurrency of [1, 3]) {
      it(`fails with ${what} (${code}), skips dependents, runs independents, keeps outputs (concurrency ${concurrency})`, async () => {
        const registry = new StepRegistry();
        const one = jsonStep(registry, 'one', () => 1, { source: true });
        const bad = jsonStep(registry, 'bad', fn);
        const inc = jsonStep(registry, 'inc', (n) => (n as number) + 1);
        const wf = workflow([
          { id: 'a', type: one },
          { id: 'b', type: bad },
          { id: 'c', type: inc },
          { id: 'd', type: inc },
          { id: 'e', type: inc, inputs: { input: { step: 'a' } } },
        ]);
        const context = new RuntimeContext();
        const run = await new WorkflowRunner({ concurrency }).run(wf, { context });
        await new Promise((r) => setTimeout(r, 5));
        expect(run.status).toBe('failed');
        const b = run.steps.get('b');
        expect(b?.status).toBe('failed');
        expect(b?.error).toMatchObject({ code });
        expect(typeof b?.error?.name).toBe('string');
        expect(typeof b?.error?.message).toBe('string');
        expect(run.error).toEqual(b?.error);
        expect(JSON.parse(JSON.stringify(run.toJSON())).steps[1].error.code).toBe(code);
        expect(run.steps.get('c')?.status).toBe('skipped');
        expect(run.steps.get('d')?.status).toBe('skipped');
        expect(run.steps.get('e')?.status).toBe('completed');
        expect(context.get(run.steps.get('a')?.output as string)).toBe(1);
        expect(context.get(run.steps.get('e')?.output as string)).toBe(2);
        expect(run.outputs).toEqual({ result: run.steps.get('e')?.output });
        expect(unhandled).toEqual([]);
      });
    }
  }

  it('an Error keeps its stack and name', async () => {
    const registry = new StepRegistry();
    const bad = jsonStep(
      registry,
      'bad',
      () => {
        throw new RangeError('out of range');
      },
      { source: true },
    );
    const run = await new WorkflowRunner().run(workflow([{ id: 'x', type: bad }]));
    expect(run.steps.get('x')?.error).toMatchObject({ name: 'RangeError', message: 'out of range' });
    expect(run.steps.get('x')?.error?.stack).toContain('out of range');
  });

  it('a listener that throws does not break the run', async () => {
    const registry = new StepRegistry();
    const one = jsonStep(registry, 'one', () => 1, { source: true });
    const run = await new WorkflowRunner().run(workflow([{ id: 'x', type: one }]), {
      onEvent: () => {
        throw new Error('listener bug');
      },
    });
    expect(run.status).toBe('completed');
  });

  it('a step reading a ref the context lacks fails with REF_NOT_FOUND', async () => {
    const registry = new StepRegistry();
    const inc = jsonStep(registry, 'inc', (n) => (n as number) + 1);
    const wf = workflow([{ id: 'x', type: inc, inputs: { input: { ref: 'ref_doesnotexist1' } } }]);
    const run = await new WorkflowRunner().run(wf);
    expect(run.steps.get('x')?.error?.code).toBe('REF_NOT_FOUND');
  });
});

describe('events of a failing run', () => {
  it('reports the failure with its error, the skip with its dependency, and run.failed naming the step', async () => {
    const registry = new StepRegistry();
    const one = jsonStep(registry, 'one', () => 1, { source: true });
    const bad = jsonStep(registry, 'bad', () => {
      throw new StepwiseError('BAD_DATA', 'bad data');
    });
    const inc = jsonStep(registry, 'inc', (n) => (n as number) + 1);
    const wf = workflow([
      { id: 'a', type: one },
      { id: 'b', type: bad },
      { id: 'c', type: inc },
    ]);
    const events: RunEvent[] = [];
    await new WorkflowRunner().run(wf, { onEvent: (e) => events.push(e) });
    expect(events.slice(3).map((e) => e.type)).toEqual(['step.started', 'step.failed', 'step.skipped', 'run.failed']);
    expect(events[5]).toMatchObject({ stepId: 'c', dependency: 'b', reason: 'dependency "b" failed' });
    expect(events[4]).toMatchObject({ stepId: 'b', error: { code: 'BAD_DATA' } });
    // the error is sent once, with its step
    expect(events[6]).toMatchObject({ failedSteps: ['b'] });
    expect(events[6]).not.toHaveProperty('error');
  });
});
