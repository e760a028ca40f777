import { ErrorCode } from '../errors/codes.js';
import { StepwiseError, toStepError } from '../errors/stepwise-error.js';
import type { MaybePromise } from '../maybe-promise.js';
import type { StepContext } from '../registry/step-type.js';

/** A row_iterative step function: one row in; a row, an array of rows (expands) or `null` (drops) out. */
export type RowFunction = (row: unknown, params: unknown, ctx: StepContext) => unknown;

/**
 * Maps `fn` over `rows` in order: a returned array expands into several rows, `null` drops the row.
 * Stays synchronous (no promise per row) until `fn` first returns a promise.
 * @throws StepwiseError `STEP_FAILED` when `fn` returns `undefined` (return `null` to drop a row)
 */
export function mapRows(
  fn: RowFunction,
  rows: Iterable<unknown>,
  params: unknown,
  ctx: StepContext,
): MaybePromise<unknown[]> {
  const list = Array.isArray(rows) || ArrayBuffer.isView(rows) ? (rows as ArrayLike<unknown>) : Array.from(rows);
  return mapFrom(fn, { list, from: 0, out: [] }, params, ctx);
}

/**
 * {@link mapRows} over numbers, writing each result straight into one Float64Array as long as
 * every row maps to exactly one number (what crosses back from a worker thread without a copy).
 * From the first row that maps to anything else (an array, `null`, a string, a promise) on, it
 * continues as {@link mapRows} and answers an array.
 */
export function mapNumberRows(
  fn: RowFunction,
  rows: Float64Array,
  params: unknown,
  ctx: StepContext,
): MaybePromise<Float64Array | unknown[]> {
  const n = rows.length;
  const numbers = new Float64Array(n);
  let i = 0;
  try {
    for (; i < n; i++) {
      const result = fn(rows[i], params, ctx);
      if (typeof result === 'number') {
        numbers[i] = result;
        continue;
      }
      const out: unknown[] = Array.from(numbers.subarray(0, i));
      if (result instanceof Promise) return finishAsync(fn, { list: rows, from: i, first: result, out }, params, ctx);
      pushResult(out, result, i);
      return mapFrom(fn, { list: rows, from: i + 1, out }, params, ctx);
    }
  } catch (thrown) {
    throw rowFailed(thrown, i);
  }
  return numbers;
}

/** Maps rows `from` on into `out`, synchronously until a row answers a promise. */
function mapFrom(
  fn: RowFunction,
  rest: { list: ArrayLike<unknown>; from: number; out: unknown[] },
  params: unknown,
  ctx: StepContext,
): MaybePromise<unknown[]> {
  const { list, out } = rest;
  const n = list.length;
  let i = rest.from;
  try {
    for (; i < n; i++) {
      const result = fn(list[i], params, ctx);
      if (result instanceof Promise) return finishAsync(fn, { list, from: i, first: result, out }, params, ctx);
      pushResult(out, result, i);
    }
  } catch (thrown) {
    throw rowFailed(thrown, i);
  }
  return out;
}

interface AsyncRest {
  list: ArrayLike<unknown>;
  from: number;
  first: Promise<unknown>;
  out: unknown[];
}

async function finishAsync(fn: RowFunction, rest: AsyncRest, params: unknown, ctx: StepContext): Promise<unknown[]> {
  const { list, out } = rest;
  let i = rest.from;
  try {
    pushResult(out, await rest.first, i);
    for (i += 1; i < list.length; i++) {
      // a cancel is not the row's failure: rejected as it is (a returned promise is not caught here)
      if (ctx.signal.aborted) return Promise.reject(ctx.signal.reason);
      pushResult(out, await fn(list[i], params, ctx), i);
    }
  } catch (thrown) {
    throw rowFailed(thrown, i);
  }
  return out;
}

/** The `name` of the error a row's failure becomes: {@link rowFailed}, then named again by the mode. */
export const ROW_ERROR = 'RowError';

/**
 * What the row function threw for row `index` of this unit, as a `RowError` keeping its code,
 * message and details (and the thrown value as `cause`), with `details.row`. The row_iterative mode, which
 * knows where the unit's rows start and what they hold, names the row of the whole input.
 */
function rowFailed(thrown: unknown, index: number): StepwiseError {
  // the rows after the first asynchronous one are mapped (and named) by a callee
  if (thrown instanceof StepwiseError && thrown.name === ROW_ERROR) return thrown;
  const info = toStepError(thrown);
  const error = new StepwiseError(info.code, `Row ${index} failed: ${info.message}`, {
    cause: thrown,
    details: { ...info.details, row: index },
  });
  error.name = ROW_ERROR;
  return error;
}

function pushResult(out: unknown[], result: unknown, index: number): void {
  if (result === null) return;
  if (Array.isArray(result)) {
    for (const row of result) out.push(row);
    return;
  }
  if (result === undefined) {
    throw new StepwiseError(
      ErrorCode.STEP_FAILED,
      `the row function returned undefined for row ${index}; return a row, an array of rows, or null to drop the row.`,
      { details: { row: index } },
    );
  }
  out.push(result);
}

/** `values[from..to)` as a new Float64Array, or undefined as soon as one of them is not a number. */
export function toFloat64(
  values: ArrayLike<unknown>,
  from = 0,
  to = values.length,
): Float64Array<ArrayBuffer> | undefined {
  const numbers = new Float64Array(to - from);
  for (let i = from; i < to; i++) {
    const value = values[i];
    if (typeof value !== 'number') return undefined;
    numbers[i - from] = value;
  }
  return numbers;
}

/**
 * The partitions' output rows as one array, in order: each partition is an array of rows or a
 * Float64Array of numbers, copied once into an array of the final length.
 */
export function joinRows(parts: readonly unknown[]): unknown[] {
  if (parts.length === 1 && Array.isArray(parts[0])) return parts[0];
  let total = 0;
  for (const part of parts) {
    if (!Array.isArray(part) && !(part instanceof Float64Array))
      throw new StepwiseError(
        ErrorCode.STEP_FAILED,
        'An executor answered a row partition with something other than an array of rows.',
      );
    total += part.length;
  }
  const out: unknown[] = new Array(total);
  let at = 0;
  for (const part of parts as ArrayLike<unknown>[]) {
    const n = part.length;
    for (let i = 0; i < n; i++) out[at + i] = part[i];
    at += n;
  }
  return out;
}
