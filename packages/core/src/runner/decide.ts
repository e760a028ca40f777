import { type KeySide, keyChanges, type PlanReason } from '../keys/key-changes.js';
import type { KeyStep, StepKeys } from '../keys/step-keys.js';
import type { StepRun } from '../model/run.js';
import { type EarlierRun, earlierStep } from './run-keys.js';

/** What happens to a step: its earlier output is kept, taken from the cache, or it runs. */
export type StepAction = 'reuse' | 'cached' | 'run';

/** The decision for one step, with why it runs when it does. */
export interface StepDecision {
  action: StepAction;
  /** The output a reused or cached step takes. */
  output?: string;
  /** The step's key now, when known. */
  key?: string;
  /** The earlier state a reused step takes over. */
  earlier?: StepRun;
  /** Why it runs (filled only when asked to explain). */
  reasons: PlanReason[];
}

/** What {@link decideStep} needs to know of a step and of the run around it. */
export interface DecideInput {
  index: number;
  step: KeyStep;
  /** The step's state now (its files identified). */
  state: StepRun | undefined;
  keys: StepKeys;
  /** False for a step whose output is streamed, never stored: it always runs. */
  keyable: boolean;
  /** True when `strategy.cache` is on and the step type is cacheable. */
  cache: boolean;
  /** The earlier run to reuse from (a resume) or to compare with (a new run). */
  earlier: EarlierRun | undefined;
  /** True when the earlier run's outputs may be kept (a resume); false to compare only. */
  reuse: boolean;
  /** True when the store holds `ref`. */
  holds(ref: string | undefined): Promise<boolean>;
  /** The live cache entry under `key`. */
  cached(key: string): Promise<string | undefined>;
  /** Fill `reasons` (the plan); the runner decides without them. */
  explain: boolean;
}

/**
 * Decides one step from its key: an earlier completed output with the same key (still in the store)
 * is kept; else a live cache entry under the key is taken; else the step runs, and the reasons say
 * what differs from the earlier run.
 */
export async function decideStep(input: DecideInput): Promise<StepDecision> {
  const key = input.keyable ? input.keys.key(input.index) : undefined;
  const found = input.earlier === undefined ? undefined : earlierStep(input.earlier, input.step.id);
  const earlierKey = found === undefined ? undefined : input.earlier?.keys.key(found.index);
  if (
    input.reuse &&
    key !== undefined &&
    found?.state.status === 'completed' &&
    earlierKey === key &&
    (await input.holds(found.state.output))
  ) {
    const decision: StepDecision = { action: 'reuse', key, earlier: found.state, reasons: [] };
    if (found.state.output !== undefined) decision.output = found.state.output;
    return decision;
  }
  if (input.cache && key !== undefined) {
    const ref = await input.cached(key);
    if (ref !== undefined) return { action: 'cached', key, output: ref, reasons: [] };
  }
  const decision: StepDecision = { action: 'run', reasons: [] };
  if (key !== undefined) decision.key = key;
  if (input.explain) decision.reasons = await explain(input, { key, found, earlierKey });
  return decision;
}

async function explain(
  input: DecideInput,
  seen: {
    key: string | undefined;
    found: { index: number; state: StepRun } | undefined;
    earlierKey: string | undefined;
  },
): Promise<PlanReason[]> {
  const { key, found, earlierKey } = seen;
  const reasons: PlanReason[] = [];
  if (!input.keyable)
    reasons.push({ code: 'STREAMED', message: 'its output is streamed to the next step, never stored' });
  else if (input.earlier === undefined)
    reasons.push({ code: 'NO_EARLIER_RUN', message: 'no earlier run of this workflow to compare with' });
  else if (found === undefined) reasons.push({ code: 'STEP_NEW', message: `a new step since ${input.earlier.runId}` });
  else if (found.state.status !== 'completed')
    reasons.push({
      code: 'STEP_NOT_COMPLETED',
      message: `it ${found.state.status === 'failed' ? 'failed' : `was ${found.state.status}`} in ${input.earlier.runId}`,
    });
  else if (key === undefined || earlierKey !== key) {
    const before: KeySide = {
      step: input.earlier.source.step(found.index),
      parts: input.earlier.keys.parts(found.index),
      state: found.state,
    };
    const changes = keyChanges(before, { step: input.step, parts: input.keys.parts(input.index), state: input.state });
    reasons.push(
      ...(changes.length > 0
        ? changes
        : [{ code: 'KEY_UNKNOWN' as const, message: 'what it reads is known only once earlier steps run again' }]),
    );
  } else if (!(await input.holds(found.state.output)))
    reasons.push({
      code: 'OUTPUT_MISSING',
      message: `its output from ${input.earlier.runId} is no longer in the store`,
    });
  if (!input.reuse && input.keyable) reasons.push(cacheReason(input));
  return reasons;
}

function cacheReason(input: DecideInput): PlanReason {
  if (input.step.stepType?.cacheable === false && input.step.strategy.cache === true)
    return {
      code: 'UNCACHEABLE',
      message: `step type ${input.step.slug} is never cached (its output may differ for the same inputs)`,
    };
  if (input.cache) return { code: 'CACHE_MISS', message: 'not in the cache' };
  return { code: 'CACHE_OFF', message: 'strategy.cache is off' };
}
