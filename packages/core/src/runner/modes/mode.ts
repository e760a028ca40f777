import type { MaybePromise, StepExecutor, StepTask } from '../../executors/executor.js';
import type { DataType } from '../../registry/data-type.js';
import type { StepRegistry } from '../../registry/step-registry.js';

/** What a mode runner gets besides the task: resolved once per step per run, never per attempt. */
export interface ModeEnvironment {
  /** The executor the step's strategy chose. */
  readonly executor: StepExecutor;
  readonly registry: StepRegistry;
  /** The data type of the primary input, when the step type has one. */
  readonly inputType: DataType | undefined;
  readonly outputType: DataType;
  /** A streaming step whose stream feeds the next streaming step directly (see `fusedStreamingSteps`). */
  readonly fuse?: boolean;
}

/**
 * Runs one attempt of a step of one mode: turns the task's input into what the step function
 * takes (a value, chunks, rows), drives the executor, and turns the result back into one output
 * value. The runner stores that value; it knows nothing else about modes.
 */
export type ModeRunner = (task: StepTask, env: ModeEnvironment) => MaybePromise<unknown>;
