import { isRef } from '../context/ref.js';
import { ErrorCode } from '../errors/codes.js';
import { type StepErrorInfo, StepwiseError, toStepError } from '../errors/stepwise-error.js';
import type { RunRecord, StepRun } from '../model/run.js';
import type { StepState } from '../model/step-state.js';
import type { Execution } from './execution.js';
import type { RuntimeContext, Store, WorkflowPlan } from './plan.js';
import { type Run, runRecord } from './run.js';

/**
 * Checks, before anything runs, that every workflow input in `needed` (declared or read by a
 * step or output) was given a ref that the context holds.
 * @throws StepwiseError `INPUT_MISSING`, `REF_NOT_FOUND`
 */
export async function checkInputs(
  plan: WorkflowPlan,
  needed: readonly string[],
  inputs: Record<string, string>,
  context: RuntimeContext<Store>,
): Promise<void> {
  for (const name of needed) {
    const ref = inputs[name];
    const type = plan.inputs[name]?.type ?? 'Any';
    if (ref === undefined)
      throw new StepwiseError(
        ErrorCode.INPUT_MISSING,
        `Workflow "${plan.document.id}" needs input "${name}" (data type ${type}); pass its ref: ` +
          `runner.run(workflow, { inputs: { ${name}: context.put(value, { type: '${type}' }) } }).`,
        { details: { input: name, type } },
      );
    if (!(await holds(context, ref)))
      throw new StepwiseError(
        ErrorCode.REF_NOT_FOUND,
        `Workflow input "${name}" is ref ${JSON.stringify(ref)}, which the run's context does not hold; put the value into that context first.`,
        { details: { input: name, ref } },
      );
  }
}

/** True when the context holds `ref`; false for anything that is not a ref. */
export async function holds(context: RuntimeContext<Store>, ref: string | undefined): Promise<boolean> {
  if (!isRef(ref)) return false;
  try {
    return await context.has(ref);
  } catch {
    return false;
  }
}

/**
 * Prepares a run for resume: every step goes back to `pending` with no attempts; each is decided
 * when its turn comes (kept while its key is unchanged, else run).
 */
export function resetForResume(run: Run): void {
  for (const id of run.steps.keys()) run.steps.set(id, { id, status: 'pending', attempts: 0 });
  run.status = 'pending';
  run.outputs = {};
  delete run.error;
  delete run.failedStep;
  delete run.endedAt;
}

/**
 * The record a run starts (or resumes) with: its steps not yet begun are left out (a reader takes a
 * missing step as pending), and a resumed step not yet decided shows its earlier completed state,
 * so a resume killed early loses nothing.
 */
export function startRecord(exec: Execution): RunRecord {
  const kept = exec.earlier?.kept;
  const steps: StepRun[] = [];
  for (const step of exec.states) {
    const shown = kept?.get(step.id) ?? step;
    if (shown.status !== 'pending') steps.push({ ...shown });
  }
  return runRecord(exec.run, steps);
}

/**
 * Final status, outputs, the saved record and the closing event: a record that cannot be saved
 * (or a checkpoint that could not be written) fails the run, with the store's error as its error.
 */
export async function finishRun(exec: Execution, failure: StepErrorInfo | undefined): Promise<void> {
  const { run, events, logger } = exec;
  run.status = finalStatus(run);
  run.endedAt = Date.now();
  run.outputs = collectOutputs(run);
  if (failure !== undefined) fail(run, failure);
  try {
    await exec.checkpoint.end(run.toJSON());
  } catch (error) {
    fail(run, toStepError(error));
  }
  const durationMs = run.endedAt - run.startedAt;
  if (run.status === 'completed') {
    logger.info({ durationMs }, 'run completed');
    if (events.listening) events.emit({ type: 'run.completed', durationMs, outputs: { ...run.outputs } });
  } else if (run.status === 'cancelled') {
    logger.info({ durationMs }, 'run cancelled');
    if (events.listening) events.emit({ type: 'run.cancelled', durationMs });
  } else {
    const failedSteps = [...run.steps.values()].filter((step) => step.status === 'failed').map((step) => step.id);
    // a step's error was logged and sent with its step: only the run's own error is said here
    const own = run.failedStep === undefined ? run.error : undefined;
    logger.warn(own === undefined ? { durationMs, failedSteps } : { durationMs, failedSteps, err: own }, 'run failed');
    if (events.listening) {
      const event = { type: 'run.failed' as const, durationMs, failedSteps };
      events.emit(own === undefined ? event : { ...event, error: own });
    }
  }
}

/** The run failed for a reason of its own (its record), not a step's: that reason is its error. */
function fail(run: Run, error: StepErrorInfo): void {
  run.status = 'failed';
  run.error = error;
  delete run.failedStep;
}

function finalStatus(run: Run): StepState {
  let failed = false;
  let cancelled = false;
  for (const step of run.steps.values()) {
    if (step.status === 'cancelled') cancelled = true;
    else if (step.status !== 'completed') failed = true;
  }
  if (cancelled) return 'cancelled';
  return failed ? 'failed' : 'completed';
}

function collectOutputs(run: Run): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const [name, reference] of Object.entries(run.plan.outputs)) {
    let ref: string | undefined;
    if ('step' in reference) {
      const step = run.steps.get(reference.step);
      ref = step?.status === 'completed' ? step.output : undefined;
    } else if ('input' in reference) ref = run.inputs[reference.input];
    else ref = reference.ref;
    if (ref !== undefined) outputs[name] = ref;
  }
  return outputs;
}
