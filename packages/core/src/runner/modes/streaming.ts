import { ErrorCode } from '../../errors/codes.js';
import { describeValue, StepwiseError } from '../../errors/stepwise-error.js';
import type { StepTask } from '../../executors/executor.js';
import { readTaskInputs, taskStepContext } from '../../executors/task-context.js';
import type { DataType } from '../../registry/data-type.js';
import type { StepContext } from '../../registry/step-type.js';
import { abortable, asyncIteratorOf, collectChunks, isIterableLike, mapOrdered } from '../../units/chunk-streams.js';
import type { StreamFunction } from '../../units/run-unit.js';
import { type ModeEnvironment, primaryInput, unitTask } from './mode.js';

/** Rows per chunk when a batch value feeds a streaming step and `strategy.chunkRows` is not set. */
export const DEFAULT_CHUNK_ROWS = 10_000;

/**
 * A stream handed from one streaming step to the next without being materialized (a fused
 * pipeline). The runner passes it as the consumer's input instead of storing it; each `open()`
 * starts the producer afresh, so a retried consumer reads the whole stream again.
 */
export class ChunkStream {
  readonly open: () => AsyncIterable<unknown>;
  constructor(open: () => AsyncIterable<unknown>) {
    this.open = open;
  }
}

/**
 * The input of a streaming step as a stream of chunks: an upstream {@link ChunkStream} as is,
 * a batch value cut with its data type's `chunks(value, chunkRows)`.
 * @throws StepwiseError `INPUT_TYPE_MISMATCH` when the input type cannot be chunked
 */
export function inputChunks(
  task: StepTask,
  input: unknown,
  inputType: DataType | undefined,
): AsyncIterable<unknown> | undefined {
  if (input instanceof ChunkStream) return input.open();
  if (task.stepType.inputType === undefined) return undefined;
  if (!inputType?.chunks) {
    throw new StepwiseError(
      ErrorCode.INPUT_TYPE_MISMATCH,
      `Step "${task.stepId}" is streaming but its input type ${inputType ? `"${inputType.name}"` : '(none)'} has no chunks(); give it an input type that does (JSON arrays, DataFrame).`,
      { details: { stepId: task.stepId } },
    );
  }
  const chunkRows = task.step.strategy.chunkRows ?? DEFAULT_CHUNK_ROWS;
  const chunks = inputType.chunks(input, chunkRows);
  return (async function* () {
    yield* chunks;
  })();
}

/** Calls a streaming step function in this thread and checks that it answered with chunks. */
function callStream(
  task: StepTask,
  input: AsyncIterable<unknown> | undefined,
  ctx: StepContext,
): AsyncIterable<unknown> | Iterable<unknown> {
  const fn = task.stepType.fn as StreamFunction;
  const output = fn(input === undefined ? undefined : abortable(input, task.signal), task.params, ctx);
  if (!isIterableLike(output)) {
    throw new StepwiseError(
      ErrorCode.OUTPUT_TYPE_MISMATCH,
      `Streaming step "${task.stepId}" returned ${describeValue(output)}; a streaming step returns an (async) iterable of chunks, e.g. from an async generator.`,
      { details: { stepId: task.stepId } },
    );
  }
  return output;
}

/**
 * The chunks a streaming step produces, lazily. On an executor in the runner's thread, and for a step
 * type that reads its whole stream (`wholeStream`: a fold or a sink), the function runs here over the
 * whole stream; on any other executor each input chunk is one task (input `[chunk]`, answer the
 * output chunks), with at most `strategy.workers` in flight and answers kept in input order.
 */
export async function streamOutput(task: StepTask, env: ModeEnvironment): Promise<AsyncIterable<unknown>> {
  if (env.executor.capabilities.inRunnerThread || task.stepType.wholeStream === true) {
    const inputs = await readTaskInputs(task);
    const chunks = inputChunks(task, inputs.input, env.inputType);
    // the consumer (the next step's input, or collectChunks) makes the output abortable
    return toAsync(callStream(task, chunks, taskStepContext(task, inputs)));
  }
  const input = inputChunks(task, await primaryInput(task), env.inputType);
  if (input === undefined) {
    return (async function* () {
      yield* await remoteChunks(task, env, undefined);
    })();
  }
  const workers = Math.max(1, task.step.strategy.workers ?? 1);
  return mapOrdered(abortable(input, task.signal), workers, (chunk) => remoteChunks(task, env, [chunk]));
}

async function remoteChunks(task: StepTask, env: ModeEnvironment, input: unknown[] | undefined): Promise<unknown[]> {
  const answer = await env.executor.execute(unitTask(task, input));
  if (!Array.isArray(answer)) {
    throw new StepwiseError(
      ErrorCode.STEP_FAILED,
      'An executor answered a streaming task with something other than an array of chunks.',
    );
  }
  return answer;
}

function toAsync(source: AsyncIterable<unknown> | Iterable<unknown>): AsyncIterable<unknown> {
  return { [Symbol.asyncIterator]: () => asyncIteratorOf(source) };
}

/** Chunks joined into one value by the output type's `concat` (one chunk needs no `concat`). */
export function materialize(chunks: unknown[], outputType: DataType): unknown {
  if (outputType.concat) return outputType.concat(chunks);
  if (chunks.length === 1) return chunks[0];
  throw new StepwiseError(
    ErrorCode.OUTPUT_TYPE_MISMATCH,
    `Output type "${outputType.name}" has no concat(), so ${chunks.length} streamed chunks cannot be joined into one value.`,
    { details: { outputType: outputType.name } },
  );
}

/**
 * The `streaming` mode: `fn(chunks, params, ctx)` yields chunks. When the runner marks the step as
 * feeding the next streaming step (`env.fuse`), the answer is a {@link ChunkStream} the consumer
 * pulls from; otherwise the chunks are materialized into one value of the output type.
 */
export async function runStreaming(task: StepTask, env: ModeEnvironment): Promise<unknown> {
  if (env.fuse === true) return new ChunkStream(() => lazily(() => streamOutput(task, env)));
  const chunks = await streamOutput(task, env);
  return materialize(await collectChunks(chunks, task.signal), env.outputType);
}

/** An async iterable that makes its source on first pull (a fused stream starts when its consumer reads). */
function lazily(make: () => Promise<AsyncIterable<unknown>>): AsyncIterable<unknown> {
  return {
    async *[Symbol.asyncIterator]() {
      yield* await make();
    },
  };
}
