import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import {
  type DataType,
  ErrorCode,
  type ExecutorCapabilities,
  FileValueStore,
  fromStepError,
  type Logger,
  pack,
  type StepExecutor,
  type StepTask,
  StepwiseError,
  silentLogger,
  sourceHash,
  toStepError,
} from '@stepwise/core';
import { type JobInput, type QueueJobData, readOutput, stage } from './job-protocol.js';
import { type QueueOptions, type ResolvedQueueOptions, resolveQueueOptions } from './queue-options.js';
import { RunnerLink } from './runner-link.js';

/** Options of a {@link QueueExecutor}: where the queue is, and where its warnings go. */
export interface QueueExecutorOptions extends QueueOptions {
  /** Where a relative `store` resolves from; defaults to `process.cwd()`. */
  root?: string;
  logger?: Logger;
}

/**
 * Runs steps on queue workers (`stepwise worker`) through BullMQ on Redis: each task (a batch step,
 * or one partition of a row_iterative or streaming step) is one job carrying the step's slug,
 * params and the refs of its inputs; inputs not in the shared store are staged there first, and the
 * worker writes its output there. A job's result counts once: only the worker holding its current
 * lease commits it (see docs/distributed.md). Redis is checked on the first task.
 * @example new WorkflowRunner({ executors: { queue: (setup) => new QueueExecutor({ redis, store, logger: setup.logger }) } })
 */
export class QueueExecutor implements StepExecutor {
  readonly kind = 'queue';
  readonly capabilities: ExecutorCapabilities = { inRunnerThread: false };
  readonly #options: ResolvedQueueOptions;
  readonly #logger: Logger;
  readonly #values: FileValueStore;
  #link: Promise<RunnerLink> | undefined;
  #closed = false;

  constructor(options: QueueExecutorOptions = {}) {
    this.#options = resolveQueueOptions(options, options.root);
    this.#logger = options.logger ?? silentLogger;
    this.#values = new FileValueStore(resolve(this.#options.store, 'values'));
  }

  /**
   * Sends the task to a worker and answers its output.
   * @throws StepwiseError with the step's own code, `QUEUE_UNAVAILABLE`, `WORKER_EXITED`,
   * `EXECUTOR_CLOSED`, or the abort reason's code (`STEP_TIMEOUT`, `STEP_CANCELLED`)
   */
  async execute(task: StepTask): Promise<unknown> {
    if (this.#closed) throw closedError(task);
    if (task.signal.aborted) throw fromStepError(toStepError(task.signal.reason, ErrorCode.STEP_CANCELLED));
    const link = await this.#open();
    const staged: string[] = [];
    try {
      const data = await this.#jobData(task, staged);
      const outcome = await link.run(randomUUID(), data, task.signal, task.report);
      if (!outcome.ok) throw fromStepError(outcome.error);
      if ('ref' in outcome) staged.push(outcome.ref);
      const lookup = (name: string): DataType => task.registry.requireDataType(name);
      return readOutput(this.#values, outcome, lookup, { numbersAsView: task.stepType.mode === 'row_iterative' });
    } finally {
      for (const ref of staged) this.#values.delete(ref);
    }
  }

  /** Closes the connections (bounded even when Redis is gone); later tasks fail with `EXECUTOR_CLOSED`. */
  async close(): Promise<void> {
    this.#closed = true;
    const link = this.#link;
    this.#link = undefined;
    if (link !== undefined)
      await link.then(
        (opened) => opened.close(),
        () => {},
      );
  }

  #open(): Promise<RunnerLink> {
    if (this.#link === undefined) {
      const opening = RunnerLink.open(this.#options, this.#logger);
      // a failed start is not kept: the next task tries again (Redis may be up by then)
      opening.catch(() => {
        if (this.#link === opening) this.#link = undefined;
      });
      this.#link = opening;
    }
    return this.#link;
  }

  /** The job of `task`: refs in the shared store as they are, anything else staged there. */
  async #jobData(task: StepTask, staged: string[]): Promise<QueueJobData> {
    const shared = task.context.store.values.locator?.dir === this.#values.locator.dir;
    const inputs: Record<string, JobInput> = {};
    const names = new Set([...Object.keys(task.inputs), ...Object.keys(task.values ?? {})]);
    for (const name of names) {
      const held = task.values !== undefined && name in task.values;
      const ref = task.inputs[name];
      if (!held && shared && ref !== undefined) {
        inputs[name] = { kind: 'ref', ref };
        continue;
      }
      const value = held ? task.values?.[name] : await task.context.get(ref as string);
      const list = name === 'input' && held && task.stepType.mode !== 'batch';
      const packed = pack(value, typeOf(task, name), list, []);
      const stagedRef = stage(this.#values, packed, { runId: task.runId, stepId: task.stepId });
      staged.push(stagedRef);
      inputs[name] = { kind: 'staged', ref: stagedRef };
    }
    return {
      v: 1,
      runId: task.runId,
      stepId: task.stepId,
      attempt: task.attempt,
      slug: task.stepType.slug,
      source: sourceHash(task.stepType),
      mode: task.stepType.mode,
      params: task.params,
      inputs,
    };
  }
}

/** The data type an input is staged with: rows as rows (clone, or one buffer of numbers). */
function typeOf(task: StepTask, name: string): DataType | undefined {
  if (name === 'input' && task.stepType.mode === 'row_iterative') return undefined;
  const typeName = name === 'input' ? task.stepType.inputType : task.stepType.inputs[name];
  return typeName === undefined ? undefined : task.registry.dataType(typeName);
}

function closedError(task: StepTask): StepwiseError {
  return new StepwiseError(
    ErrorCode.EXECUTOR_CLOSED,
    `The queue executor is closed; step "${task.stepId}" was not run. Make a new runner (runner.close() ends its executors).`,
    { details: { executor: 'queue', stepId: task.stepId } },
  );
}
