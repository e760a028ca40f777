// reading, writing and checking documents
export { workflowDocumentJsonSchema } from './document-schema.js';
export { findDuplicateKeys } from './duplicate-keys.js';
export { validateDocument } from './inspect.js';
export { findJsonSyntaxError, type JsonSyntaxError } from './json-syntax.js';
export { parseWorkflow, stringifyWorkflow } from './serialize.js';
// building workflows and planning them for the runner
export type { AddStepOptions, Step, StepPatch } from './step.js';
export { type StepShape, stepShapes } from './step-shapes.js';
export { type UncheckedStep, type UnknownShapeCause, uncheckedSteps } from './unchecked-steps.js';
export { Workflow } from './workflow.js';
export type { AddArguments, LoadOptions, StepConfig, WorkflowOptions } from './workflow-options.js';
export { DEFAULT_OUTPUT, type PlannedStep, type WorkflowPlan } from './workflow-plan.js';
