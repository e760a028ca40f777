import { isRef } from '../context/ref.js';
import { toStepError } from '../errors/stepwise-error.js';
import type { StepRun } from '../model/run.js';
import { decideStep } from './decide.js';
import { type Execution, type PreparedStep, stateOf } from './execution.js';
import { holds } from './lifecycle.js';
import { executionKeys, keyStepOf } from './run-keys.js';

/*
 * A step completes without running when its step key allows: on resume, the earlier output of an
 * unchanged step is kept (`reusedFrom`); with `strategy.cache`, a live cache entry under its key is
 * taken (`cached`). See keys/step-keys.ts for what the key covers.
 */

/**
 * Completes `step` with an output it does not compute, when its key allows; false when it must
 * run. A store error on the way is a miss, logged.
 */
export async function takeOutput(exec: Execution, step: PreparedStep): Promise<boolean> {
  const state = stateOf(exec, step);
  const decision = await decideStep({
    index: step.index,
    step: keyStepOf(step),
    state,
    keys: executionKeys(exec),
    keyable: step.keyable,
    cache: step.cache,
    earlier: exec.earlier,
    reuse: true,
    holds: (ref) => holds(exec.context, ref),
    cached: (key) => liveEntry(exec, step, key),
    explain: false,
  });
  if (decision.key !== undefined) state.key = decision.key;
  if (decision.action === 'reuse' && decision.earlier !== undefined) {
    await keep(exec, step, decision.earlier);
    return true;
  }
  if (decision.action === 'cached' && decision.output !== undefined && decision.key !== undefined)
    return takeCached(exec, step, { ref: decision.output, key: decision.key });
  return false;
}

/**
 * Takes over the earlier run's completed state of the step: it is not run again. Its event goes out
 * once the store acknowledged the transition, as a computed step's does.
 */
async function keep(exec: Execution, step: PreparedStep, earlier: StepRun): Promise<void> {
  const state = stateOf(exec, step);
  const { key, files } = state;
  Object.assign(state, earlier, { reusedFrom: earlier.reusedFrom ?? exec.earlier?.runId });
  if (key !== undefined) state.key = key;
  if (files !== undefined) state.files = files;
  const written = exec.checkpoint.mark(step.index);
  if (written !== undefined) await written;
  exec.logger.debug({ stepId: step.id, ref: state.output }, 'step unchanged: its earlier output is kept');
  if (exec.events.listening)
    exec.events.emit({
      type: 'step.completed',
      stepId: step.id,
      output: state.output ?? '',
      durationMs: 0,
      attempts: state.attempts,
      reusedFrom: state.reusedFrom ?? exec.run.id,
    });
}

/**
 * Takes a cache entry: the step is recorded completed with the entry's ref, the checkpoint is
 * written, then the entry is checked again. A prune removes an entry before its value and reads the
 * journals of running runs after that, so an entry still there once the ref is on record keeps its
 * value; an entry gone by then is a miss, and the step runs.
 */
async function takeCached(exec: Execution, step: PreparedStep, entry: { ref: string; key: string }): Promise<boolean> {
  const state = stateOf(exec, step);
  const now = Date.now();
  Object.assign(state, { status: 'completed', startedAt: now, endedAt: now, output: entry.ref, cached: true });
  exec.checkpoint.mark(step.index);
  await exec.checkpoint.now();
  if ((await liveEntry(exec, step, entry.key)) !== entry.ref) {
    Object.assign(state, { status: 'pending' });
    for (const field of ['startedAt', 'endedAt', 'output', 'cached'] as const) delete state[field];
    exec.checkpoint.mark(step.index);
    return false;
  }
  exec.logger.debug({ stepId: step.id, ref: entry.ref }, 'step output taken from the cache');
  if (exec.events.listening)
    exec.events.emit({
      type: 'step.completed',
      stepId: step.id,
      output: entry.ref,
      durationMs: 0,
      attempts: state.attempts,
      cached: true,
    });
  return true;
}

/** The ref under `key` while the context still holds its value; undefined otherwise (a store error is a miss). */
async function liveEntry(exec: Execution, step: PreparedStep, key: string): Promise<string | undefined> {
  try {
    const ref = await exec.context.store.cache.get(key);
    return isRef(ref) && (await exec.context.has(ref)) ? ref : undefined;
  } catch (error) {
    exec.logger.warn({ stepId: step.id, err: toStepError(error) }, 'cache lookup failed; running the step');
    return undefined;
  }
}

/** Records the step's new output ref under its key; a store error is logged, not thrown. */
export async function recordInCache(exec: Execution, step: PreparedStep, ref: string): Promise<void> {
  const key = executionKeys(exec).key(step.index);
  if (key === undefined) return;
  try {
    // the entry outlives the run: it must never be on disk before its value is
    await exec.context.store.values.sync?.();
    await exec.context.store.cache.set(key, ref);
  } catch (error) {
    exec.logger.warn({ stepId: step.id, err: toStepError(error) }, 'could not record the output in the cache');
  }
}
