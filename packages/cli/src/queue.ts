import {
  ErrorCode,
  type ExecutorFactory,
  type LoadedConfig,
  type StepExecutor,
  type StepTask,
  StepwiseError,
} from '@stepwise/core';

type QueueModule = typeof import('@stepwise/queue');

/**
 * Imports @stepwise/queue (BullMQ and ioredis come with it) only when a command needs it, so
 * `stepwise --version` and runs without queue steps never load it.
 * @throws StepwiseError `EXECUTOR_UNAVAILABLE` saying how to install it
 */
export async function importQueue(): Promise<QueueModule> {
  try {
    return await import('@stepwise/queue');
  } catch (cause) {
    throw new StepwiseError(
      ErrorCode.EXECUTOR_UNAVAILABLE,
      `The queue needs @stepwise/queue, which could not be loaded (${cause instanceof Error ? cause.message : String(cause)}); install it: npm install @stepwise/queue`,
      { cause, details: { executor: 'queue' } },
    );
  }
}

/**
 * The runner's `queue` executor, over the config's queue section: @stepwise/queue is imported by
 * the first step that runs on it.
 */
export function lazyQueueExecutor(config: Pick<LoadedConfig, 'queue' | 'root'>): ExecutorFactory {
  return (setup) => {
    let loading: Promise<StepExecutor> | undefined;
    const load = (): Promise<StepExecutor> => {
      loading ??= importQueue().then(
        ({ QueueExecutor }) => new QueueExecutor({ ...config.queue, root: config.root, logger: setup.logger }),
      );
      return loading;
    };
    return {
      kind: 'queue',
      capabilities: { inRunnerThread: false },
      execute: async (task: StepTask) => (await load()).execute(task),
      close: async () => {
        if (loading !== undefined) await (await loading.catch(() => undefined))?.close();
      },
    };
  };
}
