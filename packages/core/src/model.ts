/**
 * The browser-safe entry of @stepwise/core: the document model, validation and the catalog types,
 * with no `node:` imports. The editor imports this.
 * @example
 * import { Workflow, validateDocument } from '@stepwise/core/model';
 * @packageDocumentation
 */

// workflows: build, validate, serialize
export {
  DEFAULT_OUTPUT,
  findDuplicateKeys,
  findJsonSyntaxError,
  type JsonSyntaxError,
  parseWorkflow,
  type Step,
  stringifyWorkflow,
  type UncheckedStep,
  type UnknownShapeCause,
  uncheckedSteps,
  validateDocument,
  Workflow,
  workflowDocumentJsonSchema,
} from './document/index.js';
// errors, and the category of each code (the server maps it to an HTTP status, the editor to a message)
export {
  ERROR_CATEGORIES,
  type ErrorCategory,
  ErrorCode,
  errorCategory,
  formatPath,
  type IssueData,
  type PathSegment,
  type StepErrorInfo,
  StepwiseError,
  type ValidationIssue,
  validationIssue,
  WorkflowValidationError,
} from './errors/index.js';
// the document model, run records and events, and the shapes the server's API sends
export {
  type DataPage,
  DOCUMENT_FORMAT,
  DOCUMENT_VERSION,
  DocumentLimits,
  type ExecutorKind,
  effectiveInputs,
  ID_PATTERN,
  type InputReference,
  isFinalState,
  isPlainObject,
  type JsonObject,
  type JsonValue,
  type PageColumn,
  PRIMARY_INPUT,
  type QueuedRun,
  type RunEvent,
  type RunEventType,
  type RunJournalEntry,
  type RunOwner,
  type RunRecord,
  type RunStatus,
  type RunSummary,
  type StepDocument,
  type StepRun,
  StepState,
  type StepStrategy,
  type WorkflowDocument,
  type WorkflowInputDocument,
  type WorkflowSummary,
} from './model/index.js';
// the registry (step types and data types as the catalog describes them)
export {
  ANY,
  type Catalog,
  type DataType,
  StepRegistry,
  type StepType,
  type StepTypeInfo,
  stepType,
  typesCompatible,
} from './registry/index.js';
