/**
 * Every error code Stepwise throws or reports, grouped by area.
 * The code is the stable part of an error: match on it, never on the message.
 */
export const ErrorCode = {
  // registry
  STEP_TYPE_UNKNOWN: 'STEP_TYPE_UNKNOWN',
  STEP_TYPE_CONFLICT: 'STEP_TYPE_CONFLICT',
  STEP_TYPE_INVALID: 'STEP_TYPE_INVALID',
  DATA_TYPE_UNKNOWN: 'DATA_TYPE_UNKNOWN',
  DATA_TYPE_CONFLICT: 'DATA_TYPE_CONFLICT',
  /** A params schema built with zod 3, or a project whose `zod` is 3: Stepwise needs zod 4. */
  ZOD_VERSION_UNSUPPORTED: 'ZOD_VERSION_UNSUPPORTED',
  // documents and workflows
  DOCUMENT_INVALID: 'DOCUMENT_INVALID',
  DOCUMENT_TOO_LARGE: 'DOCUMENT_TOO_LARGE',
  /** A key that appears twice in one object of a document (JSON readers keep only the last). */
  DUPLICATE_KEY: 'DUPLICATE_KEY',
  FORMAT_UNSUPPORTED: 'FORMAT_UNSUPPORTED',
  FIELD_INVALID: 'FIELD_INVALID',
  FIELD_UNKNOWN: 'FIELD_UNKNOWN',
  FIELD_REQUIRED: 'FIELD_REQUIRED',
  KEY_FORBIDDEN: 'KEY_FORBIDDEN',
  NESTING_TOO_DEEP: 'NESTING_TOO_DEEP',
  CONFIG_INVALID: 'CONFIG_INVALID',
  STEP_ID_DUPLICATE: 'STEP_ID_DUPLICATE',
  STEP_NOT_FOUND: 'STEP_NOT_FOUND',
  INPUT_MISSING: 'INPUT_MISSING',
  INPUT_UNKNOWN: 'INPUT_UNKNOWN',
  INPUT_TYPE_MISMATCH: 'INPUT_TYPE_MISMATCH',
  REFERENCE_FORWARD: 'REFERENCE_FORWARD',
  REFERENCE_SELF: 'REFERENCE_SELF',
  CYCLE: 'CYCLE',
  // runtime context
  REF_INVALID: 'REF_INVALID',
  REF_NOT_FOUND: 'REF_NOT_FOUND',
  /** A run id that is not of the form `run_…`. */
  RUN_ID_INVALID: 'RUN_ID_INVALID',
  /** A run record or journal entry that cannot be saved (not JSON, or without its summary fields). */
  RUN_RECORD_INVALID: 'RUN_RECORD_INVALID',
  /** A run the run store has no record of. */
  RUN_NOT_FOUND: 'RUN_NOT_FOUND',
  /** A value a persistent store cannot encode with its data type's `encode`. */
  VALUE_NOT_ENCODABLE: 'VALUE_NOT_ENCODABLE',
  /** A stored value, its metadata or a run record that cannot be read back. */
  STORE_CORRUPT: 'STORE_CORRUPT',
  /** A cache key that is not 16 to 128 letters, digits, `_` or `-`. */
  CACHE_KEY_INVALID: 'CACHE_KEY_INVALID',
  // project configuration
  CONFIG_LOAD_FAILED: 'CONFIG_LOAD_FAILED',
  // execution
  STEP_FAILED: 'STEP_FAILED',
  STEP_TIMEOUT: 'STEP_TIMEOUT',
  STEP_CANCELLED: 'STEP_CANCELLED',
  OUTPUT_TYPE_MISMATCH: 'OUTPUT_TYPE_MISMATCH',
  RUN_NOT_RESUMABLE: 'RUN_NOT_RESUMABLE',
  /** The run's record or journal could not be written (a full disk, a store gone): the run fails. */
  RUN_RECORD_SAVE_FAILED: 'RUN_RECORD_SAVE_FAILED',
  /** A step whose mode this runner has no mode runner for. */
  MODE_UNSUPPORTED: 'MODE_UNSUPPORTED',
  /** A step whose `strategy.executor` names an executor the runner was not given. */
  EXECUTOR_UNAVAILABLE: 'EXECUTOR_UNAVAILABLE',
  /** A task given to an executor after its `close()`. */
  EXECUTOR_CLOSED: 'EXECUTOR_CLOSED',
  WORKER_EXITED: 'WORKER_EXITED',
  WORKER_OUT_OF_MEMORY: 'WORKER_OUT_OF_MEMORY',
  /** The queue's Redis cannot be reached (at start, or for longer than the queue executor waits). */
  QUEUE_UNAVAILABLE: 'QUEUE_UNAVAILABLE',
  // anything thrown that carried no code of ours
  UNKNOWN_ERROR: 'UNKNOWN_ERROR',
} as const;

/** One of the codes in {@link ErrorCode}; step libraries may add their own SCREAMING_SNAKE codes. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
