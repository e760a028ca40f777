import { isRef } from '../context/ref.js';
import { toStepError } from '../errors/stepwise-error.js';
import { sha256 } from './cache-key.js';
import { type Execution, type InputSource, type PreparedStep, stateOf } from './execution.js';

/*
 * `strategy.cache`: a step's output is reused when its cache key was seen before.
 *
 * key = sha256(base, the identity of each named input, sorted by name), where
 *   base = sha256(step type slug, its definition's fingerprint (fields, params schema, function
 *          source), the canonical JSON of the parsed params), computed once per plan;
 *   identity of an input = the producing step's cache key when that step is cached too, else the
 *          input's ref (the producing step's output ref, the workflow input's ref, a fixed ref).
 * Keying a cached producer by its key, not its ref, lets a chain of cached steps hit across runs
 * even when an upstream entry was recomputed under a new ref. A step reading an uncached step
 * hits only while that step's ref is the same (for instance the same workflow input ref).
 * Not cached: fused streaming steps and the steps reading their stream (no ref), and steps whose
 * params are not JSON (a Map, a BigInt); the step's strategy (workers, executor) is not in the key.
 * The fingerprint sees the function's own source only: a change in a helper it calls or a value it
 * closes over does not invalidate (change the slug or a param to force a miss).
 */

/**
 * Completes `step` from the cache when the context holds an entry for its key whose ref still
 * exists: no attempt, `cached: true`. False when the step must run; a store error is a miss.
 */
export async function completeFromCache(exec: Execution, step: PreparedStep): Promise<boolean> {
  const key = cacheKeyOf(exec, step);
  if (key === undefined) return false;
  let ref: string | undefined;
  try {
    ref = await liveEntry(exec, key);
  } catch (error) {
    exec.logger.warn({ stepId: step.id, err: toStepError(error) }, 'cache lookup failed; running the step');
  }
  if (ref === undefined) return false;
  const state = stateOf(exec, step);
  const now = Date.now();
  state.status = 'completed';
  state.startedAt = now;
  state.endedAt = now;
  state.output = ref;
  state.cached = true;
  exec.logger.debug({ stepId: step.id, ref }, 'step output taken from the cache');
  if (exec.events.listening)
    exec.events.emit({
      type: 'step.completed',
      stepId: step.id,
      output: ref,
      durationMs: 0,
      attempts: state.attempts,
      cached: true,
    });
  return true;
}

/** The ref under `key` while the context still holds its value; undefined otherwise. */
async function liveEntry(exec: Execution, key: string): Promise<string | undefined> {
  const ref = await exec.context.store.cache.get(key);
  return isRef(ref) && (await exec.context.has(ref)) ? ref : undefined;
}

/** Records the step's new output ref under its cache key; a store error is logged, not thrown. */
export async function recordInCache(exec: Execution, step: PreparedStep, ref: string): Promise<void> {
  const key = cacheKeyOf(exec, step);
  if (key === undefined) return;
  try {
    await exec.context.store.cache.set(key, ref);
  } catch (error) {
    exec.logger.warn({ stepId: step.id, err: toStepError(error) }, 'could not record the output in the cache');
  }
}

/** The step's cache key in this execution, computed once; undefined when it is not cacheable. */
function cacheKeyOf(exec: Execution, step: PreparedStep): string | undefined {
  const known = exec.cacheKeys[step.index];
  if (known !== undefined) return known === '' ? undefined : known;
  const key = computeKey(exec, step) ?? '';
  exec.cacheKeys[step.index] = key;
  return key === '' ? undefined : key;
}

function computeKey(exec: Execution, step: PreparedStep): string | undefined {
  if (step.cacheBase === undefined) return undefined;
  const parts = [step.cacheBase];
  const sources = [...step.sources].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const source of sources) {
    const identity = identityOf(exec, step, source);
    if (identity === undefined) return undefined;
    parts.push(`${source.name}=${identity}`);
  }
  return sha256(parts.join('\0'));
}

function identityOf(exec: Execution, step: PreparedStep, source: InputSource): string | undefined {
  if (source.step < 0) {
    const ref = source.input === undefined ? source.ref : exec.run.inputs[source.input];
    return ref === undefined ? undefined : `ref:${ref}`;
  }
  const producer = step.deps.find((dep) => dep.index === source.step);
  // a producer from an earlier execution (resume) gets its key computed here, from its own inputs
  const key = producer?.cacheBase === undefined ? undefined : cacheKeyOf(exec, producer);
  if (key !== undefined) return `key:${key}`;
  const ref = exec.states[source.step]?.output;
  return ref === undefined ? undefined : `ref:${ref}`;
}
