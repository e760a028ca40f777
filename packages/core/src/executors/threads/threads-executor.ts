import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import { ErrorCode } from '../../errors/codes.js';
import { fromStepError, StepwiseError, toStepError } from '../../errors/stepwise-error.js';
import type { DataType } from '../../registry/data-type.js';
import { defaultRegistry } from '../../registry/default-registry.js';
import type { StepExecutor, StepTask } from '../executor.js';
import { pack, type ThreadAnswer, type ThreadRequest, unpack } from './thread-protocol.js';

/** Options of a {@link ThreadsExecutor}. */
export interface ThreadsExecutorOptions {
  /**
   * Step modules every worker imports before running a step (absolute paths, file URLs, package
   * names, or paths relative to `root`): what `stepwise.config.ts` lists under `steps`.
   */
  stepModules?: readonly string[];
  /** Where relative `stepModules` resolve from; defaults to `process.cwd()`. */
  root?: string;
  /** Most threads alive at once; defaults to the number of cores. */
  maxThreads?: number;
  /** Heap limit of each worker thread; a step that exceeds it fails with `WORKER_OUT_OF_MEMORY`. */
  maxOldGenerationSizeMb?: number;
  /** Milliseconds an idle thread lives before it is ended (default 30 s). */
  idleTimeoutMs?: number;
}

const runningFromSource = import.meta.url.endsWith('.ts');

/** The worker file next to this one: `.ts` under vitest or tsx, `.js` in the built package. */
function workerFile(): string {
  return fileURLToPath(new URL(`./thread-worker.${runningFromSource ? 'ts' : 'js'}`, import.meta.url));
}

/** From sources the worker itself is TypeScript, so each thread starts with tsx's loader. */
function workerExecArgv(): string[] {
  if (!runningFromSource) return [];
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return ['--import', tsx];
}

/**
 * Runs steps on a pool of worker threads (piscina), created on first use and shared by every step
 * and run of the runner that owns it; `close()` ends the threads. Workers load step types from the
 * project's step modules by slug, never from serialized functions. A thread that dies (exit, out of
 * memory, terminated on timeout or cancellation) is replaced; only its task fails.
 * @example new WorkflowRunner({ stepModules: [new URL('./steps.ts', import.meta.url).href] })
 */
export class ThreadsExecutor implements StepExecutor {
  readonly kind = 'threads';
  readonly #options: ThreadsExecutorOptions;
  #pool: Piscina | undefined;

  constructor(options: ThreadsExecutorOptions = {}) {
    this.#options = options;
  }

  /** Threads alive right now (0 before first use and after `close()`). */
  get threadCount(): number {
    return this.#pool?.threads.length ?? 0;
  }

  /**
   * Runs one unit of the task's step on a worker thread (see `runUnit`).
   * @throws StepwiseError with the step's own code, `WORKER_EXITED`, `WORKER_OUT_OF_MEMORY`, or the abort reason's code (`STEP_TIMEOUT`, `STEP_CANCELLED`)
   */
  async execute(task: StepTask): Promise<unknown> {
    const types = dataTypes(task);
    const transfer: ArrayBuffer[] = [];
    const request = this.#request(task, pack(task.input, types.input, task.stepType.mode !== 'batch', transfer));
    let answer: ThreadAnswer;
    try {
      answer = (await this.#ensurePool().run(request, {
        signal: task.ctx.signal,
        transferList: transfer,
      })) as ThreadAnswer;
    } catch (thrown) {
      throw threadFailure(thrown, task);
    }
    if (!answer.ok) throw fromStepError(answer.error);
    // mapped rows of numbers stay a Float64Array: the row_iterative mode copies them once, into the joined output
    const rowsAsView = task.stepType.mode === 'row_iterative';
    return unpack(answer.output, (name) => defaultRegistry.requireDataType(name), rowsAsView);
  }

  /** Ends every worker thread; the next `execute` starts a new pool. */
  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = undefined;
    await pool?.destroy();
  }

  #request(task: StepTask, input: ThreadRequest['input']): ThreadRequest {
    const { input: _primary, ...inputs } = task.ctx.inputs;
    return {
      modules: [...(this.#options.stepModules ?? [])],
      root: this.#options.root ?? process.cwd(),
      slug: task.stepType.slug,
      mode: task.stepType.mode,
      params: task.params,
      input,
      inputs,
      runId: task.runId,
      stepId: task.stepId,
      attempt: task.attempt,
    };
  }

  #ensurePool(): Piscina {
    if (this.#pool) return this.#pool;
    const { maxOldGenerationSizeMb, maxThreads, idleTimeoutMs } = this.#options;
    const pool = new Piscina({
      filename: workerFile(),
      name: 'runThreadTask',
      execArgv: workerExecArgv(),
      minThreads: 0,
      maxThreads: maxThreads ?? Math.max(2, availableParallelism()),
      idleTimeout: idleTimeoutMs ?? 30_000,
      ...(maxOldGenerationSizeMb === undefined ? {} : { resourceLimits: { maxOldGenerationSizeMb } }),
    });
    // A thread that dies between tasks is replaced; without a listener the event would crash the process.
    pool.on('error', () => {});
    this.#pool = pool;
    return pool;
  }
}

function dataTypes(task: StepTask): { input: DataType | undefined } {
  // rows cross as rows (structured clone, or Float64Array for numbers); chunks and values through their type
  if (task.stepType.mode === 'row_iterative' || task.stepType.inputType === undefined) return { input: undefined };
  return { input: defaultRegistry.dataType(task.stepType.inputType) };
}

/** What piscina rejected with, as a StepwiseError with a code a caller can match. */
function threadFailure(thrown: unknown, task: StepTask): StepwiseError {
  const signal = task.ctx.signal;
  if (signal.aborted) {
    const reason = toStepError(signal.reason, ErrorCode.STEP_CANCELLED);
    return fromStepError(reason);
  }
  const code = (thrown as { code?: unknown } | null)?.code;
  const where = `step "${task.stepId}" (type "${task.stepType.slug}")`;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return new StepwiseError(
      ErrorCode.WORKER_OUT_OF_MEMORY,
      `The worker thread running ${where} ran out of memory; raise maxOldGenerationSizeMb or process less data per partition (more workers).`,
      { cause: thrown, details: { stepId: task.stepId } },
    );
  }
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return new StepwiseError(
    ErrorCode.WORKER_EXITED,
    `The worker thread running ${where} exited before answering (${message}); the thread was replaced.`,
    { cause: thrown, details: { stepId: task.stepId } },
  );
}
