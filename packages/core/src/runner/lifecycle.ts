import { isRef } from '../context/ref.js';
import { ErrorCode } from '../errors/codes.js';
import { StepwiseError, toStepError } from '../errors/stepwise-error.js';
import type { StepState } from '../model/step-state.js';
import type { Execution } from './execution.js';
import type { RuntimeContext, Store, WorkflowPlan } from './plan.js';
import type { Run } from './run.js';

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
 * Prepares a run for resume: completed steps whose output the context still holds are kept,
 * every other step goes back to `pending` with no attempts.
 */
export async function resetForResume(run: Run): Promise<void> {
  for (const [id, step] of run.steps) {
    if (step.status === 'completed' && (await holds(run.context, step.output))) continue;
    run.steps.set(id, { id, status: 'pending', attempts: 0 });
  }
  run.status = 'pending';
  delete run.error;
  delete run.endedAt;
}

/** Final status, outputs, the closing event and the saved record. */
export async function finishRun(exec: Execution): Promise<void> {
  const { run, events, logger } = exec;
  run.status = finalStatus(run);
  run.endedAt = Date.now();
  run.outputs = collectOutputs(run);
  const durationMs = run.endedAt - run.startedAt;
  if (run.status === 'completed') {
    logger.info({ durationMs }, 'run completed');
    if (events.listening) events.emit({ type: 'run.completed', durationMs, outputs: { ...run.outputs } });
  } else if (run.status === 'cancelled') {
    logger.info({ durationMs }, 'run cancelled');
    if (events.listening) events.emit({ type: 'run.cancelled', durationMs });
  } else {
    const failedSteps = [...run.steps.values()].filter((step) => step.status === 'failed').map((step) => step.id);
    logger.warn({ durationMs, failedSteps, err: run.error }, 'run failed');
    if (events.listening) {
      const event = { type: 'run.failed' as const, durationMs, failedSteps };
      events.emit(run.error === undefined ? event : { ...event, error: run.error });
    }
  }
  try {
    await run.context.store.runs.save(run.toJSON());
  } catch (error) {
    logger.warn({ err: toStepError(error) }, 'could not save the run record; the run itself is unaffected');
  }
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
