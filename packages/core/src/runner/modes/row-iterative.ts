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
  const out: unknown[] = [];
  const list = Array.isArray(rows) || ArrayBuffer.isView(rows) ? (rows as ArrayLike<unknown>) : Array.from(rows);
  const n = list.length;
  for (let i = 0; i < n; i++) {
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

/** Cuts `items` into at most `parts` contiguous slices of near-equal length, in order. */
export function partition<T>(items: readonly T[], parts: number): T[][] {
  const count = Math.max(1, Math.min(Math.floor(parts), items.length));
  const size = Math.ceil(items.length / count);
  const slices: T[][] = [];
  for (let start = 0; start < items.length; start += size) slices.push(items.slice(start, start + size));
  return slices.length > 0 ? slices : [[]];
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
 * cut into `strategy.workers` partitions, each executed as one task whose input is an array of
 * rows and whose answer is the array of output rows.
 */
export function runRowIterative(task: StepTask, env: ModeEnvironment): MaybePromise<unknown> {
  const rows = rowsOf(task.input, env.inputType, task.stepId);
  if (runsInThisThread(env)) {
    const out = mapRows(task.stepType.fn as RowFunction, rows, task.params, task.ctx);
    return out instanceof Promise
      ? out.then((r) => rebuildRows(r, task.input, env))
      : rebuildRows(out, task.input, env);
  }
  const parts = partition(rows, task.step.strategy.workers ?? 1);
  const answers = parts.map((part) => env.executor.execute({ ...task, input: part }));
  return Promise.all(answers).then((outs) => rebuildRows(concatRows(outs), task.input, env));
}

function concatRows(parts: unknown[]): unknown[] {
  if (parts.length === 1 && Array.isArray(parts[0])) return parts[0];
  const out: unknown[] = [];
  for (const part of parts) {
    if (!Array.isArray(part))
      throw new StepwiseError(
        ErrorCode.STEP_FAILED,
        'An executor answered a row partition with something other than an array of rows.',
      );
    for (const row of part) out.push(row);
  }
  return out;
}
