// What the runner consumes from document/ and context/, in one place.
export { assertRunId } from '../context/ref.js';
export type { RunStore } from '../context/run-store.js';
export { RuntimeContext } from '../context/runtime-context.js';
export type { Store } from '../context/store.js';
export { valuesFirst } from '../context/values-first.js';
export { Workflow } from '../document/workflow.js';
export type { PlannedStep, WorkflowPlan } from '../document/workflow-plan.js';
