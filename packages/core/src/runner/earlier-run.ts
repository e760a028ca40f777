import type { KeySource, StepKeys } from '../keys/step-keys.js';
import type { StepRun } from '../model/run.js';

/** An earlier run whose completed outputs a run may take over: the run being resumed. */
export interface EarlierRun {
  readonly runId: string;
  readonly keys: StepKeys;
  readonly source: KeySource;
  /**
   * Its completed steps whose key is known, by id, each with its key: what a resume shows in its
   * record until it has decided each step (so a resume killed early loses nothing).
   */
  readonly kept: ReadonlyMap<string, StepRun>;
}
