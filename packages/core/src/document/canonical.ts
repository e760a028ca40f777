import {
  DOCUMENT_FORMAT,
  DOCUMENT_VERSION,
  type InputReference,
  type StepDocument,
  type StepStrategy,
  type WorkflowDocument,
  type WorkflowInputDocument,
} from '../model/document.js';
import type { JsonObject } from '../model/json.js';
import { isFilled } from './json-copy.js';

/**
 * The canonical document from a structurally checked clean copy (whose keys are already sorted):
 * top-level and step fields in their fixed order, defaults filled in, empty optional fields left out.
 * The same workflow therefore always serializes to the same bytes.
 */
export function canonicalDocument(copy: JsonObject): WorkflowDocument {
  const document: WorkflowDocument = {
    format: DOCUMENT_FORMAT,
    version: DOCUMENT_VERSION,
    id: copy.id as string,
    name: (copy.name ?? '') as string,
    description: (copy.description ?? '') as string,
    inputs: canonicalInputs((copy.inputs ?? {}) as JsonObject),
    steps: ((copy.steps ?? []) as JsonObject[]).map(canonicalStep),
    outputs: (copy.outputs ?? {}) as Record<string, InputReference>,
  };
  if (isFilled(copy.ui)) document.ui = copy.ui;
  if (isFilled(copy.metadata)) document.metadata = copy.metadata;
  return document;
}

/** One step in canonical form: `id, type, config, inputs, strategy, metadata`. */
export function canonicalStep(step: JsonObject): StepDocument {
  const canonical: StepDocument = {
    id: step.id as string,
    type: step.type as string,
    config: (step.config ?? {}) as JsonObject,
  };
  // An explicit `inputs: {}` is kept: it means "no inputs", unlike a missing field (the sequential default).
  if (step.inputs !== undefined) canonical.inputs = step.inputs as Record<string, InputReference>;
  if (isFilled(step.strategy)) canonical.strategy = step.strategy as StepStrategy;
  if (isFilled(step.metadata)) canonical.metadata = step.metadata;
  return canonical;
}

function canonicalInputs(inputs: JsonObject): Record<string, WorkflowInputDocument> {
  const result: Record<string, WorkflowInputDocument> = {};
  for (const [name, value] of Object.entries(inputs)) {
    // a checked document: every workflow input is an object { type, description? }
    const { type, description } = value as JsonObject;
    result[name] = typeof description === 'string' ? { type: String(type), description } : { type: String(type) };
  }
  return result;
}
