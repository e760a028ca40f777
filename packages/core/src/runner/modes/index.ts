import { ErrorCode } from '../../errors/codes.js';
import { StepwiseError } from '../../errors/stepwise-error.js';
import type { StepMode } from '../../registry/step-type.js';
import { runBatch } from './batch.js';
import type { ModeRunner } from './mode.js';
import { runRowIterative } from './row-iterative.js';
import { runStreaming } from './streaming.js';

export type { ModeEnvironment, ModeRunner } from './mode.js';

function unsupported(mode: StepMode): ModeRunner {
  return (task) => {
    throw new StepwiseError(
      ErrorCode.MODE_UNSUPPORTED,
      `Step "${task.stepId}" (type "${task.stepType.slug}") has mode "${mode}", which this runner cannot execute yet; use mode "batch".`,
      { details: { mode, stepId: task.stepId } },
    );
  };
}

/** The runner for each step mode: the one place a new mode is plugged in. */
export const modeRunners: Record<StepMode, ModeRunner> = {
  batch: runBatch,
  streaming: runStreaming,
  row_iterative: runRowIterative,
};

/** The runner of `mode`; an unknown mode gets one that fails the step with `MODE_UNSUPPORTED`. */
export function modeRunnerFor(mode: StepMode): ModeRunner {
  return modeRunners[mode] ?? unsupported(mode);
}
