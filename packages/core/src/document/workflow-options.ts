import type { z } from 'zod';
import type { InputReference, WorkflowInputDocument } from '../model/document.js';
import type { JsonObject } from '../model/json.js';
import type { StepRegistry } from '../registry/step-registry.js';
import type { AddStepOptions } from './step.js';

/** The options of `new Workflow(...)`. */
export interface WorkflowOptions {
  id: string;
  name?: string;
  description?: string;
  /** Declared workflow inputs, by name. */
  inputs?: Record<string, WorkflowInputDocument>;
  /** Named outputs; when none are declared the last step's output is the output `result`. */
  outputs?: Record<string, InputReference>;
  ui?: JsonObject;
  metadata?: JsonObject;
  /** Where step types are looked up; defaults to the module-level `registry`. */
  registry?: StepRegistry;
}

/** The options of `Workflow.fromJSON` and `parseWorkflow`. */
export interface LoadOptions {
  /** Where step types are looked up; defaults to the module-level `registry`. */
  registry?: StepRegistry;
}

/** The config a step type takes in `Workflow.add` (defaults may be left out). */
export type StepConfig<T> = T extends { readonly params: infer P extends z.ZodType } ? z.input<P> : never;

/** `add(type, config?, options?)` for a typed step type: the config may be left out when `{}` fits it. */
export type AddArguments<T> =
  Record<string, never> extends StepConfig<T>
    ? [config?: StepConfig<T>, options?: AddStepOptions]
    : [config: StepConfig<T>, options?: AddStepOptions];
