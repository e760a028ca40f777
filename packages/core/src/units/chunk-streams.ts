import { ErrorCode } from '../errors/codes.js';
import { StepwiseError } from '../errors/stepwise-error.js';

/** True for anything `for await` accepts. */
export function isIterableLike(value: unknown): value is AsyncIterable<unknown> | Iterable<unknown> {
  if (value === null || value === undefined || typeof value === 'string') return false;
  const v = value as Record<symbol, unknown>;
  return typeof v[Symbol.asyncIterator] === 'function' || typeof v[Symbol.iterator] === 'function';
}

/** The iterator of a sync or async iterable, as an async iterator. */
export function asyncIteratorOf(source: AsyncIterable<unknown> | Iterable<unknown>): AsyncIterator<unknown> {
  const async = (source as AsyncIterable<unknown>)[Symbol.asyncIterator];
  if (typeof async === 'function') return async.call(source);
  const sync = (source as Iterable<unknown>)[Symbol.iterator]();
  return {
    next: async () => sync.next(),
    return: async (value?: unknown) => sync.return?.(value) ?? { done: true, value },
  };
}

/** The reason an abort signal carries, as an error worth throwing. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new StepwiseError(ErrorCode.STEP_CANCELLED, 'The step was cancelled.');
}

/**
 * `source` as an async iterable that stops as soon as `signal` aborts: a pending `next()` is
 * abandoned (it rejects with the abort reason at once) and the source is closed with `return()`
 * so its `finally` blocks run. Ending the loop early closes the source too.
 */
export function abortable(
  source: AsyncIterable<unknown> | Iterable<unknown>,
  signal: AbortSignal,
): AsyncIterable<unknown> {
  return {
    [Symbol.asyncIterator]() {
      const inner = asyncIteratorOf(source);
      let closed = false;
      const close = (): void => {
        signal.removeEventListener('abort', onAbort);
        if (closed) return;
        closed = true;
        // the source may be mid-`next()`; its return() then runs once that settles
        Promise.resolve(inner.return?.()).catch(() => {});
      };
      // one listener per stream that rejects the read in flight (never a race against a
      // long-lived promise: each race would keep its chunk reachable until the stream ends)
      let rejectPending: ((reason: unknown) => void) | undefined;
      const onAbort = (): void => {
        rejectPending?.(abortReason(signal));
        close();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      // a source that is done or threw is over: nothing left to close, so the listener goes
      const end = (): void => {
        closed = true;
        signal.removeEventListener('abort', onAbort);
      };
      return {
        next: () => {
          if (signal.aborted) return Promise.reject(abortReason(signal));
          return new Promise<IteratorResult<unknown>>((resolve, reject) => {
            rejectPending = reject;
            inner.next().then(
              (result) => {
                rejectPending = undefined;
                if (result.done) end();
                resolve(result);
              },
              (error: unknown) => {
                rejectPending = undefined;
                end();
                reject(error);
              },
            );
          });
        },
        return: async (value?: unknown) => {
          close();
          return { done: true, value };
        },
      };
    },
  };
}

/** Every chunk of a stream, in order; closes the stream when `signal` aborts. */
export async function collectChunks(
  stream: AsyncIterable<unknown> | Iterable<unknown>,
  signal: AbortSignal,
): Promise<unknown[]> {
  const chunks: unknown[] = [];
  for await (const chunk of abortable(stream, signal)) chunks.push(chunk);
  return chunks;
}

/** An async iterable over the items of an array. */
export async function* fromArray(items: unknown[]): AsyncGenerator<unknown> {
  for (const item of items) yield item;
}

/**
 * Maps `fn` over a stream with at most `concurrency` calls in flight, answering in input order:
 * backpressure holds, since no more than `concurrency` chunks are read ahead.
 */
export async function* mapOrdered(
  source: AsyncIterable<unknown>,
  concurrency: number,
  fn: (chunk: unknown) => Promise<unknown[]>,
): AsyncGenerator<unknown> {
  const pending: Promise<unknown[]>[] = [];
  const iterator = source[Symbol.asyncIterator]();
  let exhausted = false;
  try {
    for (;;) {
      while (!exhausted && pending.length < concurrency) {
        const next = await iterator.next();
        if (next.done) {
          exhausted = true;
          break;
        }
        const answer = fn(next.value);
        answer.catch(() => {}); // observed below, in order; never an unhandled rejection
        pending.push(answer);
      }
      const first = pending.shift();
      if (!first) return;
      yield* await first;
    }
  } finally {
    await iterator.return?.();
  }
}
