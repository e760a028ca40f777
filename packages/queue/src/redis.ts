import { ErrorCode, type Logger, StepwiseError } from '@stepwise/core';
import { Redis, type RedisOptions } from 'ioredis';
import type { ResolvedQueueOptions } from './queue-options.js';

/**
 * A connection for one role. Workers and subscribers wait for Redis forever on each command
 * (`maxRetriesPerRequest: null`, as BullMQ requires of workers); the runner's commands fail after a
 * few retries, so a run never hangs on a command while Redis is away.
 */
export function connect(options: ResolvedQueueOptions, role: 'worker' | 'runner'): Redis {
  const settings: RedisOptions = {
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs,
    maxRetriesPerRequest: role === 'worker' ? null : 3,
    // reconnect forever, backing off to 2 s: a worker comes back by itself when Redis does
    retryStrategy: (times) => Math.min(times * 100, 2000),
  };
  const redis = new Redis(options.redis, settings);
  // ioredis emits 'error' on every failed reconnect; without a listener Node would crash the process
  redis.on('error', () => {});
  return redis;
}

/**
 * Connects `redis` and checks the server as production needs it: reachable within the connect
 * timeout, and `maxmemory-policy` `noeviction` (any other policy may evict a job's keys: a warning,
 * since a managed Redis may forbid reading the setting).
 * @throws StepwiseError `QUEUE_UNAVAILABLE` naming the URL and what to do
 */
export async function checkRedis(redis: Redis, options: ResolvedQueueOptions, logger?: Logger): Promise<void> {
  try {
    if (redis.status === 'wait') await withTimeout(redis.connect(), options.connectTimeoutMs);
    await withTimeout(redis.ping(), options.connectTimeoutMs);
  } catch (cause) {
    redis.disconnect();
    throw unavailable(options, cause);
  }
  const policy = await maxmemoryPolicy(redis);
  if (policy !== undefined && policy !== 'noeviction')
    logger?.warn(
      { policy, redis: safeUrl(options.redis) },
      `Redis maxmemory-policy is "${policy}": Redis may evict queued jobs under memory pressure. Set it to "noeviction" (redis-cli config set maxmemory-policy noeviction).`,
    );
}

/** The QUEUE_UNAVAILABLE error for `options`' Redis. */
export function unavailable(options: ResolvedQueueOptions, cause?: unknown): StepwiseError {
  const reason = cause instanceof Error ? cause.message : cause === undefined ? 'not connected' : String(cause);
  return new StepwiseError(
    ErrorCode.QUEUE_UNAVAILABLE,
    `Cannot reach the queue's Redis at ${safeUrl(options.redis)} (${reason}); start Redis, or set queue.redis in stepwise.config.ts (or REDIS_URL).`,
    { cause, details: { redis: safeUrl(options.redis) } },
  );
}

async function maxmemoryPolicy(redis: Redis): Promise<string | undefined> {
  try {
    const answer = (await redis.call('CONFIG', 'GET', 'maxmemory-policy')) as string[];
    return answer[1];
  } catch {
    return undefined;
  }
}

/** The URL without its password, for messages and logs. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return 'an invalid Redis URL';
  }
}

/** `promise`, or a rejection after `ms` milliseconds. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
