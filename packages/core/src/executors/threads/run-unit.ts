import { ErrorCode } from '../../errors/codes.js';
import { describeValue, StepwiseError } from '../../errors/stepwise-error.js';
import type { StepContext, StepType } from '../../registry/step-type.js';
import { mapNumberRows, mapRows, type RowFunction } from '../../runner/modes/row-iterative.js';
import type { StreamFunction } from '../../runner/modes/streaming.js';
import { collectChunks, fromArray, isIterableLike } from '../../runner/modes/streaming-iterables.js';
import type { MaybePromise } from '../executor.js';

/**
 * Runs one unit of a step away from the runner (a worker thread, a queue worker): for `batch` the
 * function over the whole input; for `row_iterative` over an array of rows, answering the output
 * rows (a Float64Array of numbers stays one while every row maps to one number); for `streaming`
 * over an array of chunks (or none for a source), answering the output chunks.
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
