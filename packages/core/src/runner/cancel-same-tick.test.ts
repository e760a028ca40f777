// "A synchronous step that returns in the same tick as an abort still commits its output": a step
// that has not returned when the run is cancelled commits nothing; one that returned before keeps it.
import { describe, expect, it } from 'vitest';
import { RuntimeContext } from '../context/runtime-context.js';
import { StepRegistry } from '../registry/step-registry.js';
import { jsonStep, workflow } from './fixtures.contract.js';
import { WorkflowRunner } from './workflow-runner.js';

describe('a run cancelled while a step runs', () => {
  for (const kind of ['synchronous', 'asynchronous'] as const) {
    it(`a ${kind} step that returns after the abort commits nothing and is cancelled`, async () => {
      const controller = new AbortController();
      const registry = new StepRegistry();
      const one = jsonStep(registry, 'one', () => 1, { source: true });
      const late = jsonStep(registry, 'late', (n) => {
        // the cancel arrives while the step runs (here: from the step itself), then it returns
        controller.abort(new Error('stop'));
        return kind === 'synchronous' ? (n as number) + 1 : Promise.resolve((n as number) + 1);
      });
      const inc = jsonStep(registry, 'inc', (n) => (n as number) + 1);
      const wf = workflow([
        { id: 'a', type: one },
        { id: 'b', type: late },
        { id: 'c', type: inc },
      ]);
      const context = new RuntimeContext();
      const run = await new WorkflowRunner().run(wf, { context, signal: controller.signal });
      expect(run.status).toBe('cancelled');
      expect(run.steps.get('a')?.status).toBe('completed');
      expect(run.steps.get('b')).toMatchObject({ status: 'cancelled', error: { code: 'STEP_CANCELLED' } });
      expect(run.steps.get('b')?.output).toBeUndefined();
      expect(run.steps.get('c')?.status).toBe('cancelled');
      // only a's output was committed
      expect(context.store.values.list()).toEqual([run.steps.get('a')?.output]);
    });
  }

  it('a step that returned before the abort keeps its output', async () => {
    const controller = new AbortController();
    const registry = new StepRegistry();
    const one = jsonStep(registry, 'one', () => 1, { source: true });
    const stop = jsonStep(registry, 'stop', (n) => {
      queueMicrotask(() => controller.abort(new Error('stop')));
      return new Promise(() => {
        void n;
      });
    });
    const wf = workflow([
      { id: 'a', type: one },
      { id: 'b', type: stop },
    ]);
    const context = new RuntimeContext();
    const run = await new WorkflowRunner().run(wf, { context, signal: controller.signal });
    expect(run.status).toBe('cancelled');
    expect(run.steps.get('a')).toMatchObject({ status: 'completed' });
    expect(context.get(run.steps.get('a')?.output as string)).toBe(1);
  });
});
