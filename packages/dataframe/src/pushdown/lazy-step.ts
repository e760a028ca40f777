import type { StepContext } from '@stepwise/core';
import type { ColumnTable } from 'arquero';
import { LazyFrame } from './lazy-frame.js';
import type { PushedStep } from './push-steps.js';

/**
 * A pushable step's run: on a lazy input, the plan extended by `push` (no rows are computed), or, when
 * `push` declines, `eager` on the materialized table; on a table, `eager` at once.
 */
export function pushOr<T>(
  input: ColumnTable,
  ctx: Pick<StepContext, 'stepId' | 'signal'>,
  step: { type: string; push: (frame: LazyFrame, step: PushedStep) => LazyFrame | undefined },
  eager: (df: ColumnTable) => T,
): T | Promise<T> {
  // the DataFrame data type holds lazy tables too; steps typed over tables see one only here
  const value = input as ColumnTable | LazyFrame;
  if (!(value instanceof LazyFrame)) return eager(value);
  const pushed = step.push(value, { id: ctx.stepId, type: step.type });
  return pushed === undefined ? value.materialize(ctx.signal).then(eager) : (pushed as unknown as T);
}
