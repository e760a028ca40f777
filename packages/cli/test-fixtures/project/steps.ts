// Step types for the command's tests: JSON only, so they need nothing but @stepwise/core.
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { type StepContext, stepType } from '@stepwise/core';
import { z } from 'zod';

export const numbers = stepType(
  { slug: 'test_numbers', params: z.object({ count: z.number().int().min(0).default(3) }), outputType: 'JSON' },
  (_input, { count }) => Array.from({ length: count }, (_, i) => i + 1),
);

export const double = stepType(
  { slug: 'test_double', inputType: 'JSON', outputType: 'JSON' },
  (values, _params, ctx) => {
    const list = values as number[];
    ctx.progress(list.length, list.length);
    return list.map((n) => n * 2);
  },
);

export const sum = stepType({ slug: 'test_sum', inputType: 'JSON', outputType: 'JSON' }, (values) =>
  (values as number[]).reduce((a, b) => a + b, 0),
);

// biome-ignore lint/complexity/noStaticOnlyClass: the decorator form of stepType decorates static methods
class Flaky {
  /** Fails while the file named by `flag` exists: the test removes it, then resumes. */
  @stepType({ slug: 'test_flaky', inputType: 'JSON', outputType: 'JSON', params: z.object({ flag: z.string() }) })
  static flaky(values: unknown, { flag }: { flag: string }) {
    if (existsSync(flag)) throw new Error(`flag file ${flag} is present`, { cause: new Error('the disk said no') });
    return values;
  }
}
void Flaky;

export const slow = stepType({ slug: 'test_slow', inputType: 'JSON', outputType: 'JSON' }, (values, _params, ctx) => {
  // settles only when the run is cancelled: the SIGINT test interrupts it
  return new Promise((resolve, reject) => {
    ctx.progress(0, 10);
    ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
    if (ctx.signal.aborted) reject(ctx.signal.reason);
    void resolve;
    void values;
  });
});

export const chatty = stepType(
  { slug: 'test_chatty', inputType: 'JSON', outputType: 'JSON' },
  (values, _params, ctx) => {
    ctx.log.debug('debug from the step');
    ctx.log.info('info from the step');
    return values;
  },
);

export const touch = stepType(
  { slug: 'test_touch', outputType: 'JSON', params: z.object({ path: z.string() }) },
  (_input, { path }) => {
    // a visible side effect: tests assert it did not happen when nothing should have run
    writeFileSync(path, 'ran');
    return [1];
  },
);

export const square = stepType(
  { slug: 'test_square', inputType: 'JSON', outputType: 'JSON', mode: 'row_iterative' },
  (row) => (row as number) ** 2,
);

// Two step types with infer hooks (a table of named columns, and a pick of one column) around test_double,
// which has none: validate says which steps it could not check.
export const table = stepType(
  {
    slug: 'test_table',
    outputType: 'JSON',
    params: z.object({ columns: z.array(z.string()) }),
    infer: ({ columns }) => ({ shape: { columns } }),
  },
  (_input, { columns }) => [Object.fromEntries(columns.map((name) => [name, 1]))],
);

export const pick = stepType(
  {
    slug: 'test_pick',
    inputType: 'JSON',
    outputType: 'JSON',
    params: z.object({ column: z.string() }),
    infer: ({ column }, { input }) =>
      input?.columns === undefined || input.columns.includes(column)
        ? { shape: { columns: [column] } }
        : { issues: [{ path: ['column'], message: `no column "${column}"` }] },
  },
  (rows, { column }) => (rows as Record<string, unknown>[]).map((row) => ({ [column]: row[column] })),
);

export const chattyRows = stepType(
  { slug: 'test_chatty_rows', inputType: 'JSON', outputType: 'JSON', mode: 'row_iterative' },
  (row, _params, ctx) => {
    // run on worker threads by chatty-threads.json: its lines and progress must still reach the command
    ctx.log.info('squaring %d', row);
    ctx.progress(row as number, 6);
    return (row as number) ** 2;
  },
);

/** Fails its first `failures` attempts, then passes its input on: retries are shown as they happen. */
export const retried = stepType(
  {
    slug: 'test_retry',
    inputType: 'JSON',
    outputType: 'JSON',
    params: z.object({ failures: z.number().int().min(0) }),
  },
  (values, { failures }, ctx) => {
    if (ctx.attempt <= failures) throw new Error(`attempt ${ctx.attempt} fails on purpose`);
    return values;
  },
);

const tallyParams = z.object({ tally: z.string(), hold: z.string().optional() });

/** Appends the step id to `tally` (the kill tests count which steps ran), then waits while the file `hold` exists. */
async function tallyAndHold(params: z.output<typeof tallyParams>, ctx: StepContext): Promise<void> {
  appendFileSync(params.tally, `${ctx.stepId}\n`);
  while (params.hold !== undefined && existsSync(params.hold)) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The first step of the kill tests' workflows: tallies, holds, outputs 1. */
export const tallyStart = stepType(
  { slug: 'test_tally_start', outputType: 'JSON', params: tallyParams },
  async (_input, params, ctx) => {
    await tallyAndHold(params, ctx);
    return 1;
  },
);

/** Tallies, holds, and outputs its input plus one. */
export const tally = stepType(
  { slug: 'test_tally', inputType: 'JSON', outputType: 'JSON', params: tallyParams },
  async (value, params, ctx) => {
    await tallyAndHold(params, ctx);
    return (value as number) + 1;
  },
);

/** Waits `ms` (or until cancelled or timed out), then passes its input on. */
export const sleep = stepType(
  { slug: 'test_sleep', inputType: 'JSON', outputType: 'JSON', params: z.object({ ms: z.number().int().min(0) }) },
  (values, { ms }, ctx) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => resolve(values), ms);
      ctx.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(ctx.signal.reason);
      });
    }),
);

// Throws something huge (issue 8: errors are stored, sent and printed bounded).
export const loud = stepType(
  {
    slug: 'test_loud',
    inputType: 'JSON',
    outputType: 'JSON',
    params: z.object({
      megabytes: z.number().default(50),
      kind: z.enum(['message', 'details', 'causes', 'aggregate']),
    }),
  },
  (_values, { megabytes, kind }) => {
    const big = 'x'.repeat(megabytes * 1024 * 1024);
    if (kind === 'message') throw new Error(big);
    if (kind === 'details') throw Object.assign(new Error('rejected'), { code: 'ROW_REJECTED', details: { big } });
    if (kind === 'aggregate')
      throw new AggregateError(
        Array.from({ length: 50 }, (_, i) => new Error(`inner ${i} ${big.slice(0, 100_000)}`)),
        'many failed',
      );
    let error = new Error('root cause');
    for (let i = 1; i < 1000; i++) error = new Error(`wrapped ${i}`, { cause: error });
    throw error;
  },
);
