/** The state of one step in one run, and of a whole run. */
export type StepState = 'pending' | 'running' | 'completed' | 'failed' | 'skipped' | 'cancelled';

/** Every {@link StepState}, and a namespace for the constants: `StepState.completed`. */
export const StepState = {
  pending: 'pending',
  running: 'running',
  completed: 'completed',
  failed: 'failed',
  skipped: 'skipped',
  cancelled: 'cancelled',
} as const satisfies Record<StepState, StepState>;

/** States a step does not leave within a run. */
export function isFinalState(state: StepState): boolean {
  return state !== 'pending' && state !== 'running';
}
