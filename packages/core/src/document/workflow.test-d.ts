import { describe, expectTypeOf, it } from 'vitest';
import { stepType } from '../registry/define-step-type.js';
import { testRegistry } from './fixtures/test-registry.js';
import type { Step } from './step.js';
import { Workflow } from './workflow.js';
import type { StepConfig } from './workflow-options.js';
import type { PlannedStep, WorkflowPlan } from './workflow-plan.js';

const { registry, cleanNulls, readRows } = testRegistry();
const noParams = stepType({ slug: 'no_params', outputType: 'JSON', registry }, () => 1);

describe('Workflow.add types', () => {
  const wf = new Workflow({ id: 'w', registry });

  it('types the config of a StepType by its params input (defaults optional)', () => {
    expectTypeOf<StepConfig<typeof cleanNulls>>().toEqualTypeOf<{ threshold?: number | undefined }>();
    wf.add(cleanNulls, { threshold: 0.3 });
    wf.add(cleanNulls, {});
    wf.add(cleanNulls);
    // @ts-expect-error threshold is a number
    wf.add(cleanNulls, { threshold: 'x' });
    // @ts-expect-error unknown config key
    wf.add(cleanNulls, { treshold: 0.3 });
  });

  it('requires the config when a param has no default', () => {
    wf.add(readRows, { path: 'a.csv' }, { id: 'load', strategy: { retries: 1 } });
    // @ts-expect-error path is required
    wf.add(readRows);
    // @ts-expect-error path is required
    wf.add(readRows, {});
    // @ts-expect-error workers is a number
    wf.add(readRows, { path: 'a' }, { strategy: { workers: 'many' } });
  });

  it('takes an empty config for a step type without params', () => {
    wf.add(noParams);
    wf.add(noParams, {});
    // @ts-expect-error no params at all
    wf.add(noParams, { a: 1 });
  });

  it('takes any JSON config by slug and returns a Step', () => {
    expectTypeOf(wf.add('filter_rows', { where: 'd.value > 0.2' })).toEqualTypeOf<Step>();
    // @ts-expect-error a config is JSON, not a function
    wf.add('filter_rows', { where: () => true });
  });

  it('gives the runner a typed plan', () => {
    expectTypeOf(wf.plan()).toEqualTypeOf<WorkflowPlan>();
    expectTypeOf(wf.plan().byId.get('x')).toEqualTypeOf<PlannedStep | undefined>();
    expectTypeOf(wf.steps).toEqualTypeOf<readonly Step[]>();
  });
});
