// runs, their records and their events (browser-safe types from model/run.ts)
export type {
  RunCancelledEvent,
  RunCompletedEvent,
  RunEvent,
  RunEventBase,
  RunEventType,
  RunFailedEvent,
  RunRecord,
  RunStartedEvent,
  StepCancelledEvent,
  StepCompletedEvent,
  StepFailedEvent,
  StepLogEvent,
  StepProgressEvent,
  StepRetryingEvent,
  StepRun,
  StepSkippedEvent,
  StepStartedEvent,
} from '../model/run.js';
// step modes: the seam for streaming and row_iterative
export { type ModeEnvironment, type ModeRunner, modeRunnerFor, modeRunners } from './modes/index.js';
// the run object
export { newRunId, Run, type RunInit } from './run.js';
// the runner
export {
  type ResumeOptions,
  type RunOptions,
  WorkflowRunner,
  type WorkflowRunnerOptions,
} from './workflow-runner.js';
