import { hostname } from 'node:os';
import {
  ErrorCode,
  FileStore,
  fromStepError,
  type Logger,
  RuntimeContext,
  StepwiseError,
  type Store,
  silentLogger,
  ThreadsExecutor,
  toStepError,
} from '@stepwise/core';
import { DelayedError, type Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  COMMIT_OUTCOME,
  type ControlMessage,
  type JobOutcome,
  type JobReport,
  NOTICE_OUTCOME_BYTES,
  type QueueJobData,
} from './job-protocol.js';
import {
  MARK_TTL_SECONDS,
  type QueueKeys,
  type QueueOptions,
  queueKeys,
  type ResolvedQueueOptions,
  resolveQueueOptions,
} from './queue-options.js';
import { checkRedis, connect, safeUrl, withTimeout } from './redis.js';
import { runJob, type WorkerTaskEnv } from './worker-task.js';

/** Options of a {@link QueueWorker}. */
export interface QueueWorkerOptions extends QueueOptions {
  /** The project's step modules (what `stepwise.config.ts` lists under `steps`): step types are found there by slug. */
  stepModules: readonly string[];
  /** Where relative step modules and the store resolve from; defaults to `process.cwd()`. */
  root?: string;
  /** Jobs run at once; defaults to 1. */
  concurrency?: number;
  /** Worker threads the steps run on; defaults to `concurrency`. */
  threads?: number;
  /** A name in logs and outcomes; defaults to `host:pid`. */
  name?: string;
  logger?: Logger;
}

/** The worker's command connection, with the commit script as a command (EVALSHA, loaded again after a Redis restart). */
interface ScriptedRedis extends Redis {
  /** COMMIT_OUTCOME: keys BullMQ's job hash, outcome, cancel mark; args as the script says. */
  stepwiseCommitOutcome(...keysThenArgs: (string | number)[]): Promise<number>;
}

/** A job this worker is running, and how to stop it. */
interface Running {
  controller: AbortController;
  /** Set when the job is cancelled by its run: nothing is committed. */
  cancelled: boolean;
  /** Set when the worker shuts down: the job is handed back to the queue. */
  handBack: boolean;
}

/**
 * A queue worker: takes jobs from the project's queue (`concurrency` at once), runs each step on
 * its own worker threads, and commits each job's result under the job's lease. `stepwise worker`
 * is this class behind a command.
 * @example const worker = new QueueWorker({ stepModules, redis, store }); await worker.start(); ... await worker.close();
 */
export class QueueWorker {
  readonly name: string;
  readonly #options: ResolvedQueueOptions;
  readonly #keys: QueueKeys;
  readonly #logger: Logger;
  readonly #concurrency: number;
  readonly #env: WorkerTaskEnv;
  readonly #running = new Map<string, Running>();
  #redis: ScriptedRedis | undefined;
  #subscriber: Redis | undefined;
  #worker: Worker | undefined;
  /** BullMQ's key of a job's hash (where its attempt count is). */
  #jobKey: (jobId: string) => string = (jobId) => jobId;

  constructor(options: QueueWorkerOptions) {
    const root = options.root ?? process.cwd();
    this.#options = resolveQueueOptions(options, root);
    this.#keys = queueKeys(this.#options);
    this.#logger = options.logger ?? silentLogger;
    this.#concurrency = options.concurrency ?? 1;
    this.name = options.name ?? `${hostname()}:${process.pid}`;
    const store = new FileStore(this.#options.store);
    this.#env = {
      stepModules: options.stepModules,
      root,
      context: new RuntimeContext<Store>({ store }),
      values: store.values,
      threads: new ThreadsExecutor({
        stepModules: options.stepModules,
        root,
        maxThreads: options.threads ?? this.#concurrency,
      }),
      logger: this.#logger,
    };
  }

  /**
   * Connects, checks Redis and starts taking jobs.
   * @throws StepwiseError `QUEUE_UNAVAILABLE`
   */
  async start(): Promise<void> {
    const options = this.#options;
    const redis = connect(options, 'worker');
    redis.defineCommand('stepwiseCommitOutcome', { numberOfKeys: 3, lua: COMMIT_OUTCOME });
    this.#redis = redis as ScriptedRedis;
    await checkRedis(redis, options, this.#logger);
    this.#subscriber = connect(options, 'worker');
    await this.#subscriber.connect();
    await this.#subscriber.subscribe(this.#keys.control);
    this.#subscriber.on('message', (_channel: string, text: string) => this.#control(text));
    this.#worker = new Worker(options.queue, (job, token) => this.#process(job, token), {
      prefix: options.prefix,
      connection: connect(options, 'worker'),
      concurrency: this.#concurrency,
      lockDuration: options.lockDurationMs,
      stalledInterval: options.stalledIntervalMs,
      maxStalledCount: 1,
    });
    const worker = this.#worker;
    this.#jobKey = (jobId) => worker.toKey(jobId);
    this.#worker.on('error', (error) => this.#logger.warn({ err: error.message }, 'queue worker: %s', error.message));
    await this.#worker.waitUntilReady();
    this.#logger.info({ worker: this.name, queue: options.queue, prefix: options.prefix }, 'queue worker started');
  }

  /** The Redis URL it takes jobs from, without a password. */
  get redis(): string {
    return safeUrl(this.#options.redis);
  }

  /** Jobs running on this worker right now. */
  get running(): number {
    return this.#running.size;
  }

  /**
   * Stops taking jobs and lets running ones finish for `graceMs`; then hands the rest back to the
   * queue (another worker takes them at once) and ends the threads and connections. Bounded: BullMQ's
   * own `close()` can wait forever (a job that never ends, Redis gone), so it is raced with timeouts.
   */
  async close(graceMs = 10_000): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    if (worker !== undefined) {
      const closing = worker.close();
      closing.catch(() => {});
      if (!(await settlesWithin(closing, graceMs))) {
        for (const running of this.#running.values()) {
          running.handBack = true;
          running.controller.abort(
            new StepwiseError(ErrorCode.STEP_CANCELLED, `Worker ${this.name} is shutting down.`),
          );
        }
        if (!(await settlesWithin(closing, 3000))) await settlesWithin(worker.close(true), 1000);
      }
      await settlesWithin(worker.disconnect(), 1000);
    }
    await this.#env.threads.close();
    for (const redis of [this.#subscriber, this.#redis]) {
      if (redis === undefined) continue;
      await settlesWithin(redis.quit(), 1000);
      redis.disconnect();
    }
  }

  /**
   * Runs a job BullMQ handed over. Its lease is the attempt BullMQ numbered when it locked the job
   * for this worker (no round trip of its own): the commit checks it is still the current one.
   */
  async #process(job: Job, token: string | undefined): Promise<void> {
    const jobId = job.id as string;
    const data = job.data as QueueJobData;
    const lease = String(job.attemptsStarted);
    // known before anything is awaited, so a cancel that arrives while the step starts is not missed
    const running: Running = { controller: new AbortController(), cancelled: false, handBack: false };
    this.#running.set(jobId, running);
    let outcome: JobOutcome;
    try {
      const output = await runJob(data, this.#env, running.controller.signal, this.#reporter(jobId));
      outcome = { ok: true, ...output, lease, worker: this.name };
    } catch (thrown) {
      outcome = { ok: false, error: toStepError(thrown), lease, worker: this.name };
    } finally {
      this.#running.delete(jobId);
    }
    if (running.cancelled) return this.#discard(outcome);
    if (running.handBack) {
      this.#discard(outcome);
      await job.moveToDelayed(Date.now(), token);
      throw new DelayedError();
    }
    await this.#commit(jobId, outcome);
  }

  /** Commits `outcome` under its lease; the script itself tells the runner (see COMMIT_OUTCOME). */
  async #commit(jobId: string, outcome: JobOutcome): Promise<void> {
    const redis = this.#redis as ScriptedRedis;
    const text = JSON.stringify(outcome);
    const done = await redis.stepwiseCommitOutcome(
      this.#jobKey(jobId),
      this.#keys.outcome(jobId),
      this.#keys.cancelled(jobId),
      outcome.lease,
      text,
      MARK_TTL_SECONDS,
      this.#keys.reports,
      JSON.stringify(jobId),
      text.length <= NOTICE_OUTCOME_BYTES ? '1' : '0',
    );
    if (done === 2) this.#discard(outcome);
    else if (done !== 1) {
      this.#logger.warn(
        { job: jobId, lease: outcome.lease, worker: this.name },
        'queue worker: late result of job %s rejected (a newer attempt took the job over after a stall, the job is gone from Redis, or a result is committed already)',
        jobId,
      );
      this.#discard(outcome);
    }
  }

  /** Removes an outcome's staged output that will never be read. */
  #discard(outcome: JobOutcome): void {
    if (outcome.ok && 'ref' in outcome) this.#env.values.delete(outcome.ref);
  }

  #reporter(jobId: string) {
    return {
      log: (level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) =>
        this.#publish(
          fields === undefined
            ? { type: 'log', job: jobId, level, message }
            : { type: 'log', job: jobId, level, message, fields },
        ),
      progress: (done: number, total?: number) =>
        this.#publish(
          total === undefined ? { type: 'progress', job: jobId, done } : { type: 'progress', job: jobId, done, total },
        ),
    };
  }

  #publish(report: JobReport): void {
    this.#redis?.publish(this.#keys.reports, JSON.stringify(report)).catch(() => {});
  }

  #control(text: string): void {
    let message: ControlMessage;
    try {
      message = JSON.parse(text) as ControlMessage;
    } catch {
      return;
    }
    const running = message.type === 'cancel' ? this.#running.get(message.job) : undefined;
    if (running === undefined) return;
    running.cancelled = true;
    running.controller.abort(fromStepError(message.reason));
  }
}

/** True when `promise` settles within `ms` milliseconds. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return withTimeout(promise, ms).then(
    () => true,
    (error: unknown) => !(error instanceof Error && error.message.startsWith('no answer in')),
  );
}
