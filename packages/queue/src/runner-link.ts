import { ErrorCode, fromStepError, type Logger, StepwiseError, type TaskReporter, toStepError } from '@stepwise/core';
import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ControlMessage, JobOutcome, JobReport, QueueJobData } from './job-protocol.js';
import { MARK_TTL_SECONDS, type QueueKeys, queueKeys, RETENTION, type ResolvedQueueOptions } from './queue-options.js';
import { checkRedis, connect, unavailable, withTimeout } from './redis.js';

/** A job the runner waits for. */
interface Waiting {
  report: TaskReporter;
  resolve(outcome: JobOutcome): void;
  reject(error: StepwiseError): void;
}

/** How often the runner looks for outcomes whose "done" notice it missed (a reconnect drops pub/sub messages). */
const POLL_MS = 1000;

/**
 * The runner's side of the queue: its connections (commands, the reports subscription, BullMQ's
 * queue and events), and the jobs it waits for. One per queue executor, opened on its first task.
 */
export class RunnerLink {
  readonly #options: ResolvedQueueOptions;
  readonly #keys: QueueKeys;
  readonly #waiting = new Map<string, Waiting>();
  readonly #redis: Redis;
  readonly #subscriber: Redis;
  readonly #queue: Queue;
  readonly #events: QueueEvents;
  readonly #poll: NodeJS.Timeout;
  /** Since when Redis has been unreachable, while it is. */
  #downSince: number | undefined;

  private constructor(options: ResolvedQueueOptions, redis: Redis, subscriber: Redis) {
    this.#options = options;
    this.#keys = queueKeys(options);
    this.#redis = redis;
    this.#subscriber = subscriber;
    const bull = { prefix: options.prefix, connection: connect(options, 'runner') };
    this.#queue = new Queue(options.queue, { ...bull, streams: { events: { maxLen: 1000 } } });
    this.#queue.on('error', () => {});
    this.#events = new QueueEvents(options.queue, { prefix: options.prefix, connection: connect(options, 'worker') });
    this.#events.on('error', () => {});
    this.#events.on('failed', ({ jobId, failedReason }) => this.#failed(jobId, failedReason));
    subscriber.on('message', (_channel: string, text: string) => this.#message(text));
    this.#poll = setInterval(() => {
      this.#watchConnection();
      void this.#pollOutcomes();
    }, POLL_MS);
    this.#poll.unref();
  }

  /**
   * Connects and checks Redis (see `checkRedis`), subscribes to the workers' reports.
   * @throws StepwiseError `QUEUE_UNAVAILABLE`
   */
  static async open(options: ResolvedQueueOptions, logger: Logger): Promise<RunnerLink> {
    const redis = connect(options, 'runner');
    await checkRedis(redis, options, logger);
    const subscriber = connect(options, 'worker');
    try {
      await withTimeout(subscriber.connect(), options.connectTimeoutMs);
      await subscriber.subscribe(queueKeys(options).reports);
    } catch (cause) {
      redis.disconnect();
      subscriber.disconnect();
      throw unavailable(options, cause);
    }
    return new RunnerLink(options, redis, subscriber);
  }

  /**
   * Adds the job and answers its committed outcome; on abort, cancels it on its worker and rejects
   * with the signal's reason.
   * @throws StepwiseError the abort reason's code, `QUEUE_UNAVAILABLE`, `WORKER_EXITED`
   */
  async run(jobId: string, data: QueueJobData, signal: AbortSignal, report: TaskReporter): Promise<JobOutcome> {
    const outcome = new Promise<JobOutcome>((resolve, reject) => this.#waiting.set(jobId, { report, resolve, reject }));
    const onAbort = (): void => {
      const waiting = this.#waiting.get(jobId);
      this.#waiting.delete(jobId);
      waiting?.reject(fromStepError(toStepError(signal.reason, ErrorCode.STEP_CANCELLED)));
      void this.#cancel(jobId, signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      try {
        await this.#queue.add(data.slug, data, { jobId, attempts: 1, ...RETENTION });
      } catch (cause) {
        this.#waiting.get(jobId)?.reject(unavailable(this.#options, cause));
      }
      return await outcome;
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.#waiting.delete(jobId);
      void this.#redis.del(this.#keys.outcome(jobId), this.#keys.lease(jobId)).catch(() => {});
    }
  }

  /** Ends every connection, within a bounded time even when Redis is gone. */
  async close(): Promise<void> {
    clearInterval(this.#poll);
    for (const [jobId, waiting] of this.#waiting)
      waiting.reject(new StepwiseError(ErrorCode.EXECUTOR_CLOSED, `The queue executor closed while job ${jobId} ran.`));
    this.#waiting.clear();
    const closing = Promise.allSettled([
      this.#queue.close(),
      this.#events.close(),
      this.#subscriber.quit(),
      this.#redis.quit(),
    ]);
    await withTimeout(closing, 2000).catch(() => {});
    for (const redis of [this.#subscriber, this.#redis]) redis.disconnect();
    await withTimeout(Promise.allSettled([this.#queue.disconnect(), this.#events.disconnect()]), 1000).catch(() => {});
  }

  async #cancel(jobId: string, reason: unknown): Promise<void> {
    const message: ControlMessage = {
      type: 'cancel',
      job: jobId,
      reason: toStepError(reason, ErrorCode.STEP_CANCELLED),
    };
    try {
      await this.#redis.set(this.#keys.cancelled(jobId), '1', 'EX', MARK_TTL_SECONDS);
      await this.#redis.publish(this.#keys.control, JSON.stringify(message));
      // a job no worker took yet is simply removed (a locked one refuses: its worker got the cancel)
      await this.#queue.remove(jobId).catch(() => 0);
    } catch {
      // Redis is away: the job's worker finds the run's result unwanted when it commits
    }
  }

  #message(text: string): void {
    let report: JobReport;
    try {
      report = JSON.parse(text) as JobReport;
    } catch {
      return;
    }
    const waiting = this.#waiting.get(report.job);
    if (waiting === undefined) return;
    if (report.type === 'log') waiting.report.log(report.level, report.message, report.fields);
    else if (report.type === 'progress') waiting.report.progress(report.done, report.total);
    else void this.#fetch(report.job);
  }

  async #fetch(jobId: string): Promise<void> {
    const text = await this.#redis.get(this.#keys.outcome(jobId)).catch(() => null);
    if (text !== null) this.#waiting.get(jobId)?.resolve(JSON.parse(text) as JobOutcome);
  }

  /**
   * Fails every waiting job with `QUEUE_UNAVAILABLE` once Redis has been unreachable for longer than
   * `connectTimeoutMs`: a run never hangs on a queue that is gone.
   */
  #watchConnection(): void {
    if (this.#redis.status === 'ready') {
      this.#downSince = undefined;
      return;
    }
    this.#downSince ??= Date.now();
    if (Date.now() - this.#downSince <= this.#options.connectTimeoutMs) return;
    const error = unavailable(
      this.#options,
      new Error(`connection ${this.#redis.status} for over ${this.#options.connectTimeoutMs} ms`),
    );
    for (const waiting of this.#waiting.values()) waiting.reject(error);
    this.#waiting.clear();
  }

  async #pollOutcomes(): Promise<void> {
    const ids = [...this.#waiting.keys()];
    if (ids.length === 0) return;
    const texts = await this.#redis.mget(ids.map((id) => this.#keys.outcome(id))).catch(() => []);
    texts.forEach((text, i) => {
      if (text !== null && text !== undefined)
        this.#waiting.get(ids[i] as string)?.resolve(JSON.parse(text) as JobOutcome);
    });
  }

  /** A job BullMQ failed with no outcome: it stalled more often than allowed (its workers died). */
  #failed(jobId: string, reason: string): void {
    const waiting = this.#waiting.get(jobId);
    if (waiting === undefined) return;
    void this.#redis.get(this.#keys.outcome(jobId)).then(
      (text) => {
        if (text !== null) waiting.resolve(JSON.parse(text) as JobOutcome);
        else waiting.reject(workerLost(jobId, reason));
      },
      () => waiting.reject(workerLost(jobId, reason)),
    );
  }
}

function workerLost(jobId: string, reason: string): StepwiseError {
  return new StepwiseError(
    ErrorCode.WORKER_EXITED,
    `Queue job ${jobId} failed without a result: ${reason} (its workers stopped while running it).`,
    { details: { job: jobId } },
  );
}
