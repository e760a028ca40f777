// Step types for the server's tests: JSON steps (numbers, double, sum), one that waits while a file
// exists (to catch a run mid-way), one that reports progress fast (to see it coalesced), and one that
// fails on rows over its limit (to fail a run, fix the config and resume).
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { stepType } from '@stepwise/core';
import { z } from 'zod';

export const numbers = stepType(
  {
    slug: 'srv_numbers',
    params: z.object({ count: z.number().int().min(0).max(100_000).default(3) }),
    outputType: 'JSON',
    metadata: { category: 'test' },
  },
  (_input, { count }) => Array.from({ length: count }, (_, i) => ({ n: i + 1, label: `row ${i + 1}` })),
);

export const double = stepType({ slug: 'srv_double', inputType: 'JSON', outputType: 'JSON' }, (rows) =>
  (rows as { n: number }[]).map((row) => ({ ...row, n: row.n * 2 })),
);

export const sum = stepType({ slug: 'srv_sum', inputType: 'JSON', outputType: 'JSON' }, (rows) =>
  (rows as { n: number }[]).reduce((total, row) => total + row.n, 0),
);

/** Waits while the file `hold` exists (checked every 20 ms), then passes its input on. */
export const gate = stepType(
  { slug: 'srv_gate', inputType: 'JSON', outputType: 'JSON', params: z.object({ hold: z.string() }) },
  async (rows, { hold }, ctx) => {
    while (existsSync(hold)) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      await sleep(20);
    }
    return rows;
  },
);

/** Reports progress `steps` times, `everyMs` apart. */
export const busy = stepType(
  {
    slug: 'srv_busy',
    inputType: 'JSON',
    outputType: 'JSON',
    params: z.object({ steps: z.number().int().min(1).default(50), everyMs: z.number().min(0).default(2) }),
  },
  async (rows, { steps, everyMs }, ctx) => {
    for (let done = 1; done <= steps; done++) {
      await sleep(everyMs);
      ctx.progress(done, steps);
    }
    ctx.log.info('busy done');
    return rows;
  },
);

/** Passes its rows on, or fails naming the first row whose `n` is over `max`. */
export const limit = stepType(
  {
    slug: 'srv_limit',
    inputType: 'JSON',
    outputType: 'JSON',
    params: z.object({ max: z.number().default(100) }),
  },
  (rows, { max }) => {
    const over = (rows as { n: number }[]).find((row) => row.n > max);
    if (over !== undefined) throw new Error(`A row has n = ${over.n}, over the limit ${max}.`);
    return rows;
  },
);
