// the executor contract
export type { MaybePromise, StepExecutor, StepTask } from './executor.js';
// executors
export { InlineExecutor } from './inline/inline-executor.js';
