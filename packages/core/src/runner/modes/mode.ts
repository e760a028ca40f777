import type { StepExecutor, StepTask } from '../../executors/executor.js';
import type { MaybePromise } from '../../maybe-promise.js';
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

/** The value of the task's primary input: in-process when the task holds it, else read by ref. */
export function primaryInput(task: StepTask): MaybePromise<unknown> {
  if (task.values !== undefined && 'input' in task.values) return task.values.input;
  const ref = task.inputs.input;
  // a source step has no primary input; a missing ref is read anyway, so the context names the problem
  return ref === undefined && task.stepType.inputType === undefined ? undefined : task.context.get(ref as string);
}

/** One unit of `task`: the same step over `part` of its primary input (rows of a partition, chunks). */
export function unitTask(task: StepTask, part: unknown): StepTask {
  return { ...task, values: { ...task.values, input: part } };
}
