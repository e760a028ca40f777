// What the runner consumes from document/ and context/, in one place.
// TEMPORARY: the Workflow shapes below are replaced by re-exports from document/ once it lands.

import type { InputReference, StepStrategy, WorkflowDocument, WorkflowInputDocument } from '../model/document.js';
import type { JsonObject } from '../model/json.js';
import type { StepRegistry } from '../registry/step-registry.js';
import type { StepType } from '../registry/step-type.js';

export { RuntimeContext } from '../context/index.js';

export interface PlannedStep {
  index: number;
  id: string;
  stepType: StepType;
  config: JsonObject;
  params: unknown;
  inputs: Record<string, InputReference>;
  dependsOn: string[];
  strategy: StepStrategy;
}

export interface WorkflowPlan {
  document: WorkflowDocument;
  steps: PlannedStep[];
  byId: Map<string, PlannedStep>;
  inputs: Record<string, WorkflowInputDocument>;
  outputs: Record<string, InputReference>;
  registry: StepRegistry;
}

export class Workflow {
  id = '';
  name = '';
  plan(): WorkflowPlan {
    throw new Error('not yet');
  }
  static fromJSON(_doc: unknown, _options: { registry: StepRegistry }): Workflow {
    throw new Error('not yet');
  }
}
