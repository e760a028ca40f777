import { resolve } from 'node:path';

/** Where the queue is and how it behaves: what the runner's executor and every worker agree on. */
export interface QueueOptions {
  /** The Redis URL (`redis://host:port/db`); defaults to `REDIS_URL`, else `redis://127.0.0.1:6379`. */
  redis?: string;
  /**
   * The directory of the file store every worker and the runner reach (a shared path: NFS, a
   * volume): inputs are staged there and outputs written there, by ref. Defaults to `.stepwise/store`.
   */
  store?: string;
  /** The Redis key prefix of this project's queue (one per project, so projects never share jobs); defaults to `stepwise`. */
  prefix?: string;
  /** The BullMQ queue name; defaults to `steps`. */
  queue?: string;
  /**
   * Milliseconds a worker holds a job's lock without renewing it (renewed every half of it): a
   * worker killed or stalled this long loses the job to another worker. Defaults to 30 000.
   */
  lockDurationMs?: number;
  /** Milliseconds between checks for stalled jobs; defaults to `lockDurationMs`. */
  stalledIntervalMs?: number;
  /** Milliseconds to wait for Redis when connecting (at start, and before failing a waiting run); defaults to 10 000. */
  connectTimeoutMs?: number;
}

/** {@link QueueOptions} with every default filled in. */
export type ResolvedQueueOptions = Required<QueueOptions>;

/** The defaults, documented in docs/distributed.md. */
export const QUEUE_DEFAULTS = {
  redis: 'redis://127.0.0.1:6379',
  store: '.stepwise/store',
  prefix: 'stepwise',
  queue: 'steps',
  lockDurationMs: 30_000,
  connectTimeoutMs: 10_000,
} as const;

/** Retention of finished jobs: bounded by age and count, so Redis memory stays flat over time. */
export const RETENTION = {
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: { age: 24 * 3600, count: 5000 },
} as const;

/** Seconds a committed outcome or a cancel mark is kept in Redis (outcomes are read and deleted long before). */
export const MARK_TTL_SECONDS = 24 * 3600;

/** Fills in the defaults of `options`; a relative store resolves against `root`. */
export function resolveQueueOptions(options: QueueOptions, root = process.cwd()): ResolvedQueueOptions {
  const lockDurationMs = options.lockDurationMs ?? QUEUE_DEFAULTS.lockDurationMs;
  return {
    redis: options.redis ?? process.env.REDIS_URL ?? QUEUE_DEFAULTS.redis,
    store: resolve(root, options.store ?? QUEUE_DEFAULTS.store),
    prefix: options.prefix ?? QUEUE_DEFAULTS.prefix,
    queue: options.queue ?? QUEUE_DEFAULTS.queue,
    lockDurationMs,
    stalledIntervalMs: options.stalledIntervalMs ?? lockDurationMs,
    connectTimeoutMs: options.connectTimeoutMs ?? QUEUE_DEFAULTS.connectTimeoutMs,
  };
}

/** The Redis keys and channels of one queue beside BullMQ's own. */
export function queueKeys(options: Pick<ResolvedQueueOptions, 'prefix' | 'queue'>) {
  const base = `${options.prefix}:${options.queue}:stepwise`;
  return {
    outcome: (jobId: string) => `${base}:outcome:${jobId}`,
    cancelled: (jobId: string) => `${base}:cancelled:${jobId}`,
    /** Logs, progress and "done" notices from workers to runners. */
    reports: `${base}:reports`,
    /** Cancellations from runners to workers. */
    control: `${base}:control`,
  };
}

/** The keys of {@link queueKeys}. */
export type QueueKeys = ReturnType<typeof queueKeys>;
