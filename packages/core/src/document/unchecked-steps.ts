import type { StepAnalysis } from './check-content.js';
import { type ShapeVisit, walkShapes } from './check-shapes.js';
import type { WorkflowPlan } from './workflow-plan.js';

/** Why the columns an input brings were not known when the workflow was validated. */
export type UnknownShapeCause =
  /** A step whose type has no `infer` hook (`hasInfer: false`), or whose hook could not tell. */
  | { kind: 'step'; stepId: string; type: string; hasInfer: boolean }
  /** A workflow input: its value, and so its columns, come with the run. */
  | { kind: 'workflow-input'; name: string }
  /** A `{ ref }` reference: a value already in a store, not looked at by validation. */
  | { kind: 'ref' };

/** A step whose config validation could not check against its input's columns, and why. */
export interface UncheckedStep {
  stepId: string;
  type: string;
  /** The input whose shape was unknown (`input` for the primary one). */
  input: string;
  /** Where the unknown starts: the nearest step, workflow input or ref that did not say its columns. */
  cause: UnknownShapeCause;
}

/**
 * The steps whose `infer` hook got an input of unknown shape, so that validation could not check
 * their config against its columns (a column name, an expression), each with the cause: a step type
 * without an `infer` hook, a hook that could not tell (a file that does not exist yet), a workflow
 * input or a ref. What `stepwise validate` prints as "not checked".
 * @example
 * for (const { stepId, cause } of uncheckedSteps(workflow.plan())) console.log(stepId, cause);
 */
export function uncheckedSteps(plan: WorkflowPlan): UncheckedStep[] {
  const analysis: StepAnalysis[] = plan.steps.map(({ stepType, params, inputs, dependsOn }) => ({
    stepType,
    params,
    inputs,
    dependsOn,
  }));
  const indexOf = (id: string) => plan.byId.get(id)?.index;
  const visits: ShapeVisit[] = [];
  walkShapes(analysis, indexOf, (visit) => visits.push(visit));
  const causeOf = (visit: ShapeVisit, input: string): UnknownShapeCause => {
    const reference = visit.found.inputs[input];
    if (reference === undefined || 'ref' in reference) return { kind: 'ref' };
    if ('input' in reference) return { kind: 'workflow-input', name: reference.input };
    const source = visits[indexOf(reference.step) ?? -1];
    if (source === undefined) return { kind: 'ref' };
    const { stepType } = source.found;
    // a hook that knows nothing because its own input is unknown passes the blame upstream
    const upstream = Object.keys(source.inputs).find((name) => source.inputs[name] === undefined);
    if (stepType.infer !== undefined && upstream !== undefined) return causeOf(source, upstream);
    return {
      kind: 'step',
      stepId: plan.steps[source.index]?.id ?? '',
      type: stepType.slug,
      hasInfer: !!stepType.infer,
    };
  };
  const unchecked: UncheckedStep[] = [];
  for (const visit of visits) {
    if (visit.found.stepType.infer === undefined) continue;
    const step = plan.steps[visit.index];
    for (const [input, shape] of Object.entries(visit.inputs)) {
      if (shape !== undefined || step === undefined) continue;
      unchecked.push({ stepId: step.id, type: step.stepType.slug, input, cause: causeOf(visit, input) });
    }
  }
  return unchecked;
}
