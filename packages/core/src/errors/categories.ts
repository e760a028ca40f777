import type { ErrorCode } from './codes.js';

/**
 * What kind of failure an error code is: the one table each edge maps from (the CLI to exit codes,
 * the server to HTTP statuses), and what decides whether the runner retries a step.
 *
 * | category | meaning | retried | CLI exit | HTTP |
 * |---|---|---|---|---|
 * | `invalid` | what was given is wrong (a document, config, field, type, ref form); the same input fails again | no | 2 | 400 |
 * | `not_found` | a ref, run or step that does not exist | no | 2 | 404 |
 * | `conflict` | the state does not allow it (a slug registered twice, a run still running) | no | 1 | 409 |
 * | `too_large` | past a size or depth limit | no | 2 | 413 |
 * | `unavailable` | a part the work needs is not there (an executor, a closed one) | no | 1 | 503 |
 * | `timeout` | a step ran past its `timeoutMs` | yes | 1 | 504 |
 * | `cancelled` | the run was cancelled | no | 130 | 499 |
 * | `failed` | a step failed (its own error, a code of a step library, a worker that died) | yes | 1 | 500 |
 * | `internal` | stored data cannot be read back | no | 1 | 500 |
 */
export type ErrorCategory =
  | 'invalid'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'unavailable'
  | 'timeout'
  | 'cancelled'
  | 'failed'
  | 'internal';

/** The category of every code in {@link ErrorCode}. A code missing here does not compile. */
export const ERROR_CATEGORIES: { readonly [C in ErrorCode]: ErrorCategory } = {
  STEP_TYPE_UNKNOWN: 'invalid',
  STEP_TYPE_CONFLICT: 'conflict',
  STEP_TYPE_INVALID: 'invalid',
  ZOD_VERSION_UNSUPPORTED: 'invalid',
  DATA_TYPE_UNKNOWN: 'invalid',
  DATA_TYPE_CONFLICT: 'conflict',
  DOCUMENT_INVALID: 'invalid',
  DOCUMENT_TOO_LARGE: 'too_large',
  DUPLICATE_KEY: 'invalid',
  FORMAT_UNSUPPORTED: 'invalid',
  FIELD_INVALID: 'invalid',
  FIELD_UNKNOWN: 'invalid',
  FIELD_REQUIRED: 'invalid',
  KEY_FORBIDDEN: 'invalid',
  NESTING_TOO_DEEP: 'too_large',
  CONFIG_INVALID: 'invalid',
  STEP_ID_DUPLICATE: 'invalid',
  STEP_NOT_FOUND: 'not_found',
  INPUT_MISSING: 'invalid',
  INPUT_UNKNOWN: 'invalid',
  INPUT_TYPE_MISMATCH: 'invalid',
  REFERENCE_FORWARD: 'invalid',
  REFERENCE_SELF: 'invalid',
  CYCLE: 'invalid',
  REF_INVALID: 'invalid',
  REF_NOT_FOUND: 'not_found',
  RUN_ID_INVALID: 'invalid',
  RUN_RECORD_INVALID: 'invalid',
  RUN_NOT_FOUND: 'not_found',
  VALUE_NOT_ENCODABLE: 'invalid',
  STORE_CORRUPT: 'internal',
  CACHE_KEY_INVALID: 'invalid',
  CONFIG_LOAD_FAILED: 'invalid',
  STEP_FAILED: 'failed',
  STEP_TIMEOUT: 'timeout',
  STEP_CANCELLED: 'cancelled',
  OUTPUT_TYPE_MISMATCH: 'failed',
  RUN_NOT_RESUMABLE: 'conflict',
  RUN_RECORD_SAVE_FAILED: 'unavailable',
  MODE_UNSUPPORTED: 'invalid',
  EXECUTOR_UNAVAILABLE: 'unavailable',
  EXECUTOR_CLOSED: 'unavailable',
  WORKER_EXITED: 'failed',
  WORKER_OUT_OF_MEMORY: 'failed',
  QUEUE_UNAVAILABLE: 'unavailable',
  UNKNOWN_ERROR: 'failed',
};

/**
 * The category of `code`; a code not in {@link ErrorCode} (a step library's own, such as
 * `ROW_REJECTED`) is `failed`.
 * @example errorCategory('REF_NOT_FOUND') // 'not_found'
 */
export function errorCategory(code: string): ErrorCategory {
  return Object.hasOwn(ERROR_CATEGORIES, code) ? ERROR_CATEGORIES[code as ErrorCode] : 'failed';
}

/**
 * True when running a step again may succeed where this error failed it (`failed` and
 * `timeout`): the runner spends `strategy.retries` only on those. An unknown step type, a step
 * module that does not load or an invalid config fails at once, whatever the retries.
 */
export function isRetryable(code: string): boolean {
  const category = errorCategory(code);
  return category === 'failed' || category === 'timeout';
}
