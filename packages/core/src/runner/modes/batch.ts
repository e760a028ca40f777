import type { MaybePromise, StepTask } from '../../executors/executor.js';
import type { ModeEnvironment } from './mode.js';

/** `batch`: the function takes the whole input and returns the whole output. */
export function runBatch(task: StepTask, env: ModeEnvironment): MaybePromise<unknown> {
  return env.executor.execute(task);
}
