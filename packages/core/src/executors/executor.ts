import type { RuntimeContext } from '../context/runtime-context.js';
import type { Store } from '../context/store.js';
import type { PlannedStep } from '../document/workflow-plan.js';
import type { Logger, LogLevel } from '../logger.js';
import type { MaybePromise } from '../maybe-promise.js';
import type { StepRegistry } from '../registry/step-registry.js';
import type { StepType } from '../registry/step-type.js';

export type { MaybePromise } from '../maybe-promise.js';

/**
 * The back channel of a task: what a step reports while it runs, wherever it runs. The runner
 * writes each line to its logger and emits `step.log` and `step.progress` events; an executor
 * off the runner's thread carries the calls back as messages.
 */
export interface TaskReporter {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
  progress(done: number, total?: number): void;
}

/**
 * One attempt of one step, or one unit of it (a partition of rows, a chunk), as handed to an
 * executor. Inputs travel as refs and are read where the task runs (`readTaskInputs`), so a worker
 * that reaches the store reads them there, with no decode and re-encode on the way.
 */
export interface StepTask {
  readonly runId: string;
  readonly stepId: string;
  /** 1 on the first try, 2 on the first retry, ... */
  readonly attempt: number;
  /** The step as planned: config, strategy and effective input references. */
  readonly step: PlannedStep;
  readonly stepType: StepType;
  /** The step's params, already validated and defaulted. */
  readonly params: unknown;
  /** The refs of the step's named inputs, the primary one under `input` (none for a source step). */
  readonly inputs: Readonly<Record<string, string>>;
  /**
   * Inputs held in this process instead of by ref; each replaces the ref of the same name. In a
   * unit a mode cut from a step, `input` is the unit's part: a row_iterative partition (an array of
   * rows, or a Float64Array when every row is a number, whose buffer an executor may transfer), or
   * a streaming unit's chunks (an array). A fused stream from the step before is here too.
   */
  readonly values?: Readonly<Record<string, unknown>>;
  /** Where the refs are read (and the registry whose data types decode them). */
  readonly context: RuntimeContext<Store>;
  /** The registry the step type was resolved in (the plan's). */
  readonly registry: StepRegistry;
  /** Aborted when the run is cancelled or the attempt times out. */
  readonly signal: AbortSignal;
  /** Where the step's logs and progress go. */
  readonly report: TaskReporter;
}

/** What an executor declares about how it runs steps; modes ask it, never the executor's kind. */
export interface ExecutorCapabilities {
  /**
   * Runs step functions in the runner's own thread: a row_iterative step is mapped in one loop and
   * a streaming step streams lazily through its function, instead of being cut into units.
   */
  readonly inRunnerThread: boolean;
}

/**
 * Runs one task somewhere (this thread, a worker thread, a queue worker) and answers with the
 * step function's result for it. Retries, timeouts, cancellation and storing the output are the
 * runner's job. A new executor is a factory given to `new WorkflowRunner({ executors })`, and
 * passes `describeExecutorContract` from `@stepwise/core/testing`; the runner does not change.
 */
export interface StepExecutor {
  /** The name steps choose it by in `strategy.executor` (`inline`, `threads`, `queue`). */
  readonly kind: string;
  readonly capabilities: ExecutorCapabilities;
  /**
   * Runs the task. May throw, reject, or answer synchronously. After `close()` it fails with
   * `EXECUTOR_CLOSED`.
   */
  execute(task: StepTask): MaybePromise<unknown>;
  /** Releases threads, connections, ...; the runner calls it from `runner.close()`. Idempotent. */
  close(): Promise<void>;
}

/** What the runner gives an executor factory. */
export interface ExecutorSetup {
  /** The runner's registry: where worker-side code resolves step types. */
  readonly registry: StepRegistry;
  readonly logger: Logger;
  /** Step modules a worker imports to find step types by slug (absolute paths, file URLs or package names). */
  readonly stepModules: readonly string[];
  /** Where relative step modules resolve from. */
  readonly root: string;
}

/**
 * Makes an executor for a runner, on the first step that chooses its kind (so an executor no step
 * uses costs nothing, not even its import).
 * @example new WorkflowRunner({ executors: { queue: (setup) => new QueueExecutor({ ...setup, redis }) } })
 */
export type ExecutorFactory = (setup: ExecutorSetup) => StepExecutor;
