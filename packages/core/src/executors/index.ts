// the executor contract: what an executor receives, declares and answers

export { runUnit } from '../units/run-unit.js';
// the built-in executors, and the factories the runner chooses them from
export { builtInExecutors, threadsExecutor } from './built-in.js';
export type {
  ExecutorCapabilities,
  ExecutorFactory,
  ExecutorSetup,
  StepExecutor,
  StepTask,
  TaskReporter,
} from './executor.js';
export { InlineExecutor } from './inline/inline-executor.js';
// what every executor uses where the step runs: its inputs, its ctx, one unit of its work
export { readTaskInputs, reporterLogger, taskStepContext } from './task-context.js';
export { ThreadsExecutor, type ThreadsExecutorOptions } from './threads/index.js';
// for executors off the runner's process: values packed as the threads protocol packs them, step types found by slug
export { type Packed, pack, unpack } from './threads/thread-protocol.js';
export { findStepType, type Resolved, sourceHash } from './threads/worker-step-types.js';
