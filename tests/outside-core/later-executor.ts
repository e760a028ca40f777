/**
 * An executor written outside core, only against what @stepwise/core exports: it runs each task
 * on a later turn of the event loop, reading the inputs by ref where it runs and reporting logs
 * and progress through the task, as a queue worker would. It is not in the runner's thread (modes
 * cut rows and chunks into units for it), but it is in its process (so it cannot survive a
 * process.exit: the contract's isolation tests are skipped with that reason).
 */
import {
  type ExecutorCapabilities,
  readTaskInputs,
  runUnit,
  type StepExecutor,
  type StepTask,
  StepwiseError,
  taskStepContext,
} from '@stepwise/core';

export class LaterExecutor implements StepExecutor {
  readonly kind = 'later';
  readonly capabilities: ExecutorCapabilities = { inRunnerThread: false };
  #closed = false;
  /** Tasks run, for the test: proof the runner chose this executor. */
  ran = 0;

  async execute(task: StepTask): Promise<unknown> {
    if (this.#closed)
      throw new StepwiseError('EXECUTOR_CLOSED', `The later executor is closed; step "${task.stepId}" was not run.`);
    await new Promise((resolve) => setImmediate(resolve));
    task.signal.throwIfAborted();
    this.ran += 1;
    const inputs = await readTaskInputs(task);
    return runUnit(task.stepType, inputs.input, task.params, taskStepContext(task, inputs));
  }

  async close(): Promise<void> {
    this.#closed = true;
  }
}
