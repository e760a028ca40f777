import { fingerprintOf } from '../keys/fingerprint.js';
import { identifyStepFiles, type KeySource, type KeyStep, recordKeySource, StepKeys } from '../keys/step-keys.js';
import type { RunRecord, StepRun } from '../model/run.js';
import type { StepRegistry } from '../registry/step-registry.js';
import type { EarlierRun } from './earlier-run.js';
import { type Execution, type PreparedStep, stateOf } from './execution.js';

export type { EarlierRun } from './earlier-run.js';

/** The earlier run a record describes, its keys computed against `registry` (types as they are now). */
export function earlierRun(record: RunRecord, registry: StepRegistry): EarlierRun {
  const source = recordKeySource(record, registry);
  const keys = new StepKeys(source);
  const kept = new Map<string, StepRun>();
  record.workflow.steps.forEach((step, index) => {
    const state = source.state(index);
    const key = state?.status === 'completed' ? keys.key(index) : undefined;
    if (state !== undefined && key !== undefined) kept.set(step.id, { ...state, key });
  });
  return { runId: record.id, keys, source, kept };
}

/** The earlier run's state of the step with this id, and its index there. */
export function earlierStep(earlier: EarlierRun, id: string): { index: number; state: StepRun } | undefined {
  const index = earlier.source.indexOf(id);
  const state = index === undefined ? undefined : earlier.source.state(index);
  return index === undefined || state === undefined ? undefined : { index, state };
}

const keySteps = new WeakMap<PreparedStep, KeyStep>();

/** A prepared step as its key sees it (made once per prepared step). */
export function keyStepOf(step: PreparedStep): KeyStep {
  let found = keySteps.get(step);
  if (found === undefined) {
    const { planned } = step;
    found = {
      id: planned.id,
      index: planned.index,
      slug: planned.stepType.slug,
      stepType: planned.stepType,
      params: planned.params,
      config: planned.config,
      strategy: planned.strategy,
      inputs: planned.inputs,
    };
    keySteps.set(step, found);
  }
  return found;
}

/** A key source over prepared steps and their states in a run (an execution, or a plan's simulation). */
export function preparedKeySource(
  steps: readonly PreparedStep[],
  states: (index: number) => StepRun | undefined,
  inputs: Record<string, string>,
): KeySource {
  const indexOf = new Map(steps.map((step) => [step.id, step.index]));
  return {
    step: (index) => keyStepOf(steps[index] as PreparedStep),
    indexOf: (id) => indexOf.get(id),
    fingerprint: (index) => fingerprintOf((steps[index] as PreparedStep).planned.stepType),
    input: (name) => inputs[name],
    state: states,
  };
}

/** The step keys of this execution, made on first use (only cached steps and resumes need them). */
export function executionKeys(exec: Execution): StepKeys {
  exec.keys ??= new StepKeys(preparedKeySource(exec.prepared, (index) => exec.states[index], exec.run.inputs));
  return exec.keys;
}

/** Asks the step type which files the step reads, as they are now, and keeps them on the step's state. */
export async function identifyFiles(exec: Execution, step: PreparedStep): Promise<void> {
  const files = await identifyStepFiles(keyStepOf(step));
  const state = stateOf(exec, step);
  if (files === undefined) delete state.files;
  else state.files = files;
  exec.keys?.forget(step.index);
}
