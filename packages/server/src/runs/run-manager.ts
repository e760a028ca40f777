import {
  type Logger,
  newRunId,
  type Run,
  type RunEvent,
  type RuntimeContext,
  type Store,
  silentLogger,
  toStepError,
  type Workflow,
  type WorkflowRunner,
} from '@stepwise/core';
import type { QueuedRun } from '@stepwise/core/model';
import { HttpError } from '../http-error.js';
import { type EventKeepingStore, eventKeeping } from '../run-events-store.js';
import { EventLog } from './event-log.js';
import { RunDurations } from './run-durations.js';

/** Finished runs whose events stay in memory for replay (the newest). */
const KEPT_LOGS = 200;

/** How a run begins: a new run of a workflow, or a resume of a run in the store. */
type Start =
  | {
      kind: 'run';
      workflow: Workflow;
      inputs: Record<string, string>;
      concurrency?: number | undefined;
      from?: string | undefined;
    }
  | { kind: 'resume'; workflow?: Workflow | undefined };

interface Waiting {
  runId: string;
  workflowId: string;
  start: Start;
  queuedAt: number;
  controller: AbortController;
}

/** What the manager is given. */
export interface RunManagerOptions {
  runner: WorkflowRunner;
  context: RuntimeContext<Store>;
  maxRuns: number;
  maxQueuedRuns: number;
  progressIntervalMs: number;
  logger?: Logger;
}

/**
 * Executes runs in this process through the runner: at most `maxRuns` at once, then a bounded
 * queue, beyond it a 429. Keeps each run's events for the event streams.
 */
export class RunManager {
  readonly #options: RunManagerOptions;
  readonly #logger: Logger;
  readonly #running = new Map<string, { controller: AbortController; done: Promise<void>; startedAt: number }>();
  /** How long the last runs took: the Retry-After of a refused start. */
  readonly #durations = new RunDurations();
  readonly #queue: Waiting[] = [];
  readonly #logs = new Map<string, EventLog>();
  /** Where events are kept across restarts, when the run store keeps them. */
  readonly #eventStore: EventKeepingStore | undefined;
  /** Events kept but not yet written, by run, and the writes under way. */
  readonly #unwritten = new Map<string, RunEvent[]>();
  #writing: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(options: RunManagerOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    this.#eventStore = eventKeeping(options.context.store.runs);
  }

  /** Runs executing and waiting. */
  counts(): { running: number; queued: number } {
    return { running: this.#running.size, queued: this.#queue.length };
  }

  /**
   * Starts a run of `workflow` (or queues it); answers once it has begun (its record is in the store)
   * or is queued.
   * @throws HttpError 429 when every slot and the queue are taken; the runner's errors for a run
   * that cannot begin (`INPUT_MISSING`, `REF_NOT_FOUND`)
   */
  async start(
    workflow: Workflow,
    options: { inputs?: Record<string, string>; concurrency?: number | undefined; from?: string | undefined } = {},
  ): Promise<{ runId: string; queued: boolean }> {
    const start: Start = {
      kind: 'run',
      workflow,
      inputs: { ...options.inputs },
      concurrency: options.concurrency,
      from: options.from,
    };
    return this.#admit(newRunId(), workflow.id, start);
  }

  /**
   * Resumes a failed, cancelled or interrupted run in the store, with `workflow` (the document as it
   * is now) or the one it ran.
   * @throws HttpError 409 `RUN_NOT_RESUMABLE` for a run executing or waiting here; the runner's errors
   */
  async resume(runId: string, workflowId: string, workflow?: Workflow): Promise<{ runId: string; queued: boolean }> {
    if (this.isActive(runId))
      throw new HttpError(409, 'RUN_NOT_RESUMABLE', `Run ${runId} is still running here; cancel it first.`);
    return this.#admit(runId, workflowId, { kind: 'resume', workflow });
  }

  /** True while the run executes or waits in this process. */
  isActive(runId: string): boolean {
    return this.#running.has(runId) || this.#queue.some((waiting) => waiting.runId === runId);
  }

  /** Subscribers of every run's events (the event streams following a run). */
  followers(): number {
    let count = 0;
    for (const log of this.#logs.values()) count += log.subscribers;
    return count;
  }

  /** The run, when it waits for a slot. */
  queued(runId: string): QueuedRun | undefined {
    const waiting = this.#queue.find((entry) => entry.runId === runId);
    return waiting === undefined
      ? undefined
      : { id: runId, workflowId: waiting.workflowId, status: 'pending', queued: true, queuedAt: waiting.queuedAt };
  }

  /** Cancels a run executing or waiting here; false when it is neither. */
  cancel(runId: string): boolean {
    const index = this.#queue.findIndex((entry) => entry.runId === runId);
    if (index >= 0) {
      const [waiting] = this.#queue.splice(index, 1);
      waiting?.controller.abort(new Error('Cancelled while queued'));
      this.#logs.get(runId)?.close();
      return true;
    }
    const running = this.#running.get(runId);
    running?.controller.abort(new Error('Cancelled through the API'));
    return running !== undefined;
  }

  /** The events of a run this process executed (or is executing). */
  events(runId: string): EventLog | undefined {
    return this.#logs.get(runId);
  }

  /** Cancels every run, waits for them to settle, and closes the runner's executors. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const waiting of this.#queue.splice(0)) this.#logs.get(waiting.runId)?.close();
    const running = [...this.#running.values()];
    for (const entry of running) entry.controller.abort(new Error('The server is stopping'));
    await Promise.allSettled(running.map((entry) => entry.done));
    await this.#options.runner.close();
    await this.#writing;
  }

  /** Writes a kept event to the store that keeps events: batched per turn of the event loop, in order. */
  #keepEvent(runId: string, event: RunEvent): void {
    const store = this.#eventStore;
    if (store === undefined) return;
    const batch = this.#unwritten.get(runId);
    if (batch !== undefined) {
      batch.push(event);
      return;
    }
    this.#unwritten.set(runId, [event]);
    this.#writing = this.#writing
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(async () => {
        const events = this.#unwritten.get(runId) ?? [];
        this.#unwritten.delete(runId);
        await store.appendEvents(runId, events);
      })
      .catch((error: unknown) => {
        this.#logger.warn({ err: error, runId }, `run events could not be stored: ${toStepError(error).message}`);
      });
  }

  async #admit(runId: string, workflowId: string, start: Start): Promise<{ runId: string; queued: boolean }> {
    if (this.#closed) throw new HttpError(503, 'SERVER_STOPPING', 'The server is stopping; try again later.');
    const { maxRuns, maxQueuedRuns } = this.#options;
    if (this.#running.size >= maxRuns && this.#queue.length >= maxQueuedRuns)
      throw new HttpError(
        429,
        'RUNS_BUSY',
        `${this.#running.size} runs are executing and ${this.#queue.length} waiting, the most this server takes; try again later.`,
        { headers: { 'retry-after': String(this.#retryAfter()) } },
      );
    this.#logFor(runId);
    const waiting: Waiting = { runId, workflowId, start, queuedAt: Date.now(), controller: new AbortController() };
    if (this.#running.size >= maxRuns) {
      this.#queue.push(waiting);
      return { runId, queued: true };
    }
    await this.#begin(waiting);
    return { runId, queued: false };
  }

  /** Seconds until a place in the queue is expected to free: see {@link RunDurations.retryAfter}. */
  #retryAfter(): number {
    const now = Date.now();
    let longest = 0;
    for (const entry of this.#running.values()) longest = Math.max(longest, now - entry.startedAt);
    return this.#durations.retryAfter(longest);
  }

  /** Begins a run; resolves once it has begun (its first event), rejects when it cannot begin. */
  #begin(waiting: Waiting): Promise<void> {
    const { runId, controller } = waiting;
    const log = this.#logFor(runId);
    let begun: () => void = () => {};
    const started = new Promise<void>((resolve) => {
      begun = resolve;
    });
    const onEvent = (event: RunEvent) => {
      begun();
      log.push(event);
    };
    const execution = this.#execute(waiting, onEvent);
    const done = execution.then(
      () => undefined,
      () => undefined,
    );
    const startedAt = Date.now();
    this.#running.set(runId, { controller, done, startedAt });
    void done.finally(() => {
      this.#durations.add(Date.now() - startedAt);
      this.#running.delete(runId);
      this.#next();
    });
    return Promise.race([started, execution.then(() => undefined)]).catch((error: unknown) => {
      log.close();
      throw error;
    });
  }

  #execute(waiting: Waiting, onEvent: (event: RunEvent) => void): Promise<Run> {
    const { runner, context } = this.#options;
    const { start, runId, controller } = waiting;
    const common = { context, signal: controller.signal, onEvent };
    if (start.kind === 'run')
      return runner.run(start.workflow, {
        ...common,
        runId,
        inputs: start.inputs,
        ...(start.concurrency === undefined ? {} : { concurrency: start.concurrency }),
        ...(start.from === undefined ? {} : { from: start.from }),
      });
    return runner.resume(runId, { ...common, ...(start.workflow === undefined ? {} : { workflow: start.workflow }) });
  }

  /** Starts the next queued run when a slot is free; a run that cannot begin ends its log. */
  #next(): void {
    if (this.#closed || this.#running.size >= this.#options.maxRuns) return;
    const waiting = this.#queue.shift();
    if (waiting === undefined) return;
    this.#begin(waiting).catch((error: unknown) => {
      this.#logger.warn(
        { err: error, runId: waiting.runId },
        `queued run could not begin: ${toStepError(error).message}`,
      );
    });
  }

  #logFor(runId: string): EventLog {
    let log = this.#logs.get(runId);
    if (log === undefined) {
      log = new EventLog(runId, this.#options.progressIntervalMs, (event) => this.#keepEvent(runId, event));
      this.#logs.set(runId, log);
    } else {
      // most recently used last: the oldest finished logs are the first dropped
      this.#logs.delete(runId);
      this.#logs.set(runId, log);
    }
    for (const [id, old] of this.#logs) {
      if (this.#logs.size <= KEPT_LOGS) break;
      if (old.ended && !this.isActive(id)) this.#logs.delete(id);
    }
    return log;
  }
}
