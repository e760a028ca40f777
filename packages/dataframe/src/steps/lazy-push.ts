import type { StepContext } from '@stepwise/core';
import type { ColumnTable } from 'arquero';
import { LazyFrame } from '../pushdown/lazy-frame.js';
import { pushOr as pushOrLoaded } from '../pushdown/lazy-step.js';
import type * as PushSteps from '../pushdown/push-steps.js';
import type * as Replays from '../pushdown/replays.js';

/** The pushdown module's step planners (`pushSelect`, `pushFilter`, ...). */
export type Pushers = typeof PushSteps;

/** A pushable step: its type and how it extends a lazy table's plan. */
interface PushableStep {
  type: string;
  push: (pushers: Pushers, frame: LazyFrame, step: PushSteps.PushedStep) => LazyFrame | undefined;
}

/**
 * The pushdown module's `pushOr` with its planners imported only when the input is a lazy table: a step over a
 * plain table (in a worker thread, say) never loads them. A plan made on a CSV file's guessed kinds
 * remembers how this step runs again over the read that checks them (pushdown/replays.ts).
 */
export function pushOr<T>(
  input: ColumnTable,
  ctx: Pick<StepContext, 'stepId' | 'signal'>,
  step: PushableStep,
  eager: (df: ColumnTable) => T,
): T | Promise<T> {
  if (!((input as unknown) instanceof LazyFrame)) return eager(input);
  return Promise.all([import('../pushdown/push-steps.js'), import('../pushdown/replays.js')]).then(
    ([pushers, replays]) => {
      const push = (frame: LazyFrame, pushed: PushSteps.PushedStep) => {
        const out = step.push(pushers, frame, pushed);
        if (out !== undefined && replays.readsGuesses(frame.plan))
          replays.rememberReplay(out.plan, (signal) =>
            replayStep(replays, { frame, stepId: ctx.stepId, signal }, step, eager),
          );
        return out;
      };
      return pushOrLoaded(input, ctx, { type: step.type, push }, eager);
    },
  );
}

/**
 * `join`'s run: two lazy inputs joined in their query when `push` plans it, else the tables joined by
 * `eager` (each input materialized). A plan made on a CSV file's guessed kinds remembers how the join
 * runs again over its inputs made again.
 */
export async function pushJoinOr(
  [left, right]: [ColumnTable, ColumnTable],
  ctx: Pick<StepContext, 'stepId' | 'signal'>,
  push: (left: LazyFrame, right: LazyFrame) => Promise<LazyFrame | undefined>,
  eager: (left: ColumnTable, right: ColumnTable) => ColumnTable,
): Promise<ColumnTable> {
  const [a, b] = [left, right] as unknown[];
  if (a instanceof LazyFrame && b instanceof LazyFrame) {
    const pushed = await push(a, b);
    if (pushed !== undefined) {
      const replays = await import('../pushdown/replays.js');
      if (replays.readsGuesses(pushed.plan)) {
        replays.rememberReplay(pushed.plan, async (signal) => {
          const again = (frame: LazyFrame) => replayInput(replays, frame, signal);
          const sides: [ColumnTable, ColumnTable] = [await again(a), await again(b)];
          const out = (await pushJoinOr(
            sides,
            { ...ctx, signal: signal ?? new AbortController().signal },
            push,
            eager,
          )) as unknown;
          return out instanceof LazyFrame ? { plan: out.plan } : { table: out as ColumnTable };
        });
      }
      return pushed as unknown as ColumnTable;
    }
  }
  const table = (value: unknown) =>
    value instanceof LazyFrame ? value.materialize(ctx.signal) : Promise.resolve(value as ColumnTable);
  const [x, y] = await Promise.all([table(a), table(b)]);
  return eager(x, y);
}

/** An input made again when its plan reads guessed kinds; as it is otherwise. */
async function replayInput(
  replays: typeof Replays,
  frame: LazyFrame,
  signal: AbortSignal | undefined,
): Promise<ColumnTable> {
  if (!replays.readsGuesses(frame.plan)) return frame as unknown as ColumnTable;
  const input = await replays.replayPlan(frame.plan, signal);
  return 'plan' in input ? (new LazyFrame(input.plan) as unknown as ColumnTable) : input.table;
}

/** The step run again, as `pushOr`, over its input's plan made again. */
async function replayStep<T>(
  replays: typeof Replays,
  { frame, stepId, signal }: { frame: LazyFrame; stepId: string; signal: AbortSignal | undefined },
  step: PushableStep,
  eager: (df: ColumnTable) => T,
): Promise<Replays.Replayed> {
  const value = await replayInput(replays, frame, signal);
  const out = (await pushOr(value, { stepId, signal: signal ?? new AbortController().signal }, step, eager)) as unknown;
  return out instanceof LazyFrame ? { plan: out.plan } : { table: out as ColumnTable };
}
