import type { StepErrorInfo } from '../errors/stepwise-error.js';
import type { WorkflowDocument } from './document.js';
import type { StepState } from './step-state.js';

/** One step in one run: its state, timing, attempts, error and output ref. Plain JSON. */
export interface StepRun {
  id: string;
  status: StepState;
  /** Epoch milliseconds of the first attempt's start. */
  startedAt?: number;
  /** Epoch milliseconds of the moment the step reached a final state. */
  endedAt?: number;
  /** Attempts made so far (1 without retries). */
  attempts: number;
  /** Why the step failed (or was cancelled). */
  error?: StepErrorInfo;
  /** The ref of the step's output in the runtime context, once completed. */
  output?: string;
  /** True when the output was taken from the cache (`strategy.cache`) and the step did not run. */
  cached?: boolean;
  /** The run whose output the step took without running (a resume keeping it, or a later run reusing it). */
  reusedFrom?: string;
  /**
   * The step key its output was computed under, once known: written when the step is cached, or
   * when a resume compares it; otherwise rebuilt from the record (document, fingerprints, files).
   */
  key?: string;
  /** The files the step read, as its step type's `files` hook saw them just before it ran. */
  files?: FileIdentity[];
}

/**
 * A file as a step key sees it: where, how large, when last modified, and a content hash when the
 * step type asks for one. Plain JSON.
 */
export interface FileIdentity {
  /** The path as the step's config names it (relative to the data root). */
  path: string;
  /** Bytes; absent when the file is missing. */
  size?: number;
  /** Modification time, epoch milliseconds; absent when the file is missing. */
  mtimeMs?: number;
  /** SHA-256 of the content, hex; only when the step type asked for it. */
  sha256?: string;
  /** True when the file does not exist (its step will fail or create it). */
  missing?: boolean;
}

/** The record format's name. */
export const RUN_RECORD_FORMAT = 'stepwise.run';

/** A run as plain JSON: enough for another process to show it or resume it. */
export interface RunRecord {
  format: typeof RUN_RECORD_FORMAT;
  version: 1;
  id: string;
  workflowId: string;
  /**
   * What the run store holds: a {@link StepState}. A reader (`loadRun`, `listRuns`) answers
   * `interrupted` for a run still marked `running` whose owner is gone.
   */
  status: RunStatus;
  startedAt: number;
  endedAt?: number;
  /**
   * The run's own error, when it failed for a reason of its own (its record could not be saved).
   * A step's error is kept once, in its step: {@link RunRecord.failedStep} points to it.
   */
  error?: StepErrorInfo;
  /** The first failing step, whose `error` is why the run failed. */
  failedStep?: string;
  /**
   * A short hash of each step type's definition (its code, params schema and fields) by slug, as
   * the run's steps ran: a step whose type changed since is run again on resume.
   */
  fingerprints?: Record<string, string>;
  /** The refs given for the workflow inputs. */
  inputs: Record<string, string>;
  /** The workflow outputs available so far, as refs. */
  outputs: Record<string, string>;
  /** The last event sequence number used; a resumed run continues after it. */
  seq: number;
  /** Every step, in workflow order. */
  steps: StepRun[];
  /** The workflow document the run executed. */
  workflow: WorkflowDocument;
  /** The process executing the run, while it runs (kept by a run store for listing). */
  owner?: RunOwner;
}

/** How a run stands in a run store: a {@link StepState}, or `interrupted` when its owner is gone. */
export type RunStatus = StepState | 'interrupted';

/** The process that executes a run, and when it last said it is alive. Plain JSON. */
export interface RunOwner {
  /** Process id on `host`. */
  pid: number;
  host: string;
  /** Epoch milliseconds of the owner's last heartbeat. */
  heartbeatAt: number;
}

/** What a run store lists of a run: small and flat, every field a listing filters or sorts on. */
export interface RunSummary {
  id: string;
  workflowId: string;
  status: RunStatus;
  /** Epoch milliseconds. */
  startedAt: number;
  endedAt?: number;
  owner?: RunOwner;
}

/**
 * One entry of a run's journal: plain JSON with a `type` naming what happened (a step's state
 * changed, ...). Entries are appended after the run's last saved record and applied over it when
 * the run is read back, so each should set a state (idempotent), not increment one. The runner
 * writes {@link StepJournalEntry} and {@link SeqJournalEntry}; a reader ignores types it does not know.
 */
export interface RunJournalEntry {
  readonly type: string;
  /** What a store reads back is untrusted: a reader checks a field before it uses it (stores check it is JSON). */
  readonly [field: string]: unknown;
}

/**
 * A step's state changed: its whole {@link StepRun}, which replaces the one before.
 * (A type alias, not an interface, so that it is a {@link RunJournalEntry} as it stands.)
 */
export type StepJournalEntry = {
  readonly type: 'step';
  readonly step: StepRun;
};

/** The run's last event sequence number, so that a resumed run numbers its events after it. */
export type SeqJournalEntry = {
  readonly type: 'seq';
  readonly seq: number;
};

/** Fields every run event carries. */
export interface RunEventBase {
  runId: string;
  /** Monotonic within a run (continues across resumes). */
  seq: number;
  /** Epoch milliseconds. */
  ts: number;
}

/** A run began (or was resumed). */
export interface RunStartedEvent extends RunEventBase {
  type: 'run.started';
  workflowId: string;
  /** The ids of the steps this execution will try, in workflow order. */
  steps: string[];
  resumed: boolean;
}

/** A step began its first attempt. */
export interface StepStartedEvent extends RunEventBase {
  type: 'step.started';
  stepId: string;
  attempt: number;
}

/** A step reported progress through `ctx.progress`. */
export interface StepProgressEvent extends RunEventBase {
  type: 'step.progress';
  stepId: string;
  done: number;
  total?: number;
}

/** A step logged at info level or above through `ctx.log`. */
export interface StepLogEvent extends RunEventBase {
  type: 'step.log';
  stepId: string;
  level: 'info' | 'warn' | 'error';
  message: string;
}

/** An attempt failed and the step will be tried again after `delayMs`. */
export interface StepRetryingEvent extends RunEventBase {
  type: 'step.retrying';
  stepId: string;
  /** The attempt that failed. */
  attempt: number;
  delayMs: number;
  error: StepErrorInfo;
}

/** A step produced its output. */
export interface StepCompletedEvent extends RunEventBase {
  type: 'step.completed';
  stepId: string;
  /** The output's ref in the runtime context. */
  output: string;
  durationMs: number;
  attempts: number;
  /** Rows of the output, when known without work (an array's length). */
  rows?: number;
  /** True when the output was taken from the cache (`strategy.cache`); `attempts` is then 0. */
  cached?: boolean;
  /** The run whose output the step kept without running (a resume reusing an unchanged step). */
  reusedFrom?: string;
}

/** A step failed after its last attempt. */
export interface StepFailedEvent extends RunEventBase {
  type: 'step.failed';
  stepId: string;
  error: StepErrorInfo;
  durationMs: number;
  attempts: number;
}

/** A step did not run because a dependency did not complete. */
export interface StepSkippedEvent extends RunEventBase {
  type: 'step.skipped';
  stepId: string;
  /** The dependency that did not complete. */
  dependency: string;
  reason: string;
}

/** A step was cancelled (running or pending when the run's signal aborted). */
export interface StepCancelledEvent extends RunEventBase {
  type: 'step.cancelled';
  stepId: string;
}

/** Every step completed. */
export interface RunCompletedEvent extends RunEventBase {
  type: 'run.completed';
  durationMs: number;
  outputs: Record<string, string>;
}

/** Some step failed, or the run's record could not be saved. */
export interface RunFailedEvent extends RunEventBase {
  type: 'run.failed';
  durationMs: number;
  /** The run's own error (its record could not be saved); a step's error was sent once, with its `step.failed`. */
  error?: StepErrorInfo;
  failedSteps: string[];
}

/** The run's signal aborted before every step finished. */
export interface RunCancelledEvent extends RunEventBase {
  type: 'run.cancelled';
  durationMs: number;
}

/** Everything a run reports, discriminated on `type`. Plain JSON. */
export type RunEvent =
  | RunStartedEvent
  | StepStartedEvent
  | StepProgressEvent
  | StepLogEvent
  | StepRetryingEvent
  | StepCompletedEvent
  | StepFailedEvent
  | StepSkippedEvent
  | StepCancelledEvent
  | RunCompletedEvent
  | RunFailedEvent
  | RunCancelledEvent;

/** The `type` of every {@link RunEvent}. */
export type RunEventType = RunEvent['type'];
