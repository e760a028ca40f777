import { isRetryable } from '../errors/categories.js';
import { ErrorCode } from '../errors/codes.js';
import { type StepErrorInfo, toStepError } from '../errors/stepwise-error.js';
import { isThenable } from '../maybe-promise.js';
import { loadDataTypes } from '../registry/data-type.js';
import { runAttempt } from './attempt.js';
import { type Execution, type PreparedStep, stateOf } from './execution.js';
import { ChunkStream } from './modes/streaming.js';
import { identifyFiles } from './run-keys.js';
import { recordInCache, takeOutput } from './take-output.js';

/**
 * Runs a step to a final state: attempts with retries and backoff, then `completed`, `failed` or
 * `cancelled`. Never rejects: everything a step throws ends up in its {@link StepRun}.
 * A step whose key allows completes at once, with no attempt: on resume an unchanged step keeps its
 * earlier output, a cached step (`strategy.cache`) takes a live entry.
 */
export async function executeStep(exec: Execution, step: PreparedStep): Promise<void> {
  // the libraries of the step's data types (Arquero for a DataFrame) load before any of its values is read
  const loading = step.env && loadDataTypes(step.env.registry, stepTypeNames(step));
  if (loading !== undefined) await loading;
  if (step.reads) await identifyFiles(exec, step);
  if ((step.cache || exec.earlier !== undefined) && (await takeOutput(exec, step))) return;
  const state = stateOf(exec, step);
  const startedAt = Date.now();
  state.status = 'running';
  state.startedAt = startedAt;
  exec.checkpoint.mark(step.index);
  // a step that holds the thread must not hold back the transitions before it
  const due = exec.checkpoint.beforeStep(startedAt);
  if (due !== undefined) await due;
  if (exec.events.listening) exec.events.emit({ type: 'step.started', stepId: step.id, attempt: state.attempts + 1 });
  for (;;) {
    state.attempts += 1;
    try {
      const pending = runAttempt(exec, step, state.attempts);
      const value = isThenable(pending) ? await pending : pending;
      // cancelled before the runner had the output (a step that returned in the same tick as the
      // abort, or resolved as it came): the run stopped there, so nothing is committed
      if (exec.signal.aborted) return cancelStep(exec, step);
      // a cached step stores its output concrete: the entry saves the work, not a query to redo
      const output = step.materializeOutput?.materialize?.(value, exec.signal) ?? value;
      const concrete = isThenable(output) ? await output : output;
      if (exec.signal.aborted) return cancelStep(exec, step);
      const stored = completeStep(exec, step, concrete, startedAt);
      if (stored !== undefined) await stored;
      return;
    } catch (thrown) {
      if (exec.signal.aborted) return cancelStep(exec, step);
      const error = toStepError(thrown);
      // an unknown step type, a module that does not load, a bad config: a retry would fail the same way
      if (state.attempts > step.retries || !isRetryable(error.code)) return failStep(exec, step, error, startedAt);
      await retryPause(exec, step, error);
      if (exec.signal.aborted) return cancelStep(exec, step);
    }
  }
}

/** The data types a step reads and makes: its inputs' and its output's. */
function stepTypeNames(step: PreparedStep): (string | undefined)[] {
  const { stepType } = step.planned;
  return [stepType.inputType, stepType.outputType, ...Object.values(stepType.inputs)];
}

async function retryPause(exec: Execution, step: PreparedStep, error: StepErrorInfo): Promise<void> {
  const state = stateOf(exec, step);
  const attempt = state.attempts;
  const delayMs = step.retryDelayMs * 2 ** (attempt - 1);
  // the record shows the attempts made so far, and the last error, while it waits
  state.error = error;
  exec.checkpoint.mark(step.index);
  exec.logger.debug({ stepId: step.id, attempt, delayMs, err: error }, 'step attempt failed; retrying');
  if (exec.events.listening) exec.events.emit({ type: 'step.retrying', stepId: step.id, attempt, delayMs, error });
  await sleep(delayMs, exec.signal);
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Stores the output (checked by its data type) and marks the step `completed`; answers a promise
 * only when the store or the cache index does. Throws when the context refuses the output.
 */
function completeStep(
  exec: Execution,
  step: PreparedStep,
  value: unknown,
  startedAt: number,
): Promise<void> | undefined {
  if (value instanceof ChunkStream) {
    // a fused streaming step: its one consumer pulls the chunks; nothing is stored, no ref
    exec.streams[step.index] = value;
    return markCompleted(exec, step, value, startedAt);
  }
  const put = exec.context.put(value, {
    type: step.planned.stepType.outputType,
    producer: { runId: exec.run.id, stepId: step.id },
  });
  if (isThenable(put)) return put.then((ref) => stored(exec, step, { ref, value, startedAt }));
  return stored(exec, step, { ref: put, value, startedAt });
}

function stored(
  exec: Execution,
  step: PreparedStep,
  output: { ref: string; value: unknown; startedAt: number },
): Promise<void> | undefined {
  stateOf(exec, step).output = output.ref;
  if (!step.cache) return markCompleted(exec, step, output.value, output.startedAt);
  return recordInCache(exec, step, output.ref).then(() => markCompleted(exec, step, output.value, output.startedAt));
}

/**
 * Marks the step `completed` and emits `step.completed`; on a store whose append answers a promise,
 * only once the store acknowledged the transition (the promise answered): a process killed after
 * anyone saw the completion (the event, a step after it starting) never loses it.
 */
function markCompleted(
  exec: Execution,
  step: PreparedStep,
  value: unknown,
  startedAt: number,
): Promise<void> | undefined {
  const state = stateOf(exec, step);
  const endedAt = Date.now();
  state.status = 'completed';
  state.endedAt = endedAt;
  if (state.error !== undefined) delete state.error;
  const written = exec.checkpoint.mark(step.index);
  if (!exec.events.listening) return written;
  const event = {
    type: 'step.completed' as const,
    stepId: step.id,
    output: state.output ?? '',
    durationMs: endedAt - startedAt,
    attempts: state.attempts,
  };
  const completed = Array.isArray(value) ? { ...event, rows: value.length } : event;
  if (written === undefined) exec.events.emit(completed);
  else return written.then(() => exec.events.emit(completed));
  return undefined;
}

function failStep(exec: Execution, step: PreparedStep, error: StepErrorInfo, startedAt: number): void {
  const state = stateOf(exec, step);
  state.status = 'failed';
  state.error = error;
  state.endedAt = Date.now();
  exec.checkpoint.mark(step.index);
  if (exec.run.error === undefined) {
    exec.run.error = error;
    exec.run.failedStep = step.id;
  }
  exec.logger.warn({ stepId: step.id, attempts: state.attempts, err: error }, `step "${step.id}" failed`);
  if (exec.events.listening) {
    const durationMs = state.endedAt - startedAt;
    exec.events.emit({ type: 'step.failed', stepId: step.id, error, durationMs, attempts: state.attempts });
  }
}

/**
 * Marks a running or pending step `cancelled`; a resumed step cancelled before it was decided keeps
 * its earlier completed state instead (the next resume decides it).
 */
export function cancelStep(exec: Execution, step: PreparedStep): void {
  const state = stateOf(exec, step);
  const kept = state.status === 'pending' ? exec.earlier?.kept.get(step.id) : undefined;
  if (kept !== undefined) {
    Object.assign(state, kept);
    exec.checkpoint.mark(step.index);
    return;
  }
  state.status = 'cancelled';
  state.endedAt = Date.now();
  state.error = { ...toStepError(exec.signal.reason, ErrorCode.STEP_CANCELLED), code: ErrorCode.STEP_CANCELLED };
  exec.checkpoint.mark(step.index);
  if (exec.events.listening) exec.events.emit({ type: 'step.cancelled', stepId: step.id });
}

/** Marks a pending step `skipped` because `dependency` did not complete. */
export function skipStep(exec: Execution, step: PreparedStep, dependency: PreparedStep): void {
  const state = stateOf(exec, step);
  state.status = 'skipped';
  state.endedAt = Date.now();
  exec.checkpoint.mark(step.index);
  if (!exec.events.listening) return;
  const status = stateOf(exec, dependency).status;
  const reason = `dependency "${dependency.id}" ${status === 'failed' ? 'failed' : `was ${status}`}`;
  exec.events.emit({ type: 'step.skipped', stepId: step.id, dependency: dependency.id, reason });
}
