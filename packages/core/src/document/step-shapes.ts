import type { StepAnalysis } from './check-content.js';
import { walkShapes } from './check-shapes.js';
import type { WorkflowPlan } from './workflow-plan.js';

/** What validation infers of a step's output before anything runs. */
export interface StepShape {
  /** The step type's output data type. */
  outputType: string;
  /** The columns of a table, when the step type's `infer` hook could tell them. */
  columns?: string[];
}

/**
 * The inferred output of every step of a valid workflow, by step id: its data type, and a table's
 * columns when the `infer` hooks know them. What the editor shows on each step before a run.
 * @example stepShapes(workflow.plan()).clean // { outputType: 'DataFrame', columns: ['region', 'amount'] }
 */
export function stepShapes(plan: WorkflowPlan): Record<string, StepShape> {
  const shapes: Record<string, StepShape> = {};
  for (const step of plan.steps) shapes[step.id] = { outputType: step.stepType.outputType };
  const analysis: StepAnalysis[] = plan.steps.map(({ stepType, params, inputs, dependsOn }) => ({
    stepType,
    params,
    inputs,
    dependsOn,
  }));
  walkShapes(
    analysis,
    (id) => plan.byId.get(id)?.index,
    ({ index, shape }) => {
      const id = plan.steps[index]?.id;
      const columns = shape?.columns;
      if (id !== undefined && Array.isArray(columns)) (shapes[id] as StepShape).columns = [...columns];
    },
  );
  return shapes;
}
