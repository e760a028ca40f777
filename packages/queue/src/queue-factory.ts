import type { ExecutorFactory } from '@stepwise/core';
import { QueueExecutor, type QueueExecutorOptions } from './queue-executor.js';

/**
 * A factory of the queue executor for `new WorkflowRunner({ executors: { queue } })`: `options`
 * say where Redis and the shared store are; the runner's logger and root are used unless given.
 * @example new WorkflowRunner({ executors: { queue: queueExecutor({ store: '/mnt/shared/store' }) } })
 */
export function queueExecutor(options: QueueExecutorOptions = {}): ExecutorFactory {
  return (setup) => new QueueExecutor({ root: setup.root, logger: setup.logger, ...options });
}
