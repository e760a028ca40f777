import type { InputReference, StepStrategy, WorkflowDocument, WorkflowInputDocument } from '../model/document.js';
import type { JsonObject } from '../model/json.js';
import type { StepRegistry } from '../registry/step-registry.js';
import type { StepType } from '../registry/step-type.js';
import type { StepAnalysis } from './check-content.js';
import { freezeJson } from './json-copy.js';

/** One step of a {@link WorkflowPlan}: everything the runner needs, resolved and checked. */
export interface PlannedStep {
  /** Position in the workflow's step list. */
  index: number;
  id: string;
  stepType: StepType;
  /** The config as written in the document. */
  config: JsonObject;
  /** The config parsed by the step type's params schema, defaults applied. Shared by every run: read only. */
  params: unknown;
  /** The step's inputs with the sequential default applied. */
  inputs: Record<string, InputReference>;
  /** Ids of the (earlier) steps it reads, unique. */
  dependsOn: string[];
  /** `{}` when the step has none. */
  strategy: StepStrategy;
}

/** A validated workflow, resolved against its registry: what the runner executes. Immutable and cached. */
export interface WorkflowPlan {
  /** The canonical document, deep-frozen. */
  document: WorkflowDocument;
  steps: PlannedStep[];
  byId: Map<string, PlannedStep>;
  inputs: Record<string, WorkflowInputDocument>;
  /** The declared outputs, or `{ result: <last step> }` when none are declared. */
  outputs: Record<string, InputReference>;
  registry: StepRegistry;
}

/** The output a workflow without declared outputs returns: the last step's. */
export const DEFAULT_OUTPUT = 'result';

/** Builds the plan of a valid document from its analysis; freezes the document. */
export function buildPlan(
  document: WorkflowDocument,
  analysis: readonly (StepAnalysis | undefined)[],
  registry: StepRegistry,
): WorkflowPlan {
  freezeJson(document);
  const steps = document.steps.map((step, index): PlannedStep => {
    const found = analysis[index];
    if (found === undefined) throw new Error(`Internal error: step "${step.id}" was not analysed.`);
    return Object.freeze({
      index,
      id: step.id,
      stepType: found.stepType,
      config: step.config,
      params: found.params,
      inputs: Object.isFrozen(found.inputs) ? found.inputs : Object.freeze(found.inputs),
      dependsOn: Object.freeze(found.dependsOn) as string[],
      strategy: step.strategy ?? Object.freeze({}),
    });
  });
  const last = document.steps[document.steps.length - 1];
  const declared = Object.keys(document.outputs).length > 0;
  const outputs =
    declared || !last ? document.outputs : Object.freeze({ [DEFAULT_OUTPUT]: Object.freeze({ step: last.id }) });
  return Object.freeze({
    document,
    steps: Object.freeze(steps) as PlannedStep[],
    byId: new Map(steps.map((step) => [step.id, step])),
    inputs: document.inputs,
    outputs,
    registry,
  });
}
