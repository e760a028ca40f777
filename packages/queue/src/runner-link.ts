import { randomUUID } from 'node:crypto';
import { ErrorCode, fromStepError, type Logger, StepwiseError, type TaskReporter, toStepError } from '@stepwise/core';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ControlMessage, JobOutcome, JobReport, QueueJobData } from './job-protocol.js';
import { MARK_TTL_SECONDS, type QueueKeys, queueKeys, RETENTION, type ResolvedQueueOptions } from './queue-options.js';
import { checkRedis, connect, unavailable, withTimeout } from './redis.js';

/** A job the runner waits for. */
interface Waiting {
  report: TaskReporter;
  /** Set once Redis took the job: from then on, a job gone from Redis without an outcome is lost. */
  added: boolean;
  resolve(outcome: JobOutcome): void;
  reject(error: StepwiseError | JobLost): void;
}

/** How often the runner looks for outcomes whose "done" notice it missed (a reconnect drops pub/sub messages). */
const POLL_MS = 1000;

/**
 * Outcomes read are deleted in batches: one DEL for up to this many, or for those of the last
 * {@link POLL_MS}, instead of a command (and a wake-up of Redis and of the runner) per job.
 */
const DELETE_BATCH = 256;

/** How often one task's job may vanish from Redis and be added again before the task fails. */
const MAX_READDS = 3;

/**
 * Answers, per job, its committed outcome (JSON), `lost` when Redis has neither the outcome nor the
 * job (Redis restarted without persistence, or evicted it), `failed:<reason>` when BullMQ failed it
 * (it stalled more often than allowed), or an empty string while it waits or runs.
 * KEYS: outcome key, job key, for each job in turn. One script, so no outcome lands between the looks.
 */
const LOOK_UP_JOBS = `
local answers = {}
for i = 1, #KEYS, 2 do
  local text = redis.call('GET', KEYS[i])
  if text then answers[#answers + 1] = text
  elseif redis.call('EXISTS', KEYS[i + 1]) == 0 then answers[#answers + 1] = 'lost'
  else
    local failed = redis.call('HMGET', KEYS[i + 1], 'finishedOn', 'failedReason')
    if failed[1] and failed[2] then answers[#answers + 1] = 'failed:' .. failed[2]
    else answers[#answers + 1] = '' end
  end
end
return answers`;

/** A job Redis no longer has, with no outcome: the runner adds it again under a new id. */
class JobLost extends Error {}

/**
 * The runner's side of the queue: its connections (commands, the reports subscription, BullMQ's
 * queue), and the jobs it waits for. One per queue executor, opened on its first task. It does not
 * follow BullMQ's events stream (QueueEvents): a job's outcome comes on the reports channel, and the
 * rare job BullMQ fails (stalled twice) is found by the poll; reading every event of every job cost
 * the runner a wake-up or more per job.
 */
export class RunnerLink {
  readonly #options: ResolvedQueueOptions;
  readonly #logger: Logger;
  readonly #keys: QueueKeys;
  readonly #waiting = new Map<string, Waiting>();
  readonly #redis: Redis;
  readonly #subscriber: Redis;
  readonly #queue: Queue;
  readonly #poll: NodeJS.Timeout;
  /** Keys of outcomes read (or of jobs given up), deleted by the next {@link RunnerLink.#deleteSpent}. */
  #spent: string[] = [];
  /** Since when Redis has been unreachable, while it is. */
  #downSince: number | undefined;

  private constructor(options: ResolvedQueueOptions, logger: Logger, redis: Redis, subscriber: Redis) {
    this.#options = options;
    this.#logger = logger;
    this.#keys = queueKeys(options);
    this.#redis = redis;
    this.#subscriber = subscriber;
    const bull = { prefix: options.prefix, connection: connect(options, 'runner') };
    this.#queue = new Queue(options.queue, { ...bull, streams: { events: { maxLen: 1000 } } });
    this.#queue.on('error', () => {});
    subscriber.on('message', (_channel: string, text: string) => this.#message(text));
    this.#poll = setInterval(() => {
      this.#watchConnection();
      void this.#deleteSpent();
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
    return new RunnerLink(options, logger, redis, subscriber);
  }

  /**
   * Adds the job and answers its committed outcome; on abort, cancels it on its worker and rejects
   * with the signal's reason. A job Redis loses (a restart without persistence) is added again under
   * a new id, up to {@link MAX_READDS} times; a late result of the lost job is refused by its lease.
   * @throws StepwiseError the abort reason's code, `QUEUE_UNAVAILABLE`, `WORKER_EXITED`
   */
  async run(jobId: string, data: QueueJobData, signal: AbortSignal, report: TaskReporter): Promise<JobOutcome> {
    let current = jobId;
    const onAbort = (): void => {
      const waiting = this.#waiting.get(current);
      this.#waiting.delete(current);
      waiting?.reject(abortError(signal));
      void this.#cancel(current, signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      for (let readds = 0; ; readds++) {
        try {
          return await this.#runJob(current, data, signal, report);
        } catch (error) {
          if (!(error instanceof JobLost)) throw error;
          if (readds >= MAX_READDS) throw lostTooOften(this.#options, data, readds + 1);
          this.#logger.warn(
            { job: current, stepId: data.stepId, runId: data.runId },
            'queue: job %s of step "%s" is gone from Redis with no result (Redis restarted without persistence?); adding it again',
            current,
            data.stepId,
          );
          current = randomUUID();
        }
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** One job of {@link run}: rejects with {@link JobLost} when Redis loses it. */
  async #runJob(jobId: string, data: QueueJobData, signal: AbortSignal, report: TaskReporter): Promise<JobOutcome> {
    if (signal.aborted) throw abortError(signal);
    let waiting: Waiting | undefined;
    const outcome = new Promise<JobOutcome>((resolve, reject) => {
      waiting = { report, added: false, resolve, reject };
      this.#waiting.set(jobId, waiting);
    });
    // close() or an abort may reject it while the add below is in flight, before `await outcome`
    // handles it: without a handler now, that rejection would be reported as unhandled
    outcome.catch(() => {});
    try {
      try {
        await this.#queue.add(data.slug, data, { jobId, attempts: 1, ...RETENTION });
        if (waiting !== undefined) waiting.added = true;
      } catch (cause) {
        this.#waiting.get(jobId)?.reject(unavailable(this.#options, cause));
      }
      return await outcome;
    } finally {
      this.#waiting.delete(jobId);
      this.#spent.push(this.#keys.outcome(jobId));
      if (this.#spent.length >= DELETE_BATCH) void this.#deleteSpent();
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
      this.#subscriber.quit(),
      this.#deleteSpent().then(() => this.#redis.quit()),
    ]);
    await withTimeout(closing, 2000).catch(() => {});
    for (const redis of [this.#subscriber, this.#redis]) redis.disconnect();
    await withTimeout(this.#queue.disconnect(), 1000).catch(() => {});
  }

  /** Deletes the outcomes read since the last call (one command); what Redis misses expires with its TTL. */
  async #deleteSpent(): Promise<void> {
    if (this.#spent.length === 0 || this.#redis.status !== 'ready') return;
    const keys = this.#spent;
    this.#spent = [];
    await this.#redis.del(...keys).catch(() => {});
  }

  async #cancel(jobId: string, reason: unknown): Promise<void> {
    const message: ControlMessage = {
      type: 'cancel',
      job: jobId,
      reason: toStepError(reason, ErrorCode.STEP_CANCELLED),
    };
    try {
      // the mark first: a worker that took the job before any of this finds it when it commits
      await this.#redis.set(this.#keys.cancelled(jobId), '1', 'EX', MARK_TTL_SECONDS);
      // a job no worker took yet is simply removed; a locked one refuses, and its worker is told to stop
      // (told after the removal, so a worker that took the job meanwhile has it among its running jobs)
      await this.#queue.remove(jobId).catch(() => 0);
      await this.#redis.publish(this.#keys.control, JSON.stringify(message));
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
    else if (report.outcome !== undefined) waiting.resolve(report.outcome);
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

  /**
   * Resolves jobs whose outcome is there (their notice was missed); fails lost ones with
   * {@link JobLost}, and those BullMQ failed with `WORKER_EXITED`.
   */
  async #pollOutcomes(): Promise<void> {
    const ids = [...this.#waiting].filter(([, waiting]) => waiting.added).map(([id]) => id);
    if (ids.length === 0 || this.#redis.status !== 'ready') return;
    const keys = ids.flatMap((id) => [this.#keys.outcome(id), this.#queue.toKey(id)]);
    const answers = (await this.#redis.eval(LOOK_UP_JOBS, keys.length, ...keys).catch(() => [])) as string[];
    answers.forEach((text, i) => {
      const waiting = this.#waiting.get(ids[i] as string);
      if (waiting === undefined || text === '') return;
      if (text === 'lost') waiting.reject(new JobLost());
      else if (text.startsWith('failed:')) waiting.reject(workerLost(ids[i] as string, text.slice(7)));
      else waiting.resolve(JSON.parse(text) as JobOutcome);
    });
  }
}

function abortError(signal: AbortSignal): StepwiseError {
  return fromStepError(toStepError(signal.reason, ErrorCode.STEP_CANCELLED));
}

function lostTooOften(options: ResolvedQueueOptions, data: QueueJobData, times: number): StepwiseError {
  return unavailable(
    options,
    new Error(
      `the job of step "${data.stepId}" vanished from Redis ${times} times without a result: Redis restarts without persistence or evicts keys; enable appendonly and maxmemory-policy noeviction`,
    ),
  );
}

function workerLost(jobId: string, reason: string): StepwiseError {
  return new StepwiseError(
    ErrorCode.WORKER_EXITED,
    `Queue job ${jobId} failed without a result: ${reason} (its workers stopped while running it).`,
    { details: { job: jobId } },
  );
}
