/**
 * Error codes of the runtime context that are not (yet) in the shared `ErrorCode` table.
 * `REF_INVALID` and `REF_NOT_FOUND` come from `ErrorCode`.
 */
export const ContextErrorCode = {
  /** A run id that is not of the form `run_…` (letters, digits, `_`, `-`; 1 to 64 after `run_`). */
  RUN_ID_INVALID: 'RUN_ID_INVALID',
  /** A run record that cannot be saved as JSON (a cycle, a BigInt, `undefined`, ...). */
  RUN_RECORD_INVALID: 'RUN_RECORD_INVALID',
  /** A value a persistent store cannot encode with its data type's `encode`. */
  VALUE_NOT_ENCODABLE: 'VALUE_NOT_ENCODABLE',
  /** A stored value, its metadata or a run record that cannot be read back (a damaged file). */
  STORE_CORRUPT: 'STORE_CORRUPT',
} as const;

/** One of the codes in {@link ContextErrorCode}. */
export type ContextErrorCode = (typeof ContextErrorCode)[keyof typeof ContextErrorCode];
