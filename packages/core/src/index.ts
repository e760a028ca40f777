/**
 * @stepwise/core: step types, the registry, workflow documents, the runtime context and the runner.
 * @example
 * import { stepType, Workflow, WorkflowRunner, RuntimeContext } from '@stepwise/core';
 * @packageDocumentation
 */

// first, before any schema is built: stop with one clear message when the project's zod is not zod 4
import './registry/zod-runtime.js';

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
// the runtime context
// stores: values, run records and the cache index (interfaces, and the memory and file stores)
// what every run store checks, and how memory and files page: shared by other run stores (SQL, ...)
export {
  applyUpdate,
  type CacheIndex,
  type CheckedRunQuery,
  type ContextAnswer,
  checkAppend,
  checkRunQuery,
  encodeCursor,
  FileCacheIndex,
  FileRunStore,
  FileStore,
  FileValueStore,
  isRef,
  isRunId,
  MemoryCacheIndex,
  MemoryRunStore,
  MemoryStore,
  MemoryValueStore,
  type Producer,
  type PruneOptions,
  type PruneReport,
  type PutOptions,
  pageRuns,
  pruneStore,
  type RunPage,
  type RunQuery,
  type RunStore,
  RuntimeContext,
  type RuntimeContextOptions,
  type RunUpdate,
  type Store,
  type StoredRun,
  type SyncCacheIndex,
  type SyncRunStore,
  type SyncStore,
  type SyncValueStore,
  summaryOf,
  type ValueInfo,
  type ValueMeta,
  type ValueStore,
  type ValueStoreLocator,
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
  type UncheckedStep,
  type UnknownShapeCause,
  uncheckedSteps,
  validateDocument,
  Workflow,
  type WorkflowOptions,
  type WorkflowPlan,
  workflowDocumentJsonSchema,
} from './document/index.js';
// errors: one class with a stable code, the JSON form errors travel in, and the category of each code
export {
  ERROR_CATEGORIES,
  type ErrorCategory,
  ErrorCode,
  errorCategory,
  formatPath,
  fromStepError,
  type IssueData,
  isRetryable,
  type PathSegment,
  RefNotFoundError,
  type StepErrorInfo,
  StepFailedError,
  StepwiseError,
  type StepwiseErrorOptions,
  toStepError,
  type ValidationIssue,
  validationIssue,
  WorkflowValidationError,
} from './errors/index.js';
// executors: what an executor receives and answers, the built-in ones, and their factories
export {
  builtInExecutors,
  type ExecutorCapabilities,
  type ExecutorFactory,
  type ExecutorSetup,
  InlineExecutor,
  readTaskInputs,
  reporterLogger,
  runUnit,
  type StepExecutor,
  type StepTask,
  type TaskReporter,
  ThreadsExecutor,
  type ThreadsExecutorOptions,
  taskStepContext,
  threadsExecutor,
} from './executors/index.js';
// step keys: what decides that an earlier output still stands
export {
  fingerprintOf,
  type IdentifyFileOptions,
  identifyFile,
  type PlanReason,
  type PlanReasonCode,
} from './keys/index.js';
// logging: the small interface the runner logs through (a pino logger fits it)
export { type Logger, type LogLevel, type LogMethod, silentLogger } from './logger.js';
export type { MaybePromise } from './maybe-promise.js';
// the workflow document model (browser-safe, also in `@stepwise/core/model`)
export {
  DOCUMENT_FORMAT,
  DOCUMENT_VERSION,
  DocumentLimits,
  type ExecutorKind,
  type FileIdentity,
  type InputReference,
  type JsonObject,
  type JsonValue,
  type RunEvent,
  type RunEventType,
  type RunJournalEntry,
  type RunOwner,
  type RunRecord,
  type RunStatus,
  type RunSummary,
  type SeqJournalEntry,
  type StepDocument,
  type StepJournalEntry,
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
  closest,
  type DataType,
  type DataTypeDefinition,
  type DataTypeLookup,
  type DataTypeMap,
  dataType,
  didYouMean,
  type FileReference,
  FileReferenceType,
  type FilesFunction,
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
// running workflows, and their plans
export {
  newRunId,
  type PlanOptions,
  type ResumeOptions,
  Run,
  type RunOptions,
  type RunPlan,
  type StepAction,
  type StepPlan,
  WorkflowRunner,
  type WorkflowRunnerOptions,
} from './runner/index.js';
// runs as readers see them: journals applied, `interrupted` when the owner is gone
export {
  foldRun,
  HEARTBEAT_MS,
  type LivenessOptions,
  listRuns,
  liveStatus,
  loadRun,
  OWNER_STALE_MS,
  ownerAlive,
} from './runs/index.js';
