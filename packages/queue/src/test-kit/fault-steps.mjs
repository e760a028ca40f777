/**
 * Step types of the queue's tests, loaded by `stepwise worker` processes from a test project's
 * config. Every execution of the fault steps appends `<worker pid> <row>` to the file named by the
 * step's `log` param, so a test counts how often each row ran and where.
 */
import { appendFileSync } from 'node:fs';
import { stepType } from '@stepwise/core';
import { z } from 'zod';

const params = z.object({ log: z.string(), ms: z.number().default(50) });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** row_iterative: logs the row, waits `ms`, doubles it. */
export const qSlowDouble = stepType(
  { slug: 'q_slow_double', inputType: 'JSON', outputType: 'JSON', mode: 'row_iterative', params },
  async (n, { log, ms }) => {
    appendFileSync(log, `${process.pid} ${n}\n`);
    await sleep(ms);
    return n * 2;
  },
);

/** batch: logs its start, waits `ms`, answers the pid of the worker it ran on. */
export const qSlowWho = stepType(
  { slug: 'q_slow_who', inputType: 'JSON', outputType: 'JSON', params },
  async (_input, { log, ms }) => {
    appendFileSync(log, `${process.pid} start\n`);
    await sleep(ms);
    return { pid: process.pid };
  },
);

/** batch, no input: logs at info and warn (with a field) and reports progress, naming its worker's pid. */
export const qChatty = stepType({ slug: 'q_chatty', outputType: 'JSON' }, (_input, _params, ctx) => {
  ctx.log.info('hello from worker %d', process.pid);
  ctx.progress(1, 2);
  ctx.log.warn({ pid: process.pid }, 'half way');
  ctx.progress(2, 2);
  return { pid: process.pid };
});

/** row_iterative: adds one (the many-partitions test's trivial work). */
export const qInc = stepType(
  { slug: 'q_inc', inputType: 'JSON', outputType: 'JSON', mode: 'row_iterative' },
  (n) => n + 1,
);
