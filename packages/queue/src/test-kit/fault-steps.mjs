/**
 * Step types of the queue's fault tests, loaded by `stepwise worker` processes from a test
 * project's config. Every execution appends `<worker pid> <row>` to the file named by the step's
 * `log` param, so a test counts how often each row ran and where.
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
