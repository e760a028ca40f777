import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RuntimeContext } from '../context/index.js';
import type { InputReference } from '../model/document.js';
import { StepRegistry } from '../registry/step-registry.js';
import type { StepContext, StepType } from '../registry/step-type.js';
import { jsonStep, type StepSpec, workflow } from './fixtures.contract.js';
import { WorkflowRunner } from './workflow-runner.js';

const EXTRA = ['b', 'c'];

interface Shape {
  deps: number[][];
  failing: boolean[];
  async: boolean[];
  concurrency: number;
}

/** Random DAGs: step i reads up to three distinct earlier steps; some steps throw, some are async. */
const shapes = fc.integer({ min: 1, max: 10 }).chain((n) =>
  fc.record({
    deps: fc.tuple(
      ...Array.from({ length: n }, (_, i) =>
        i === 0 ? fc.constant([]) : fc.uniqueArray(fc.integer({ min: 0, max: i - 1 }), { maxLength: Math.min(3, i) }),
      ),
    ),
    failing: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    async: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    concurrency: fc.integer({ min: 1, max: 4 }),
  }),
) as fc.Arbitrary<Shape>;

function build(shape: Shape) {
  const registry = new StepRegistry();
  const sum = (ctx: StepContext): unknown => {
    if (shape.failing[Number(ctx.stepId.slice(1))]) throw new Error(`${ctx.stepId} fails`);
    const values = Object.values(ctx.inputs) as number[];
    const total = values.reduce((a, b) => a + b, 1);
    return shape.async[Number(ctx.stepId.slice(1))] ? new Promise((r) => setTimeout(() => r(total), 0)) : total;
  };
  const types: StepType[] = [0, 1, 2, 3].map((arity) =>
    jsonStep(registry, `arity_${arity}`, (_input, _p, ctx) => sum(ctx), {
      source: arity === 0,
      inputs: Object.fromEntries(EXTRA.slice(0, Math.max(0, arity - 1)).map((name) => [name, 'JSON'])),
    }),
  );
  const specs: StepSpec[] = shape.deps.map((deps, i) => {
    const names = ['input', ...EXTRA];
    const inputs: Record<string, InputReference> = {};
    deps.forEach((dep, k) => {
      inputs[names[k] as string] = { step: `s${dep}` };
    });
    return { id: `s${i}`, type: types[deps.length] as StepType, ...(deps.length > 0 ? { inputs } : {}) };
  });
  return workflow(specs);
}

describe('runner state machine', () => {
  it('ends every step final; skipped iff a dependency did not complete; completed outputs in the context', async () => {
    await fc.assert(
      fc.asyncProperty(shapes, async (shape) => {
        const context = new RuntimeContext();
        const run = await new WorkflowRunner().run(build(shape), { context, concurrency: shape.concurrency });
        const expected: number[] = [];
        shape.deps.forEach((deps, i) => {
          const step = run.steps.get(`s${i}`);
          const depsDone = deps.every((d) => run.steps.get(`s${d}`)?.status === 'completed');
          expect(step?.status).toBe(!depsDone ? 'skipped' : shape.failing[i] ? 'failed' : 'completed');
          if (step?.status === 'completed') {
            expected[i] = deps.reduce((a, d) => a + (expected[d] as number), 1);
            expect(context.get(step.output as string)).toBe(expected[i]);
            expect(step.attempts).toBe(1);
          }
        });
        const anyFailed = [...run.steps.values()].some((s) => s.status !== 'completed');
        expect(run.status).toBe(anyFailed ? 'failed' : 'completed');
      }),
      { numRuns: 150 },
    );
  });
});
