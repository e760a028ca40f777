export {
  DOCUMENT_FORMAT,
  DOCUMENT_VERSION,
  DocumentLimits,
  describeReference,
  type ExecutorKind,
  effectiveInputs,
  FORBIDDEN_KEYS,
  ID_PATTERN,
  type InputReference,
  PRIMARY_INPUT,
  type StepDocument,
  type StepStrategy,
  type WorkflowDocument,
  type WorkflowInputDocument,
} from './document.js';
export { isPlainObject, type JsonObject, type JsonValue } from './json.js';
export { isFinalState, StepState } from './step-state.js';
