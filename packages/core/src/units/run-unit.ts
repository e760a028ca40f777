import { ErrorCode } from '../errors/codes.js';
import { describeValue, StepwiseError } from '../errors/stepwise-error.js';
import type { MaybePromise } from '../maybe-promise.js';
import type { StepContext, StepType } from '../registry/step-type.js';
import { collectChunks, fromArray, isIterableLike } from './chunk-streams.js';
import { mapNumberRows, mapRows, type RowFunction } from './row-mapping.js';

/** A streaming step function: chunks in, chunks out. */
export type StreamFunction = (input: AsyncIterable<unknown> | undefined, params: unknown, ctx: StepContext) => unknown;

/**
 * Runs one unit of a step where an executor runs it (this thread, a worker thread, a queue
 * worker): for `batch` the function over the whole input; for `row_iterative` over an array of
 * rows, answering the output rows (a Float64Array of numbers stays one while every row maps to one
 * number); for `streaming` over an array of chunks (or none for a source), answering the output chunks.
 */
export function runUnit(stepType: StepType, input: unknown, params: unknown, ctx: StepContext): MaybePromise<unknown> {
  const fn = stepType.fn as (input: unknown, params: unknown, ctx: StepContext) => unknown;
  if (stepType.mode === 'row_iterative') {
    if (input instanceof Float64Array) return mapNumberRows(fn as RowFunction, input, params, ctx);
    return mapRows(fn as RowFunction, input as unknown[], params, ctx);
  }
  if (stepType.mode !== 'streaming') return fn(input, params, ctx);
  const chunks = input === undefined ? undefined : fromArray(input as unknown[]);
  const output = (fn as StreamFunction)(chunks, params, ctx);
  if (!isIterableLike(output)) {
    throw new StepwiseError(
      ErrorCode.OUTPUT_TYPE_MISMATCH,
      `Streaming step "${ctx.stepId}" returned ${describeValue(output)}; a streaming step returns an (async) iterable of chunks.`,
      { details: { stepId: ctx.stepId } },
    );
  }
  return collectChunks(output, ctx.signal);
}
