import type { StepContext } from '@stepwise/core';
import type { ColumnTable } from 'arquero';
import { LazyFrame } from '../pushdown/lazy-frame.js';
import { pushOr as pushOrLoaded } from '../pushdown/lazy-step.js';
import type * as PushSteps from '../pushdown/push-steps.js';

/** The pushdown module's step planners (`pushSelect`, `pushFilter`, ...). */
export type Pushers = typeof PushSteps;

/**
 * The pushdown module's `pushOr` with its planners imported only when the input is a lazy table: a step over a
 * plain table (in a worker thread, say) never loads them.
 */
export function pushOr<T>(
  input: ColumnTable,
  ctx: Pick<StepContext, 'stepId' | 'signal'>,
  step: {
    type: string;
    push: (pushers: Pushers, frame: LazyFrame, step: PushSteps.PushedStep) => LazyFrame | undefined;
  },
  eager: (df: ColumnTable) => T,
): T | Promise<T> {
  if (!((input as unknown) instanceof LazyFrame)) return eager(input);
  return import('../pushdown/push-steps.js').then((pushers) =>
    pushOrLoaded(input, ctx, { type: step.type, push: (frame, pushed) => step.push(pushers, frame, pushed) }, eager),
  );
}
