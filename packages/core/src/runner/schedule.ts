import { toStepError } from '../errors/stepwise-error.js';
import { isFinalState } from '../model/step-state.js';
import { cancelStep, executeStep, skipStep } from './execute-step.js';
import { type Execution, type PreparedStep, stateOf } from './execution.js';

/**
 * Runs the pending steps one at a time in workflow order. A step whose dependency did not
 * complete is skipped; independent later steps still run (the same outcome as the concurrent
 * scheduler, which sees the workflow as a DAG).
 */
export async function runSequential(exec: Execution, steps: readonly PreparedStep[]): Promise<void> {
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i] as PreparedStep;
    if (stateOf(exec, step).status !== 'pending') continue;
    if (exec.signal.aborted) {
      cancelStep(exec, step);
      continue;
    }
    const blocker = unmetDependency(exec, step);
    if (blocker !== undefined) skipStep(exec, step, blocker);
    else await executeStep(exec, step);
  }
}

function unmetDependency(exec: Execution, step: PreparedStep): PreparedStep | undefined {
  const deps = step.deps;
  for (let i = 0; i < deps.length; i++) {
    const dep = deps[i] as PreparedStep;
    if (stateOf(exec, dep).status !== 'completed') return dep;
  }
  return undefined;
}

/**
 * Runs every pending step whose dependencies completed, at most `limit` at once, starting ready
 * steps in workflow order. When a step does not complete, its dependents (transitively) are skipped.
 */
export function runConcurrent(exec: Execution, steps: readonly PreparedStep[], limit: number): Promise<void> {
  const ready: PreparedStep[] = [];
  const waiting = new Int32Array(steps.length);
  for (const step of steps) {
    if (stateOf(exec, step).status !== 'pending') continue;
    waiting[step.index] = step.deps.filter((dep) => stateOf(exec, dep).status !== 'completed').length;
    if (waiting[step.index] === 0) ready.push(step);
  }
  return new Promise((resolve) => {
    let head = 0;
    let running = 0;
    const launch = (): void => {
      while (running < limit && head < ready.length && !exec.signal.aborted) {
        const step = ready[head++] as PreparedStep;
        if (stateOf(exec, step).status !== 'pending') continue;
        running += 1;
        const finish = (): void => {
          running -= 1;
          release(exec, step, { ready, waiting });
          launch();
        };
        executeStep(exec, step).then(finish, (error: unknown) => {
          failUnexpectedly(exec, step, error);
          finish();
        });
      }
      if (running === 0) resolve();
    };
    launch();
  });
}

/** After `step` ended: makes its dependents ready, or skips them all when it did not complete. */
function release(exec: Execution, step: PreparedStep, queue: { ready: PreparedStep[]; waiting: Int32Array }): void {
  if (stateOf(exec, step).status === 'completed') {
    for (const dependent of step.dependents) {
      const left = (queue.waiting[dependent.index] as number) - 1;
      queue.waiting[dependent.index] = left;
      if (left === 0 && stateOf(exec, dependent).status === 'pending') queue.ready.push(dependent);
    }
    return;
  }
  // After cancellation, dependents stay pending and end `cancelled`, not `skipped`.
  if (exec.signal.aborted) return;
  const stack: PreparedStep[] = [step];
  while (stack.length > 0) {
    const blocker = stack.pop() as PreparedStep;
    for (const dependent of blocker.dependents) {
      if (stateOf(exec, dependent).status !== 'pending') continue;
      skipStep(exec, dependent, blocker);
      stack.push(dependent);
    }
  }
}

/** A runner bug must still leave the step final and the run going. */
export function failUnexpectedly(exec: Execution, step: PreparedStep, error: unknown): void {
  const info = toStepError(error);
  exec.logger.error({ stepId: step.id, err: info }, 'runner error while executing a step');
  const state = stateOf(exec, step);
  if (isFinalState(state.status)) return;
  state.status = 'failed';
  state.error = info;
  state.endedAt = Date.now();
  exec.checkpoint.mark(step.index);
  if (exec.run.error === undefined) {
    exec.run.error = info;
    exec.run.failedStep = step.id;
  }
}

/** Marks every step still pending `cancelled` (after the run's signal aborted). */
export function cancelPending(exec: Execution, steps: readonly PreparedStep[]): void {
  for (const step of steps) if (stateOf(exec, step).status === 'pending') cancelStep(exec, step);
}
