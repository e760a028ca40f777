import type { MaybePromise, StepExecutor, StepTask } from '../executor.js';

/**
 * Runs the step function in the calling thread: the default executor, and the cheapest.
 * @example new WorkflowRunner({ executors: [new InlineExecutor()] })
 */
export class InlineExecutor implements StepExecutor {
  readonly kind = 'inline';

  /** Calls the step function with the task's input, params and ctx; answers what it answers. */
  execute(task: StepTask): MaybePromise<unknown> {
    const fn = task.stepType.fn as (input: unknown, params: unknown, ctx: StepTask['ctx']) => unknown;
    return fn(task.input, task.params, task.ctx);
  }

  /** Nothing to release. */
  async close(): Promise<void> {}
}
