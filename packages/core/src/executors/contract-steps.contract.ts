/**
 * Step types of the executor contract suite. Worker threads import this module by path, so it
 * must not import vitest; the suite and the threads import the same definitions.
 */
import { StepwiseError } from '../errors/stepwise-error.js';
import { stepType } from '../registry/define-step-type.js';

const io = { inputType: 'JSON', outputType: 'JSON' } as const;

/** row_iterative: doubles a number. */
export const cDouble = stepType({ slug: 'c_double', ...io, mode: 'row_iterative' }, (n) => (n as number) * 2);

/** row_iterative: drops odd numbers, repeats multiples of 3, keeps the rest. */
export const cExpandDrop = stepType({ slug: 'c_expand_drop', ...io, mode: 'row_iterative' }, (n) => {
  const v = n as number;
  if (v % 2 === 1) return null;
  return v % 3 === 0 ? [v, v] : v;
});

/** row_iterative, asynchronous: adds one after a tick. */
export const cAsyncInc = stepType({ slug: 'c_async_inc', ...io, mode: 'row_iterative' }, async (n) => {
  await new Promise((resolve) => setImmediate(resolve));
  return (n as number) + 1;
});

/** batch: the sum of an array of numbers. */
export const cSum = stepType({ slug: 'c_sum', ...io }, (values) => (values as number[]).reduce((a, b) => a + b, 0));

/** streaming: multiplies every number by ten, chunk by chunk. */
export const cStreamScale = stepType({ slug: 'c_stream_scale', ...io, mode: 'streaming' }, async function* (chunks) {
  for await (const chunk of chunks) yield (chunk as number[]).map((v) => v * 10);
});

/** streaming: keeps even numbers; a synchronous generator is fine too. */
export const cStreamEven = stepType({ slug: 'c_stream_even', ...io, mode: 'streaming' }, async function* (chunks) {
  for await (const chunk of chunks) yield (chunk as number[]).filter((v) => v % 2 === 0);
});

/** streaming source: 0..19 in chunks of 5. */
export const cStreamSource = stepType({ slug: 'c_stream_source', outputType: 'JSON', mode: 'streaming' }, function* () {
  for (let i = 0; i < 20; i += 5) yield [i, i + 1, i + 2, i + 3, i + 4];
});

function reject(value: unknown): never {
  throw new StepwiseError('ROW_REJECTED', `value ${String(value)} is rejected`, {
    details: { value: value as number },
  });
}

/** Each mode's failing step: throws a coded error on the value 3. */
export const cRowThrow = stepType({ slug: 'c_row_throw', ...io, mode: 'row_iterative' }, (n) =>
  n === 3 ? reject(n) : n,
);
export const cBatchThrow = stepType({ slug: 'c_batch_throw', ...io }, (values) =>
  (values as number[]).includes(3) ? reject(3) : values,
);
export const cStreamThrow = stepType({ slug: 'c_stream_throw', ...io, mode: 'streaming' }, async function* (chunks) {
  for await (const chunk of chunks) yield (chunk as number[]).map((v) => (v === 3 ? reject(v) : v));
});

/** Each mode's step that never ends (a busy loop: nothing but terminating the thread stops it off-thread). */
function spin(): never {
  for (;;) {
    // busy
  }
}
export const cRowSpin = stepType({ slug: 'c_row_spin', ...io, mode: 'row_iterative' }, (n) => (n === 3 ? spin() : n));

/** Calls process.exit in the middle of a row. */
export const cRowExit = stepType({ slug: 'c_row_exit', ...io, mode: 'row_iterative' }, (n) => {
  if (n === 3) process.exit(7);
  return n;
});

/** Allocates until the heap is exhausted. */
export const cRowHog = stepType({ slug: 'c_row_hog', ...io, mode: 'row_iterative' }, (n) => {
  const hoard: number[][] = [];
  for (;;) hoard.push(new Array(1_000_000).fill(n));
});
