/**
 * @stepwise/queue: distributed execution on BullMQ and Redis. The runner's `queue` executor sends
 * steps and row partitions to workers by ref; `QueueWorker` (behind `stepwise worker`) runs them.
 * @example
 * import { queueExecutor } from '@stepwise/queue';
 * new WorkflowRunner({ stepModules, executors: { queue: queueExecutor({ redis: 'redis://127.0.0.1:6379', store: '/shared/store' }) } });
 * @packageDocumentation
 */

// the runner's side: the executor and its factory
export { QueueExecutor, type QueueExecutorOptions } from './queue-executor.js';
export { queueExecutor } from './queue-factory.js';
// where the queue is, its defaults and retention
export { QUEUE_DEFAULTS, type QueueOptions, RETENTION } from './queue-options.js';
// the worker's side
export { QueueWorker, type QueueWorkerOptions } from './queue-worker.js';
