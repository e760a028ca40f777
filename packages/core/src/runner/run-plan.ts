import { isRef } from '../context/ref.js';
import { ErrorCode } from '../errors/codes.js';
import { StepwiseError } from '../errors/stepwise-error.js';
import type { PlanReason } from '../keys/key-changes.js';
import { identifyStepFiles, StepKeys } from '../keys/step-keys.js';
import type { RunRecord, StepRun } from '../model/run.js';
import { loadRun } from '../runs/read-runs.js';
import { decideStep, type StepAction } from './decide.js';
import type { PreparedPlan } from './execution.js';
import { holds } from './lifecycle.js';
import type { RuntimeContext, Store, WorkflowPlan } from './plan.js';
import { earlierRun, keyStepOf, preparedKeySource } from './run-keys.js';

/** Options of `runner.plan`. */
export interface PlanOptions {
  /** Where the earlier run, its values and the cache index are; a new in-memory context when left out. */
  context?: RuntimeContext<Store>;
  /** Refs of the workflow inputs, by name (a resume keeps the earlier run's unless given). */
  inputs?: Record<string, string>;
  /** An earlier run (its record, or its id in the context's run store) to continue or compare with. */
  from?: RunRecord | string;
  /**
   * True (the default with `from`): the plan of resuming `from`, whose unchanged completed steps are
   * kept. False (the default without): the plan of a new run, which takes nothing from `from` (only
   * `strategy.cache` entries) but says what changed since it.
   */
  reuse?: boolean;
}

/** What one step would do, and why it would run. Plain JSON. */
export interface StepPlan {
  id: string;
  /** The step type's slug. */
  type: string;
  action: StepAction;
  /** The output a reused or cached step would take. */
  output?: string;
  /**
   * The step key it would have, when known (DESIGN.md section 7): what resume, `strategy.cache`
   * and the CLI's `--from`/`--to`/`--only` compare; unknown while an input is known only once an
   * earlier step runs.
   */
  key?: string;
  /** Why it runs, as data (empty for a reused or cached step). */
  reasons: PlanReason[];
  /** One line: `reuse`, `cached`, or `run: config changed: threshold 0.25 → 0.5; input load changed`. */
  message: string;
}

/** What a run would do, step by step, without running anything: `runner.plan`'s answer. Plain JSON. */
export interface RunPlan {
  workflowId: string;
  /** The earlier run continued (or compared with). */
  from?: string;
  /** True when the earlier run's outputs are kept (a resume). */
  reuse: boolean;
  steps: StepPlan[];
  /** How many steps each action has. */
  counts: Record<StepAction, number>;
}

/** The plan of `plan` over `context`, decided step by step as a run would, without running a step. */
export async function planRun(args: {
  plan: WorkflowPlan;
  prepared: PreparedPlan;
  context: RuntimeContext<Store>;
  options: PlanOptions;
}): Promise<RunPlan> {
  const { prepared, context, options } = args;
  const record = await earlierRecord(context, options.from);
  const earlier = record === undefined ? undefined : earlierRun(record, args.plan.registry);
  const reuse = options.reuse ?? record !== undefined;
  const inputs = { ...(reuse ? record?.inputs : {}), ...options.inputs };
  const states: StepRun[] = prepared.steps.map((step) => ({ id: step.id, status: 'pending', attempts: 0 }));
  const keys = new StepKeys(preparedKeySource(prepared.steps, (index) => states[index], inputs));
  const steps: StepPlan[] = [];
  const counts: Record<StepAction, number> = { reuse: 0, cached: 0, run: 0 };
  for (const step of prepared.steps) {
    const state = states[step.index] as StepRun;
    if (step.reads) {
      const files = await identifyStepFiles(keyStepOf(step));
      if (files !== undefined) state.files = files;
      keys.forget(step.index);
    }
    const decision = await decideStep({
      index: step.index,
      step: keyStepOf(step),
      state,
      keys,
      keyable: step.keyable,
      cache: step.cache,
      earlier,
      reuse,
      holds: (ref) => holds(context, ref),
      cached: (key) => cacheEntry(context, key),
      explain: true,
    });
    // later steps are keyed by what this one would do: a kept or cached output stands, a run makes a new one
    if (decision.action === 'reuse' && decision.earlier !== undefined) Object.assign(state, decision.earlier);
    else if (decision.action === 'cached') Object.assign(state, { status: 'completed', output: decision.output });
    if (decision.key !== undefined) state.key = decision.key;
    counts[decision.action] += 1;
    const entry: StepPlan = {
      id: step.id,
      type: step.planned.stepType.slug,
      action: decision.action,
      reasons: decision.reasons,
      message: planMessage(decision.action, decision.reasons, earlier?.runId),
    };
    if (decision.output !== undefined) entry.output = decision.output;
    if (decision.key !== undefined) entry.key = decision.key;
    steps.push(entry);
  }
  const result: RunPlan = { workflowId: args.plan.document.id, reuse, steps, counts };
  if (record !== undefined) result.from = record.id;
  return result;
}

/** The one-line message of a step's plan. */
function planMessage(action: StepAction, reasons: readonly PlanReason[], from: string | undefined): string {
  if (action === 'reuse') return from === undefined ? 'reuse' : `reuse (unchanged since ${from})`;
  if (action === 'cached') return 'cached';
  return reasons.length === 0 ? 'run' : `run: ${reasons.map((reason) => reason.message).join('; ')}`;
}

/** The run record `from` names (a record is taken as given). @throws StepwiseError `RUN_NOT_FOUND` */
export async function earlierRecord(
  context: RuntimeContext<Store>,
  from: RunRecord | string | undefined,
): Promise<RunRecord | undefined> {
  if (typeof from !== 'string') return from;
  const record = await loadRun(context.store.runs, from);
  if (record === undefined)
    throw new StepwiseError(ErrorCode.RUN_NOT_FOUND, `Run "${from}" is not in the run store of the context given.`, {
      details: { runId: from },
    });
  return record;
}

async function cacheEntry(context: RuntimeContext<Store>, key: string): Promise<string | undefined> {
  try {
    const ref = await context.store.cache.get(key);
    return isRef(ref) && (await context.has(ref)) ? ref : undefined;
  } catch {
    return undefined;
  }
}
