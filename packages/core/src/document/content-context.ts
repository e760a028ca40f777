import type { PathSegment, ValidationIssue } from '../errors/workflow-validation-error.js';
import type { InputReference, WorkflowInputDocument } from '../model/document.js';
import type { JsonObject } from '../model/json.js';
import { closest, didYouMean } from '../registry/closest.js';
import type { StepRegistry } from '../registry/step-registry.js';
import type { StepType } from '../registry/step-type.js';

/** What content checks learn about one step: what `plan()` hands the runner. */
export interface StepAnalysis {
  stepType: StepType;
  /** The config parsed by the step type's params schema, defaults applied. */
  params: unknown;
  /** The step's inputs with the sequential default applied. */
  inputs: Record<string, InputReference>;
  /** Ids of the steps it reads, unique. */
  dependsOn: string[];
}

/** A reference from one step to a later (or the same-cycle) step, kept until cycles are known. */
export interface ForwardReference {
  from: number;
  to: number;
  path: PathSegment[];
}

/**
 * A step as content checks read it: one the structure check held to the step schema (so its id and
 * type are strings, its config an object when given, its inputs references when given).
 */
export interface ContentStep {
  id: string;
  type: string;
  config: JsonObject | undefined;
  inputs: Record<string, InputReference> | undefined;
}

/** Shared state of one content check. */
export interface ContentContext {
  registry: StepRegistry;
  issues: ValidationIssue[];
  /** Each step, undefined for a broken one (its shape is wrong: only its id is read, from `stepIds`). */
  steps: (ContentStep | undefined)[];
  /** Each step's id when it is a string, broken steps' too (duplicates, and the step a next one reads). */
  stepIds: (string | undefined)[];
  broken: ReadonlySet<number>;
  /** First index of each step id. */
  ids: Map<string, number>;
  types: (StepType | undefined)[];
  /** Declared workflow inputs, or undefined when that map is itself broken. */
  workflowInputs: Map<string, WorkflowInputDocument> | undefined;
  /** Step indexes each step reads (the graph for cycle detection). */
  edges: number[][];
  forward: ForwardReference[];
}

/** " Did you mean …?" for an unknown step id, when the workflow is small enough to search. */
export function suggestIds(context: ContentContext, id: string): string {
  if (context.ids.size > 500) return '';
  return didYouMean(id, [...context.ids.keys()]);
}

/** The step ids close to an unknown one (none when the workflow is too large to search). */
export function closeIds(context: ContentContext, id: string): string[] {
  return context.ids.size > 500 ? [] : closest(id, [...context.ids.keys()]);
}

/** " Declared inputs: …." for a message about an unknown workflow input. */
export function declaredInputs(context: ContentContext): string {
  const names = [...(context.workflowInputs?.keys() ?? [])];
  return names.length > 0 ? ` Declared inputs: ${names.join(', ')}.` : ' The workflow declares no inputs.';
}
