import { ErrorCode } from '../../errors/codes.js';
import { StepwiseError } from '../../errors/stepwise-error.js';
import type { StepTask } from '../../executors/executor.js';
import { after, isThenable, type MaybePromise } from '../../maybe-promise.js';
import type { DataType } from '../../registry/data-type.js';
import { joinRows, toFloat64 } from '../../units/row-mapping.js';
import { type ModeEnvironment, primaryInput, unitTask } from './mode.js';
import { rowError } from './row-error.js';

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

/**
 * The `row_iterative` mode: maps the step function over the input's rows and rebuilds the output
 * type, in input order. An executor that runs in the runner's thread gets the rows as one task
 * (one loop, nothing cut); any other gets them cut into `strategy.workers` partitions (see
 * {@link partitionRows}), each one task whose input is the partition's rows and whose answer is
 * the output rows, joined in order.
 */
export function runRowIterative(task: StepTask, env: ModeEnvironment): MaybePromise<unknown> {
  return after(primaryInput(task), (input) => {
    const rows = rowsOf(input, env.inputType, task.stepId);
    if (env.executor.capabilities.inRunnerThread) {
      const out = namingRows(() => env.executor.execute(unitTask(task, rows)), { rows, offset: 0 });
      return after(out, (mapped) => rebuildRows(joinRows([mapped]), input, env));
    }
    const answers: Promise<unknown>[] = [];
    let offset = 0;
    for (const part of partitionRows(rows, task.step.strategy.workers ?? 1)) {
      const from = { rows, offset };
      answers.push(observed(() => namingRows(() => env.executor.execute(unitTask(task, part)), from)));
      offset += part.length;
    }
    return inInputOrder(answers).then((outs) => rebuildRows(joinRows(outs), input, env));
  });
}

/** What `run` answers, a row's failure in it named by its row in the whole input (see {@link rowError}). */
function namingRows(run: () => MaybePromise<unknown>, from: { rows: readonly unknown[]; offset: number }) {
  let answer: MaybePromise<unknown>;
  try {
    answer = run();
  } catch (thrown) {
    throw rowError(thrown, from.rows, from.offset);
  }
  if (!isThenable(answer)) return answer;
  return Promise.resolve(answer).catch((thrown: unknown) => {
    throw rowError(thrown, from.rows, from.offset);
  });
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
