/**
 * @stepwise/core: step types, the registry, workflow documents, the runtime context and the runner.
 * @example
 * import { stepType, Workflow, WorkflowRunner, RuntimeContext } from '@stepwise/core';
 * @packageDocumentation
 */

// project configuration: stepwise.config.ts and its step modules
export {
  defineConfig,
  findConfig,
  type LoadConfigOptions,
  type LoadedConfig,
  loadConfig,
  loadStepModules,
  type StepwiseConfig,
} from './config/index.js';
// the runtime context and its stores
export {
  type ContextStore,
  FileStore,
  isRef,
  isRunId,
  MemoryStore,
  type PruneOptions,
  type PruneReport,
  type PutOptions,
  RuntimeContext,
  type RuntimeContextOptions,
  type ValueInfo,
} from './context/index.js';
// workflows: build, validate, serialize
export {
  type AddStepOptions,
  DEFAULT_OUTPUT,
  findJsonSyntaxError,
  type JsonSyntaxError,
  type LoadOptions,
  type PlannedStep,
  parseWorkflow,
  type Step,
  type StepConfig,
  type StepPatch,
  stringifyWorkflow,
  validateDocument,
  Workflow,
  type WorkflowOptions,
  type WorkflowPlan,
  workflowDocumentJsonSchema,
} from './document/index.js';
// errors: one class with a stable code, and the JSON form errors travel in
export {
  ErrorCode,
  fromStepError,
  RefNotFoundError,
  type StepErrorInfo,
  StepFailedError,
  StepwiseError,
  type StepwiseErrorOptions,
  toStepError,
  type ValidationIssue,
  WorkflowValidationError,
} from './errors/index.js';
// the workflow document model (browser-safe, also in `@stepwise/core/model`)
export {
  DOCUMENT_FORMAT,
  DOCUMENT_VERSION,
  DocumentLimits,
  type ExecutorKind,
  type InputReference,
  type JsonObject,
  type JsonValue,
  type RunEvent,
  type RunEventType,
  type RunRecord,
  type StepDocument,
  type StepRun,
  StepState,
  type StepStrategy,
  type WorkflowDocument,
  type WorkflowInputDocument,
} from './model/index.js';
// step types, data types and the registry
export {
  AnyType,
  BytesType,
  type Catalog,
  type ConfigOf,
  type DataType,
  type DataTypeDefinition,
  type DataTypeMap,
  dataType,
  type FileReference,
  FileReferenceType,
  type InferContext,
  type InferFunction,
  type InferIssue,
  type InferResult,
  JsonType,
  type OutputShape,
  type RowOf,
  registry,
  type StepContext,
  type StepFunction,
  type StepInput,
  type StepLogger,
  type StepMode,
  type StepOutput,
  StepRegistry,
  type StepType,
  type StepTypeDefinition,
  type StepTypeInfo,
  stepType,
  TextType,
  typesCompatible,
  type ValueOf,
  type ValueSize,
} from './registry/index.js';
// running workflows
export {
  type ResumeOptions,
  Run,
  type RunOptions,
  WorkflowRunner,
  type WorkflowRunnerOptions,
} from './runner/index.js';
