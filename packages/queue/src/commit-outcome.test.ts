/**
 * The commit script against BullMQ's own job hashes: a job's lease is the attempt number BullMQ
 * raises when it hands the job to a worker, so only that attempt's result is committed, once, and
 * none for a job that is cancelled, gone from Redis or finished. A BullMQ upgrade that stopped
 * numbering attempts this way fails here before it lets a late result through.
 */
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMIT_OUTCOME } from './job-protocol.js';
import { MARK_TTL_SECONDS, queueKeys } from './queue-options.js';
import { queueTestsRun, REDIS_URL, testPrefix } from './test-kit/redis.js';

const runs = await queueTestsRun('queue: committing outcomes');
const prefix = testPrefix('commit');
const name = 'steps';
const keys = queueKeys({ prefix, queue: name });
const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: null });
const queue = new Queue(name, { prefix, connection: { url: REDIS_URL } });
// no processor and no autorun: the test takes jobs by hand, as BullMQ hands them to a processor
const worker = new Worker(name, null, { prefix, connection: { url: REDIS_URL }, autorun: false });

/** Runs COMMIT_OUTCOME for `jobId` as `lease`; answers its result (1 committed, 0 refused, 2 cancelled). */
async function commit(jobId: string, lease: string): Promise<number> {
  const outcome = JSON.stringify({ ok: true, inline: 'AA==', lease, worker: 'test' });
  return (await redis.eval(
    COMMIT_OUTCOME,
    3,
    queue.toKey(jobId),
    keys.outcome(jobId),
    keys.cancelled(jobId),
    lease,
    outcome,
    MARK_TTL_SECONDS,
    keys.reports,
    JSON.stringify(jobId),
    '1',
  )) as number;
}

describe.skipIf(!runs)('committing a job outcome', () => {
  afterAll(async () => {
    await Promise.allSettled([worker.close(), queue.obliterate({ force: true })]);
    const left = await redis.keys(`${prefix}:*`);
    if (left.length > 0) await redis.del(...left);
    await queue.close();
    redis.disconnect();
  });

  it('commits the current attempt once; refuses a late attempt, a cancelled, gone or finished job', async () => {
    await redis.connect();
    const subscriber = redis.duplicate();
    const notices: string[] = [];
    await subscriber.subscribe(keys.reports);
    // the test's own last message: every notice published before it has arrived
    const ended = new Promise<void>((resolve) =>
      subscriber.on('message', (_channel: string, text: string) => (text === 'end' ? resolve() : notices.push(text))),
    );
    try {
      await queue.add('a', {}, { jobId: 'a' });
      const first = await worker.getNextJob('token-1');
      expect(first?.attemptsStarted).toBe(1);
      // handed back (as a worker shutting down does), then taken again: the second attempt
      await first?.moveToDelayed(Date.now(), 'token-1');
      const second = await worker.getNextJob('token-2');
      expect(second?.id).toBe('a');
      expect(second?.attemptsStarted).toBe(2);
      expect(await commit('a', '1')).toBe(0);
      expect(await redis.exists(keys.outcome('a'))).toBe(0);
      expect(await commit('a', '2')).toBe(1);
      expect(await commit('a', '2')).toBe(0);
      expect(JSON.parse((await redis.get(keys.outcome('a'))) as string)).toMatchObject({ lease: '2' });

      await queue.add('b', {}, { jobId: 'b' });
      await worker.getNextJob('token-b');
      await redis.set(keys.cancelled('b'), '1');
      expect(await commit('b', '1')).toBe(2);
      expect(await redis.exists(keys.outcome('b'))).toBe(0);

      await queue.add('c', {}, { jobId: 'c' });
      await worker.getNextJob('token-c');
      // Redis lost the job (a restart without persistence)
      await redis.del(queue.toKey('c'));
      expect(await commit('c', '1')).toBe(0);

      await queue.add('d', {}, { jobId: 'd' });
      const failed = await worker.getNextJob('token-d');
      // BullMQ failed it (stalled too often) while its worker still ran it
      await failed?.moveToFailed(new Error('job stalled more than allowable limit'), 'token-d', false);
      expect(await commit('d', '1')).toBe(0);
      expect(await redis.exists(keys.outcome('d'))).toBe(0);

      // one notice, for the one commit, after it, with the outcome
      await redis.publish(keys.reports, 'end');
      await ended;
      expect(notices.map((text) => JSON.parse(text))).toEqual([
        { type: 'done', job: 'a', outcome: { ok: true, inline: 'AA==', lease: '2', worker: 'test' } },
      ]);
    } finally {
      subscriber.disconnect();
    }
  });
});
