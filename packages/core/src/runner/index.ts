// runs, their records and their events (browser-safe types from model/run.ts)
export type {
  FileIdentity,
  RunCancelledEvent,
  RunCompletedEvent,
  RunEvent,
  RunEventBase,
  RunEventType,
  RunFailedEvent,
  RunRecord,
  RunStartedEvent,
  SeqJournalEntry,
  StepCancelledEvent,
  StepCompletedEvent,
  StepFailedEvent,
  StepJournalEntry,
  StepLogEvent,
  StepProgressEvent,
  StepRetryingEvent,
  StepRun,
  StepSkippedEvent,
  StepStartedEvent,
} from '../model/run.js';
// plans: what a run (or a resume) would do, step by step, and why
export type { StepAction } from './decide.js';
// step modes: the seam for streaming and row_iterative
export { type ModeEnvironment, type ModeRunner, modeRunnerFor, modeRunners } from './modes/index.js';
// the run object
export { newRunId, Run, type RunInit } from './run.js';
export type { PlanOptions, RunPlan, StepPlan } from './run-plan.js';
// the runner
export {
  type ResumeOptions,
  type RunOptions,
  WorkflowRunner,
  type WorkflowRunnerOptions,
} from './workflow-runner.js';
