import { ErrorCode } from '../errors/codes.js';
import { describeValue, StepwiseError } from '../errors/stepwise-error.js';
import { type ValidationIssue, WorkflowValidationError } from '../errors/workflow-validation-error.js';
import type { InputReference, StepStrategy } from '../model/document.js';
import { isPlainObject, type JsonObject } from '../model/json.js';
import { copyJson, isFilled } from './json-copy.js';

/** One configured step of a workflow: immutable; `Workflow.update` replaces it. */
export interface Step {
  readonly id: string;
  /** The step type's slug. */
  readonly type: string;
  readonly config: Readonly<JsonObject>;
  /** Named inputs; when absent the primary input is the previous step's output. */
  readonly inputs?: Readonly<Record<string, InputReference>>;
  readonly strategy?: Readonly<StepStrategy>;
  /** Free JSON for tools (labels, notes). */
  readonly metadata?: Readonly<JsonObject>;
}

/** The options of `Workflow.add`. */
export interface AddStepOptions {
  /** Defaults to the slug, then `slug_2`, `slug_3`, ... whichever is free. */
  id?: string;
  /** Named inputs; leave out to read the previous step's output as the primary input. */
  inputs?: Record<string, InputReference>;
  strategy?: StepStrategy;
  metadata?: JsonObject;
}

/** What `Workflow.update` changes; `null` removes an optional field. */
export interface StepPatch {
  /** A new id; references to the step in other steps and in the outputs follow it. */
  id?: string;
  /** A new step type (a registered StepType or slug). */
  type?: string | { readonly slug: string };
  config?: JsonObject;
  inputs?: Record<string, InputReference> | null;
  strategy?: StepStrategy | null;
  metadata?: JsonObject | null;
}

/** The fields of a step before they are copied. */
export interface StepFields {
  id: string;
  type: string;
  config: unknown;
  inputs?: unknown;
  strategy?: unknown;
  metadata?: unknown;
}

/**
 * Builds an immutable {@link Step}: every JSON field deep-copied (keys sorted) and frozen, empty
 * `strategy`/`metadata` left out.
 * @throws WorkflowValidationError when a field is not JSON (functions, `undefined`, `NaN`, class
 * instances, forbidden keys, too deep), listing every such value with its path.
 * @throws StepwiseError `CONFIG_INVALID` when the config is not a plain object.
 */
export function makeStep(fields: StepFields, index: number): Step {
  if (!isPlainObject(fields.config)) {
    throw new StepwiseError(
      ErrorCode.CONFIG_INVALID,
      `The config of step "${fields.id}" must be a plain object, got ${describeValue(fields.config)}.`,
    );
  }
  const issues: ValidationIssue[] = [];
  const copy = (name: string, value: unknown) => {
    const result = copyJson(value, { path: ['steps', index, name], depth: 3, freeze: true });
    issues.push(...result.issues);
    return result.value;
  };
  const step: { -readonly [K in keyof Step]: Step[K] } = {
    id: fields.id,
    type: fields.type,
    config: copy('config', fields.config) as JsonObject,
  };
  if (fields.inputs !== undefined && fields.inputs !== null) {
    step.inputs = copy('inputs', fields.inputs) as Record<string, InputReference>;
  }
  const strategy = fields.strategy == null ? undefined : copy('strategy', fields.strategy);
  if (isFilled(strategy)) step.strategy = strategy as StepStrategy;
  const metadata = fields.metadata == null ? undefined : copy('metadata', fields.metadata);
  if (isFilled(metadata)) step.metadata = metadata;
  if (issues.length > 0) throw new WorkflowValidationError(issues, `Step "${fields.id}"`);
  return Object.freeze(step);
}

/** The step with every `{ step: from }` reference in its inputs pointed at `to`; the same step when none. */
export function renameReference(step: Step, from: string, to: string, index: number): Step {
  if (!step.inputs) return step;
  let changed = false;
  const inputs: Record<string, InputReference> = {};
  for (const [name, reference] of Object.entries(step.inputs)) {
    const renamed = 'step' in reference && reference.step === from;
    changed ||= renamed;
    inputs[name] = renamed ? { step: to } : reference;
  }
  return changed ? makeStep({ ...step, inputs }, index) : step;
}
