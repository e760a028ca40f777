import { ErrorCode } from '../errors/codes.js';
import { StepwiseError } from '../errors/stepwise-error.js';
import type { StepTask } from '../executors/executor.js';
import { after, isThenable, type MaybePromise } from '../maybe-promise.js';
import type { Execution, PreparedStep } from './execution.js';
import { StepReporter } from './step-reporter.js';

/**
 * Runs one attempt of a step and answers with the step's output value, synchronously when the
 * step function did. Throws or rejects with whatever went wrong; storing the value is the caller's.
 */
export function runAttempt(exec: Execution, step: PreparedStep, attempt: number): unknown {
  if (step.timeoutMs !== undefined) return runTimedAttempt(exec, step, attempt, step.timeoutMs);
  const result = start(exec, step, attempt, exec.signal);
  if (!isThenable(result)) return result;
  return exec.cancellable ? cancellable(exec, result) : result;
}

function start(exec: Execution, step: PreparedStep, attempt: number, signal: AbortSignal): unknown {
  const { inputs, values } = taskInputs(exec, step);
  if (step.materializers.length === 0) return step.run(taskOf(exec, step, { attempt, signal, inputs, values }));
  return after(materializeInputs(exec, step, { inputs, values, signal }), (held) =>
    step.run(taskOf(exec, step, { attempt, signal, inputs, values: held })),
  );
}

interface TaskParts {
  attempt: number;
  signal: AbortSignal;
  inputs: Record<string, string>;
  values: Record<string, unknown> | undefined;
}

function taskOf(exec: Execution, step: PreparedStep, { attempt, signal, inputs, values }: TaskParts): StepTask {
  const planned = step.planned;
  return {
    runId: exec.run.id,
    stepId: step.id,
    attempt,
    step: planned,
    stepType: planned.stepType,
    params: planned.params,
    inputs,
    ...(values === undefined ? {} : { values }),
    context: exec.context,
    registry: exec.run.plan.registry,
    signal,
    report: new StepReporter(exec, step, attempt),
  };
}

/**
 * The step's in-process values with every input that may be lazy read and materialized by its data
 * type (a lazy DataFrame's query run), for a step that does not take lazy input: it and every
 * executor then see concrete values only. A promise only when a store or a materialization answers one.
 */
function materializeInputs(
  exec: Execution,
  step: PreparedStep,
  { inputs, values, signal }: Omit<TaskParts, 'attempt'>,
): MaybePromise<Record<string, unknown> | undefined> {
  let held = values;
  const pending: Promise<unknown>[] = [];
  step.sources.forEach((source, i) => {
    const type = step.materializers[i];
    const ref = inputs[source.name];
    if (type?.materialize === undefined || ref === undefined || values?.[source.name] !== undefined) return;
    held ??= {};
    const target = held;
    // read once here: the value (concrete or made so) is handed on, so no executor reads it again
    const value = after(exec.context.get(ref), (read) => type.materialize?.(read, signal) ?? read);
    if (isThenable(value)) pending.push(Promise.resolve(value).then((done) => (target[source.name] = done)));
    else target[source.name] = value;
  });
  return pending.length === 0 ? held : Promise.all(pending).then(() => held);
}

/**
 * The step's named inputs as refs (a producing step's output, a workflow input, a fixed ref), and
 * as in-process values those that have no ref: a fused stream from the step before.
 */
function taskInputs(
  exec: Execution,
  step: PreparedStep,
): { inputs: Record<string, string>; values: Record<string, unknown> | undefined } {
  const inputs: Record<string, string> = {};
  let values: Record<string, unknown> | undefined;
  const sources = step.sources;
  for (let i = 0; i < sources.length; i++) {
    const source = sources[i] as (typeof sources)[number];
    let ref: string | undefined;
    if (source.step >= 0) {
      const stream = exec.streams[source.step];
      if (stream !== undefined) {
        values ??= {};
        values[source.name] = stream;
        continue;
      }
      ref = exec.states[source.step]?.output;
    } else ref = source.input === undefined ? source.ref : exec.run.inputs[source.input];
    // A missing ref is passed on anyway, so the context reports REF_INVALID in its own words when it is read.
    inputs[source.name] = ref as string;
  }
  return { inputs, values };
}

/** Settles with `result`, or rejects as soon as the run is cancelled, whichever comes first. */
function cancellable(exec: Execution, result: PromiseLike<unknown>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const inFlight = exec.inFlight;
    inFlight.add(reject);
    Promise.resolve(result).then(
      (value) => {
        inFlight.delete(reject);
        resolve(value);
      },
      (error: unknown) => {
        inFlight.delete(reject);
        reject(error);
      },
    );
  });
}

/**
 * An attempt with its own AbortController: aborted with a `STEP_TIMEOUT` error after `timeoutMs`
 * (the attempt fails then even if the step ignores its signal; a late result is dropped) or when
 * the run is cancelled.
 */
function runTimedAttempt(exec: Execution, step: PreparedStep, attempt: number, timeoutMs: number): Promise<unknown> {
  const controller = new AbortController();
  const onRunAbort = () => controller.abort(exec.signal.reason);
  exec.signal.addEventListener('abort', onRunAbort, { once: true });
  if (exec.signal.aborted) onRunAbort();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let cancel: ((reason: unknown) => void) | undefined;
  const settled = new Promise<unknown>((resolve, reject) => {
    cancel = reject;
    exec.inFlight.add(reject);
    timer = setTimeout(() => {
      const error = new StepwiseError(
        ErrorCode.STEP_TIMEOUT,
        `Step "${step.id}" timed out after ${timeoutMs} ms (attempt ${attempt}); raise strategy.timeoutMs or make the step faster.`,
        { details: { stepId: step.id, timeoutMs, attempt } },
      );
      controller.abort(error);
      reject(error);
    }, timeoutMs);
    Promise.resolve()
      .then(() => start(exec, step, attempt, controller.signal))
      .then(resolve, reject);
  });
  const cleanUp = () => {
    clearTimeout(timer);
    exec.signal.removeEventListener('abort', onRunAbort);
    if (cancel !== undefined) exec.inFlight.delete(cancel);
  };
  return settled.then(
    (value) => {
      cleanUp();
      return value;
    },
    (error: unknown) => {
      cleanUp();
      throw error;
    },
  );
}
