import type { MaybePromise, StepExecutor, StepTask } from '../executor.js';

/**
 * Runs the step function in the calling thread: the default executor, and the cheapest.
 * @example new WorkflowRunner({ executors: [new InlineExecutor()] })
 */
export class InlineExecutor implements StepExecutor {
  readonly kind = 'inline';

  execute(task: StepTask): MaybePromise<unknown> {
    const fn = task.stepType.fn as (input: unknown, params: unknown, ctx: StepTask['ctx']) => unknown;
    return fn(task.input, task.params, task.ctx);
  }

  async close(): Promise<void> {}
}
