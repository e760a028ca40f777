import type { ExecutorFactory } from './executor.js';
import { InlineExecutor } from './inline/inline-executor.js';
import { ThreadsExecutor, type ThreadsExecutorOptions } from './threads/threads-executor.js';

/**
 * A factory of the threads executor with `options` (the runner's step modules and root unless
 * given). Its thread pool, and piscina itself, load when a step first runs on it.
 * @example new WorkflowRunner({ stepModules, executors: { threads: threadsExecutor({ maxThreads: 2 }) } })
 */
export function threadsExecutor(options: ThreadsExecutorOptions = {}): ExecutorFactory {
  return (setup) => new ThreadsExecutor({ stepModules: setup.stepModules, root: setup.root, ...options });
}

/** The executors every runner has: `inline` (the default) and `threads` (`strategy.workers > 1`). */
export const builtInExecutors: Readonly<Record<'inline' | 'threads', ExecutorFactory>> = {
  inline: () => new InlineExecutor(),
  threads: threadsExecutor(),
};
