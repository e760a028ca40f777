/**
 * Step types of the parallel example: a row_iterative score that is worth spreading over worker
 * threads, a batch summary of it, four streaming steps that run fused, chunk by chunk, and two
 * row_iterative steps that fail on purpose (a coded error, and a busy loop past its timeout).
 * Worker threads import this module (it is listed in ./stepwise.config.ts) and find the step types
 * by slug.
 */
import { StepwiseError, stepType } from '@stepwise/core';
import { z } from 'zod';

/** A deliberately costly integer hash: 200 rounds of xor-shift and multiply. */
function mix(x: number): number {
  let h = x | 0;
  for (let round = 0; round < 200; round++) {
    h ^= h << 13;
    h ^= h >>> 17;
    h ^= h << 5;
    h = Math.imul(h, 0x9e3779b1);
  }
  return h >>> 0;
}

/** row_iterative: one number in, its score out; rows scoring under 10% are dropped. */
export const scoreRow = stepType(
  { slug: 'score_row', inputType: 'JSON', outputType: 'JSON', mode: 'row_iterative' },
  (n) => {
    const score = mix(n as number) / 2 ** 32;
    return score < 0.1 ? null : { n: n as number, score: Math.round(score * 1000) / 1000 };
  },
);

/** batch: the whole list of scored rows at once, summarized. */
export const summarizeScores = stepType({ slug: 'summarize_scores', inputType: 'JSON', outputType: 'JSON' }, (rows) => {
  const scores = (rows as { score: number }[]).map((row) => row.score);
  const mean = scores.reduce((a, b) => a + b, 0) / Math.max(1, scores.length);
  return { count: scores.length, mean: Math.round(mean * 1000) / 1000 };
});

/** row_iterative: refuses negative numbers with a coded error (the code survives the thread boundary). */
export const checkRow = stepType(
  { slug: 'check_row', inputType: 'JSON', outputType: 'JSON', mode: 'row_iterative' },
  (n) => {
    if ((n as number) < 0)
      throw new StepwiseError('NEGATIVE_NUMBER', `${String(n)} is negative`, { details: { value: n as number } });
    return n;
  },
);

/**
 * row_iterative: CPU-bound work of `msPerRow` milliseconds per row, in a loop nothing can interrupt
 * (no await): past `strategy.timeoutMs` only ending its thread stops it.
 */
export const busyRow = stepType(
  {
    slug: 'busy_row',
    inputType: 'JSON',
    outputType: 'JSON',
    mode: 'row_iterative',
    params: z.object({ msPerRow: z.number().min(0).default(50) }),
  },
  (n, { msPerRow }) => {
    const until = Date.now() + msPerRow;
    while (Date.now() < until) {
      // busy
    }
    return n;
  },
);

/** streaming source: 10,000 CSV lines `id,amount`, in chunks of 1,000. */
export const generateLines = stepType({ slug: 'generate_lines', outputType: 'JSON', mode: 'streaming' }, function* () {
  for (let start = 0; start < 10_000; start += 1_000) {
    yield Array.from({ length: 1_000 }, (_, i) => `${start + i},${((start + i) % 21) - 10}`);
  }
});

/** streaming: CSV lines to `{ id, amount }` rows. */
export const parseLines = stepType(
  { slug: 'parse_lines', inputType: 'JSON', outputType: 'JSON', mode: 'streaming' },
  async function* (chunks) {
    for await (const chunk of chunks) {
      yield (chunk as string[]).map((line) => {
        const [id, amount] = line.split(',');
        return { id: Number(id), amount: Number(amount) };
      });
    }
  },
);

/** streaming: keeps rows with a positive amount. */
export const keepPositive = stepType(
  { slug: 'keep_positive', inputType: 'JSON', outputType: 'JSON', mode: 'streaming' },
  async function* (chunks) {
    for await (const chunk of chunks) yield (chunk as { amount: number }[]).filter((row) => row.amount > 0);
  },
);

/** streaming: one running total over the whole stream, yielded at the end. */
export const sumAmounts = stepType(
  { slug: 'sum_amounts', inputType: 'JSON', outputType: 'JSON', mode: 'streaming' },
  async function* (chunks) {
    let rows = 0;
    let total = 0;
    for await (const chunk of chunks) {
      for (const row of chunk as { amount: number }[]) {
        rows += 1;
        total += row.amount;
      }
    }
    yield [{ rows, total }];
  },
);
