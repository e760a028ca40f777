import { ErrorCode } from '../../errors/codes.js';
import { StepwiseError } from '../../errors/stepwise-error.js';
import { after, type MaybePromise } from '../../maybe-promise.js';
import { runUnit } from '../../units/run-unit.js';
import type { ExecutorCapabilities, StepExecutor, StepTask } from '../executor.js';
import { readTaskInputs, taskStepContext } from '../task-context.js';

/**
 * Runs the step function in the runner's thread: the default executor, and the cheapest. Inputs
 * are read from the context when the task starts (at once over memory and files).
 * @example new WorkflowRunner({ executors: { inline: () => new InlineExecutor() } })
 */
export class InlineExecutor implements StepExecutor {
  readonly kind = 'inline';
  readonly capabilities: ExecutorCapabilities = { inRunnerThread: true };
  #closed = false;

  /**
   * Reads the task's inputs, then runs the step function over them (see `runUnit`); answers what it answers.
   * @throws StepwiseError `EXECUTOR_CLOSED` after `close()`; whatever the step throws
   */
  execute(task: StepTask): MaybePromise<unknown> {
    if (this.#closed) throw closedError(this.kind, task);
    return after(readTaskInputs(task), (inputs) =>
      runUnit(task.stepType, inputs.input, task.params, taskStepContext(task, inputs)),
    );
  }

  /** Nothing to release; later tasks fail with `EXECUTOR_CLOSED`. */
  async close(): Promise<void> {
    this.#closed = true;
  }
}

/** The error of a task given to an executor after its `close()`. */
export function closedError(kind: string, task: Pick<StepTask, 'stepId'>): StepwiseError {
  return new StepwiseError(
    ErrorCode.EXECUTOR_CLOSED,
    `The ${kind} executor is closed; step "${task.stepId}" was not run. Make a new runner (runner.close() ends its executors).`,
    { details: { executor: kind, stepId: task.stepId } },
  );
}
