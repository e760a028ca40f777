/** A value, or a promise of it: stores, executors and modes may answer synchronously to save a tick. */
export type MaybePromise<T> = T | Promise<T>;

/** True for a promise or any object with a `then` method. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * `next(value)`, at once when `value` is not a promise, else once it resolves: the synchronous
 * fast path of memory and file stores stays free of ticks, and an asynchronous store still works.
 */
export function after<T, R>(value: MaybePromise<T>, next: (value: T) => MaybePromise<R>): MaybePromise<R> {
  return isThenable(value) ? (value as Promise<T>).then(next) : next(value as T);
}
