import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort, receiveMessageOnPort } from 'node:worker_threads';
import type { Piscina } from 'piscina';
import { ErrorCode } from '../../errors/codes.js';
import { fromStepError, StepwiseError, toStepError } from '../../errors/stepwise-error.js';
import { type DataType, loadDataTypes } from '../../registry/data-type.js';
import type { ExecutorCapabilities, StepExecutor, StepTask, TaskReporter } from '../executor.js';
import { closedError } from '../inline/inline-executor.js';
import {
  type Packed,
  pack,
  type ThreadAnswer,
  type ThreadReport,
  type ThreadRequest,
  unpack,
} from './thread-protocol.js';
import { sourceHash, stepTypeNames } from './worker-step-types.js';

/** Options of a {@link ThreadsExecutor}. */
export interface ThreadsExecutorOptions {
  /**
   * Step modules every worker imports before running a step (absolute paths, file URLs, package
   * names, or paths relative to `root`): what `stepwise.config.ts` lists under `steps`.
   */
  stepModules?: readonly string[];
  /** Where relative `stepModules` resolve from; defaults to `process.cwd()`. */
  root?: string;
  /** Most threads alive at once; defaults to the number of cores (at least 2). */
  maxThreads?: number;
  /** Heap limit of each worker thread; a step that exceeds it fails with `WORKER_OUT_OF_MEMORY`. */
  maxOldGenerationSizeMb?: number;
  /** Milliseconds an idle thread lives before it is ended (default 30 s). */
  idleTimeoutMs?: number;
}

const runningFromSource = import.meta.url.endsWith('.ts');

/**
 * The worker file: the built `dist/executors/threads/thread-worker.js`, or from sources (under vitest
 * or tsx) a small bootstrap that registers tsx in the thread before loading `thread-worker.ts`. Built,
 * this code runs from a bundle at the top of dist/ (scripts/bundle.mjs), not from a file beside the worker.
 */
function workerFile(): string {
  return fileURLToPath(
    new URL(runningFromSource ? './thread-worker-source.mjs' : './executors/threads/thread-worker.js', import.meta.url),
  );
}

/**
 * Runs steps on a pool of worker threads (piscina), shared by every step and run of the runner
 * that owns it. Piscina is loaded and the pool started when the first task comes; `close()` ends
 * the threads. Workers find step types by slug in the project's step modules (in the registries
 * and step types they export), never from serialized functions. Inputs in a file store travel as
 * refs and are read by the worker; others are packed (numbers as one transferable buffer, data
 * types with their `encode`). `ctx.log` and `ctx.progress` come back on a message port per task.
 * A thread that dies (exit, out of memory, terminated on timeout or cancellation) is replaced;
 * only its task fails.
 * @example new WorkflowRunner({ stepModules: [new URL('./steps.ts', import.meta.url).href] })
 */
export class ThreadsExecutor implements StepExecutor {
  readonly kind = 'threads';
  readonly capabilities: ExecutorCapabilities = { inRunnerThread: false };
  readonly #options: ThreadsExecutorOptions;
  #pool: Promise<Piscina> | undefined;
  #started: Piscina | undefined;
  #closed = false;
  #requests = 0;

  constructor(options: ThreadsExecutorOptions = {}) {
    this.#options = options;
  }

  /** Threads alive right now (0 before first use and after `close()`). */
  get threadCount(): number {
    return this.#started?.threads.length ?? 0;
  }

  /**
   * Runs one unit of the task's step on a worker thread (see `runUnit`).
   * @throws StepwiseError with the step's own code, `WORKER_EXITED`, `WORKER_OUT_OF_MEMORY`,
   * `EXECUTOR_CLOSED`, or the abort reason's code (`STEP_TIMEOUT`, `STEP_CANCELLED`)
   */
  async execute(task: StepTask): Promise<unknown> {
    if (this.#closed) throw closedError(this.kind, task);
    // encoding the inputs and decoding the answer need the data types' libraries here too
    const loading = loadDataTypes(task.registry, stepTypeNames(task.stepType));
    if (loading !== undefined) await loading;
    const transfer: ArrayBuffer[] = [];
    const inputs = await packInputs(task, transfer);
    const pool = await this.#ensurePool();
    const { port1, port2 } = new MessageChannel();
    const request = this.#request(task, inputs, port2);
    port1.on('message', (message: ThreadReport) => deliver(task.report, message, request.task));
    let answer: ThreadAnswer;
    try {
      answer = (await pool.run(request, {
        signal: task.signal,
        transferList: [...transfer, port2] as never,
      })) as ThreadAnswer;
    } catch (thrown) {
      throw threadFailure(thrown, task);
    } finally {
      // what the step reported before it answered is queued already: deliver it before the result
      for (let m = receiveMessageOnPort(port1); m !== undefined; m = receiveMessageOnPort(port1))
        deliver(task.report, m.message as ThreadReport, request.task);
      port1.close();
    }
    if (answer.type === 'error') throw fromStepError(answer.error);
    // mapped rows of numbers stay a Float64Array: the row_iterative mode copies them once, into the joined output
    const numbersAsView = task.stepType.mode === 'row_iterative';
    return unpack(answer.output, (name) => task.registry.requireDataType(name), { numbersAsView });
  }

  /** Ends every worker thread; later tasks fail with `EXECUTOR_CLOSED`. */
  async close(): Promise<void> {
    this.#closed = true;
    const pool = this.#pool;
    this.#pool = undefined;
    this.#started = undefined;
    if (pool !== undefined) await (await pool).destroy();
  }

  #request(task: StepTask, inputs: Record<string, Packed>, port: MessagePort): ThreadRequest {
    this.#requests += 1;
    const locator = task.context.store.values.locator;
    const request: ThreadRequest = {
      type: 'run',
      task: this.#requests,
      modules: [...(this.#options.stepModules ?? [])],
      root: this.#options.root ?? process.cwd(),
      slug: task.stepType.slug,
      source: sourceHash(task.stepType),
      mode: task.stepType.mode,
      params: task.params,
      inputs,
      runId: task.runId,
      stepId: task.stepId,
      attempt: task.attempt,
      port,
    };
    if (locator !== undefined && Object.values(inputs).some((input) => input.kind === 'ref')) request.store = locator;
    return request;
  }

  #ensurePool(): Promise<Piscina> {
    this.#pool ??= import('piscina').then(({ Piscina }) => {
      const { maxOldGenerationSizeMb, maxThreads, idleTimeoutMs } = this.#options;
      const pool = new Piscina({
        filename: workerFile(),
        name: 'runThreadTask',
        minThreads: 0,
        maxThreads: maxThreads ?? Math.max(2, availableParallelism()),
        idleTimeout: idleTimeoutMs ?? 30_000,
        ...(maxOldGenerationSizeMb === undefined ? {} : { resourceLimits: { maxOldGenerationSizeMb } }),
      });
      // A thread that dies between tasks is replaced; without a listener the event would crash the process.
      pool.on('error', () => {});
      this.#started = pool;
      return pool;
    });
    return this.#pool;
  }
}

/** A worker's report, handed to the task's reporter (the runner drops one that comes after the attempt). */
function deliver(report: TaskReporter, message: ThreadReport, task: number): void {
  if (message.task !== task) return;
  if (message.type === 'log') report.log(message.level, message.message, message.fields);
  else report.progress(message.done, message.total);
}

/**
 * The task's inputs for the worker: a ref stays a ref when the worker can open the store (a file
 * store); anything else is read here and packed. The primary input of a unit is its rows or chunks.
 */
async function packInputs(task: StepTask, transfer: ArrayBuffer[]): Promise<Record<string, Packed>> {
  const byRef = task.context.store.values.locator !== undefined;
  const packed: Record<string, Packed> = {};
  const names = new Set([...Object.keys(task.inputs), ...Object.keys(task.values ?? {})]);
  for (const name of names) {
    const held = task.values !== undefined && name in task.values;
    const ref = task.inputs[name];
    if (!held && byRef && ref !== undefined) {
      packed[name] = { kind: 'ref', ref };
      continue;
    }
    const value = held ? task.values?.[name] : await task.context.get(ref as string);
    const list = name === 'input' && held && task.stepType.mode !== 'batch';
    packed[name] = pack(value, typeOf(task, name), list, transfer);
  }
  return packed;
}

/** The data type an input crosses with: rows cross as rows (clone, or Float64Array for numbers). */
function typeOf(task: StepTask, name: string): DataType | undefined {
  if (name === 'input' && task.stepType.mode === 'row_iterative') return undefined;
  const typeName = name === 'input' ? task.stepType.inputType : task.stepType.inputs[name];
  return typeName === undefined ? undefined : task.registry.dataType(typeName);
}

/** What piscina rejected with, as a StepwiseError with a code a caller can match. */
function threadFailure(thrown: unknown, task: StepTask): StepwiseError {
  const signal = task.signal;
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
