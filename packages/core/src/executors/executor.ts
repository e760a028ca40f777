import type { MaybePromise } from '../maybe-promise.js';
import type { StepContext, StepType } from '../registry/step-type.js';
import type { PlannedStep } from '../runner/plan.js';

export type { MaybePromise } from '../maybe-promise.js';

/** One attempt of one step, as handed to an executor. */
export interface StepTask {
  readonly runId: string;
  readonly stepId: string;
  /** 1 on the first try, 2 on the first retry, ... */
  readonly attempt: number;
  /** The step as planned: config, strategy and effective input references. */
  readonly step: PlannedStep;
  readonly stepType: StepType;
  /**
   * The primary input's value (`undefined` for a source step). When a mode splits a step into
   * units (`strategy.workers`), the unit's part: a row_iterative partition is an array of rows, or
   * a Float64Array of its own when every row is a number (an executor may transfer its buffer);
   * a streaming unit is an array of chunks.
   */
  readonly input: unknown;
  /** The step's params, already validated and defaulted. */
  readonly params: unknown;
  /** What the step function receives as its third argument. */
  readonly ctx: StepContext;
}

/**
 * Runs one attempt of a step somewhere (this thread, a worker thread, a queue worker) and
 * answers with the step function's result. Retries, timeouts, cancellation and storing the
 * output are the runner's job, not the executor's. A new executor is a new folder under
 * `executors/` passed to `new WorkflowRunner({ executors })`; the runner does not change.
 */
export interface StepExecutor {
  /** The name steps choose it by in `strategy.executor` (`inline`, `threads`, `queue`). */
  readonly kind: string;
  /** Runs the attempt. May throw, reject, or answer synchronously. */
  execute(task: StepTask): MaybePromise<unknown>;
  /** Releases threads, connections, ...; the runner calls it from `runner.close()`. */
  close(): Promise<void>;
}
