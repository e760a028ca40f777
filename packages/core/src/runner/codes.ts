/** Error codes of the runner that are not (yet) in the shared `ErrorCode` table. */
export const RunnerErrorCode = {
  /** A step whose mode this runner has no mode runner for. */
  MODE_UNSUPPORTED: 'MODE_UNSUPPORTED',
  /** A step whose `strategy.executor` names an executor the runner was not given. */
  EXECUTOR_UNAVAILABLE: 'EXECUTOR_UNAVAILABLE',
} as const;

/** One of the codes in {@link RunnerErrorCode}. */
export type RunnerErrorCode = (typeof RunnerErrorCode)[keyof typeof RunnerErrorCode];
