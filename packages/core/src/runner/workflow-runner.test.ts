import { describe, expect, it } from 'vitest';
import { RuntimeContext } from '../context/index.js';
import type { RunEvent } from '../model/run.js';
import { StepRegistry } from '../registry/step-registry.js';
import { jsonStep, workflow } from './fixtures.contract.js';
import { WorkflowRunner } from './workflow-runner.js';

describe('WorkflowRunner: batch', () => {
  it('runs steps in list order, each reading the previous output', async () => {
    const registry = new StepRegistry();
    const order: string[] = [];
    const source = jsonStep(
      registry,
      'source',
      (_i, _p, ctx) => {
        order.push(ctx.stepId);
        return 1;
      },
      true,
    );
    const inc = jsonStep(registry, 'inc', async (n, p, ctx) => {
      order.push(ctx.stepId);
      return (n as number) + (p.n ?? 1);
    });
    const wf = workflow([
      { id: 'a', type: source },
      { id: 'b', type: inc, config: { n: 10 } },
      { id: 'c', type: inc },
    ]);
    const context = new RuntimeContext();
    const events: RunEvent[] = [];
    const run = await new WorkflowRunner().run(wf, { context, onEvent: (e) => events.push(e) });
    expect(run.status).toBe('completed');
    expect(order).toEqual(['a', 'b', 'c']);
    expect(context.get(run.outputs.result as string)).toBe(12);
    expect(run.steps.get('b')).toMatchObject({ status: 'completed', attempts: 1 });
    expect(events.map((e) => e.type)).toEqual([
      'run.started',
      'step.started',
      'step.completed',
      'step.started',
      'step.completed',
      'step.started',
      'step.completed',
      'run.completed',
    ]);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  });
});
