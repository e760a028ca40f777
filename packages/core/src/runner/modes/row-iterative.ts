import { ErrorCode } from '../../errors/codes.js';
import { StepwiseError } from '../../errors/stepwise-error.js';
import type { MaybePromise, StepTask } from '../../executors/executor.js';
import type { DataType } from '../../registry/data-type.js';
import type { StepContext } from '../../registry/step-type.js';
import type { ModeEnvironment } from './mode.js';

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
  for (let i = 0; i < n; i++) {
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
  for (let i = rest.from; i < n; i++) {
    const result = fn(list[i], params, ctx);
    if (result instanceof Promise) return finishAsync(fn, { list, from: i, first: result, out }, params, ctx);
    pushResult(out, result, i);
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
  pushResult(out, await rest.first, rest.from);
  for (let i = rest.from + 1; i < list.length; i++) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    pushResult(out, await fn(list[i], params, ctx), i);
  }
  return out;
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
      `The row function returned undefined for row ${index}; return a row, an array of rows, or null to drop the row.`,
      { details: { row: index } },
    );
  }
  out.push(result);
}

/**
 * Cuts `rows` into at most `parts` contiguous slices of near-equal length, in order; a slice whose
 * rows are all numbers is a Float64Array of its own (one copy, and a buffer an executor may
 * transfer to another thread instead of cloning). Lazy: each slice is cut when it is read, so the
 * first can be at work while the next is being cut.
 */
export function* partitionRows(rows: readonly unknown[], parts: number): Generator<ArrayLike<unknown>> {
  if (rows.length === 0) {
    yield [];
    return;
  }
  for (const [from, to] of sliceBounds(rows.length, parts)) yield toFloat64(rows, from, to) ?? rows.slice(from, to);
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

/** `[from, to)` of at most `parts` contiguous slices of near-equal length covering `length` items. */
function sliceBounds(length: number, parts: number): [number, number][] {
  const count = Math.max(1, Math.min(Math.floor(parts), length));
  const size = Math.ceil(length / count);
  const bounds: [number, number][] = [];
  for (let start = 0; start < length; start += size) bounds.push([start, Math.min(length, start + size)]);
  return bounds.length > 0 ? bounds : [[0, 0]];
}

/** The rows of `value` as an array, through its data type's `rows`. */
export function rowsOf(value: unknown, type: DataType | undefined, stepId: string): unknown[] {
  if (!type?.rows) {
    throw new StepwiseError(
      ErrorCode.INPUT_TYPE_MISMATCH,
      `Step "${stepId}" is row_iterative but its input type ${type ? `"${type.name}"` : '(none)'} has no rows(); give the step an input type that does (JSON, DataFrame, ...).`,
      { details: { stepId } },
    );
  }
  const rows = type.rows(value);
  return Array.isArray(rows) ? rows : Array.from(rows);
}

/** The output value rebuilt from rows through the output type's `fromRows`, like the input when the types match. */
export function rebuildRows(rows: unknown[], input: unknown, env: ModeEnvironment): unknown {
  const { outputType, inputType } = env;
  if (!outputType.fromRows) {
    throw new StepwiseError(
      ErrorCode.OUTPUT_TYPE_MISMATCH,
      `Output type "${outputType.name}" has no fromRows(), so a row_iterative step cannot produce it.`,
      { details: { outputType: outputType.name } },
    );
  }
  return inputType?.name === outputType.name ? outputType.fromRows(rows, input) : outputType.fromRows(rows);
}

/** True when the executor runs step functions in this thread, so rows need no partitioning. */
export function runsInThisThread(env: ModeEnvironment): boolean {
  return env.executor.kind === 'inline';
}

/**
 * The `row_iterative` mode: maps the step function over the input's rows and rebuilds the output
 * type, in input order. Inline it is one loop in this thread; on another executor the rows are
 * cut into `strategy.workers` partitions (see {@link partitionRows}), each executed as one task
 * whose input is the partition's rows and whose answer is the output rows, joined in order.
 */
export function runRowIterative(task: StepTask, env: ModeEnvironment): MaybePromise<unknown> {
  const rows = rowsOf(task.input, env.inputType, task.stepId);
  if (runsInThisThread(env)) {
    const out = mapRows(task.stepType.fn as RowFunction, rows, task.params, task.ctx);
    return out instanceof Promise
      ? out.then((r) => rebuildRows(r, task.input, env))
      : rebuildRows(out, task.input, env);
  }
  const answers: Promise<unknown>[] = [];
  for (const part of partitionRows(rows, task.step.strategy.workers ?? 1))
    answers.push(observed(() => env.executor.execute({ ...task, input: part })));
  return inInputOrder(answers).then((outs) => rebuildRows(joinRows(outs), task.input, env));
}

/** What `run` answers as a promise (a synchronous throw becomes a rejection) that never rejects unobserved. */
function observed(run: () => MaybePromise<unknown>): Promise<unknown> {
  let answer: Promise<unknown>;
  try {
    answer = Promise.resolve(run());
  } catch (thrown) {
    answer = Promise.reject(thrown);
  }
  answer.catch(() => {}); // awaited in input order by inInputOrder
  return answer;
}

/**
 * The partitions' answers in input order; when several fail, the error is the first failing
 * partition's in input order (the error inline would have met first), whichever failed first in time.
 */
async function inInputOrder(answers: readonly Promise<unknown>[]): Promise<unknown[]> {
  const outs: unknown[] = [];
  for (const answer of answers) outs.push(await answer);
  return outs;
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
