import type { RunEvent, RunRecord, RunStatus, StepErrorInfo, StepState } from '@stepwise/core/model';

/** What the canvas shows of one step in a run. */
export interface StepView {
  status: StepState;
  attempts: number;
  startedAt?: number;
  durationMs?: number;
  rows?: number;
  cached?: boolean;
  /** The run whose output the step kept without running (a resume keeping an unchanged step). */
  reusedFrom?: string;
  /** The latest `step.progress`. */
  progress?: { done: number; total?: number };
  /** Why it failed or was cancelled, or the error of a retried attempt while it retries. */
  error?: StepErrorInfo;
  /** For a skipped step: the dependency that did not complete, and why. */
  skipped?: { dependency: string; reason: string };
  /** The output's ref once completed (for the data preview). */
  output?: string;
  /** The latest log lines, at most {@link LOG_LINES}. */
  logs: { level: 'info' | 'warn' | 'error'; message: string }[];
}

/** A run as the editor follows it: the run's status and one view per step. */
export interface RunView {
  runId: string;
  /** `interrupted` for a run from the history whose process died (it can be resumed). */
  status: RunStatus;
  /** The last event's sequence number, for resuming the event stream (`Last-Event-ID`). */
  seq: number;
  durationMs?: number;
  error?: StepErrorInfo;
  steps: Readonly<Record<string, StepView>>;
}

/** Log lines kept per step. */
export const LOG_LINES = 50;

/** The view of a run from its record (a run opened from the history). */
export function runViewOf(record: RunRecord): RunView {
  const steps: Record<string, StepView> = {};
  for (const step of record.steps) {
    const view: StepView = { status: step.status, attempts: step.attempts, logs: [] };
    if (step.startedAt !== undefined) view.startedAt = step.startedAt;
    if (step.startedAt !== undefined && step.endedAt !== undefined) view.durationMs = step.endedAt - step.startedAt;
    if (step.error) view.error = step.error;
    if (step.output) view.output = step.output;
    if (step.cached) view.cached = true;
    if (step.reusedFrom) view.reusedFrom = step.reusedFrom;
    steps[step.id] = view;
  }
  const view: RunView = { runId: record.id, status: record.status, seq: record.seq, steps };
  if (record.endedAt !== undefined) view.durationMs = record.endedAt - record.startedAt;
  // a step's error is kept once, in its step; the record names the step
  const failed = record.failedStep === undefined ? undefined : steps[record.failedStep];
  const error = record.error ?? failed?.error;
  if (error) view.error = error;
  return view;
}

/**
 * The view with each completed step's row count taken from its output's info (`values` of
 * `GET /api/runs/:id`, by ref), where the events gave none: a step's event counts the rows of an
 * array only, so a DataFrame's come from the stored value's info. The same view when nothing changes.
 */
export function withOutputRows(view: RunView, values: Readonly<Record<string, { rows?: number }>>): RunView {
  let steps: Record<string, StepView> | undefined;
  for (const [id, step] of Object.entries(view.steps)) {
    const rows = step.output === undefined ? undefined : values[step.output]?.rows;
    if (rows === undefined || step.rows !== undefined) continue;
    steps ??= { ...view.steps };
    steps[id] = { ...step, rows };
  }
  return steps === undefined ? view : { ...view, steps };
}

/**
 * The run after one event. Events at or below the view's `seq` are ignored, so a stream that
 * reconnects and replays some events leaves the view as it was. Unchanged steps keep their object.
 */
export function applyRunEvent(view: RunView | undefined, event: RunEvent): RunView {
  const base: RunView = view ?? { runId: event.runId, status: 'pending', seq: 0, steps: {} };
  if (view !== undefined && event.seq <= view.seq) return view;
  const next: RunView = { ...base, seq: event.seq };
  switch (event.type) {
    case 'run.started': {
      const steps = { ...base.steps };
      for (const id of event.steps) steps[id] = { status: 'pending', attempts: 0, logs: [] };
      return { ...next, status: 'running', steps };
    }
    case 'run.completed':
      return { ...next, status: 'completed', durationMs: event.durationMs };
    case 'run.failed': {
      // the run's own error, or the first failing step's (sent once, with its step.failed)
      const error = event.error ?? base.steps[event.failedSteps[0] ?? '']?.error;
      return error
        ? { ...next, status: 'failed', durationMs: event.durationMs, error }
        : { ...next, status: 'failed', durationMs: event.durationMs };
    }
    case 'run.cancelled':
      return { ...next, status: 'cancelled', durationMs: event.durationMs };
    default:
      return { ...next, steps: { ...base.steps, [event.stepId]: stepAfter(base.steps[event.stepId], event) } };
  }
}

type StepEvent = Exclude<RunEvent, { type: 'run.started' | 'run.completed' | 'run.failed' | 'run.cancelled' }>;

function stepAfter(current: StepView | undefined, event: StepEvent): StepView {
  const step: StepView = current ?? { status: 'pending', attempts: 0, logs: [] };
  switch (event.type) {
    case 'step.started': {
      const { error: _cleared, progress: _reset, ...rest } = step;
      return { ...rest, status: 'running', attempts: event.attempt, startedAt: event.ts };
    }
    case 'step.progress':
      return {
        ...step,
        progress: event.total === undefined ? { done: event.done } : { done: event.done, total: event.total },
      };
    case 'step.log':
      return { ...step, logs: [...step.logs, { level: event.level, message: event.message }].slice(-LOG_LINES) };
    case 'step.retrying':
      return { ...step, attempts: event.attempt, error: event.error };
    case 'step.completed': {
      const { error: _cleared, cached: _cached, reusedFrom: _reused, ...rest } = step;
      const done: StepView = {
        ...rest,
        status: 'completed',
        durationMs: event.durationMs,
        attempts: event.attempts,
        output: event.output,
      };
      if (event.rows !== undefined) done.rows = event.rows;
      if (event.cached) done.cached = true;
      if (event.reusedFrom) done.reusedFrom = event.reusedFrom;
      return done;
    }
    case 'step.failed':
      return { ...step, status: 'failed', durationMs: event.durationMs, attempts: event.attempts, error: event.error };
    case 'step.skipped':
      return { ...step, status: 'skipped', skipped: { dependency: event.dependency, reason: event.reason } };
    case 'step.cancelled':
      return { ...step, status: 'cancelled' };
  }
}
