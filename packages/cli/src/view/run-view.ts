import type { RunEvent, RunStatus, StepErrorInfo, StepState, WorkflowPlan } from '@stepwise/core';

/** What the live view knows of one step. */
export interface StepView {
  id: string;
  type: string;
  status: StepState;
  startedAt?: number;
  durationMs?: number;
  rows?: number;
  bytes?: number;
  /** The file a step wrote, when its output is a FileReference. */
  file?: string;
  progress?: { done: number; total?: number };
  attempts?: number;
  error?: StepErrorInfo;
  /** The dependency that did not complete, for a skipped step. */
  skippedBecause?: string;
  /** The steps that read this one's output (to say where a fused streaming step's chunks went). */
  readBy?: string[];
  /** For a fused streaming step: the step its chunks streamed into (its output was not stored). */
  fusedInto?: string;
  /** Its output came from the cache (`strategy.cache`): it did not run. */
  cached?: boolean;
  /** Its output was kept from this run (a resume) or taken from an earlier one (a partial run): it did not run. */
  reusedFrom?: string;
  /** Expected to run pushed down to DuckDB: its output is a lazy table (a query), run when read. */
  pushedDown?: boolean;
  /** While an attempt failed and the step waits to try again: the next attempt, when, and why. */
  retrying?: { attempt: number; delayMs: number; error: StepErrorInfo };
}

/** What the live view knows of a run: built from events only, so it is the same live, in tests and on replay. */
export interface RunView {
  runId?: string;
  /** A step state, or what a run store says of a run (`interrupted`). */
  status: RunStatus;
  steps: StepView[];
  startedAt?: number;
  durationMs?: number;
  outputs: Record<string, string>;
}

/** Rows and bytes of the value under a ref, when known (from `ctx.info`). */
export type SizeOf = (ref: string) => { rows?: number; bytes?: number; file?: string } | undefined;

/** A view of a run whose steps are all pending; `readBy` lists the steps reading each one's output. */
export function createRunView(steps: { id: string; type: string; readBy?: string[] }[]): RunView {
  const pending = steps.map(({ id, type, readBy }) => ({
    id,
    type,
    status: 'pending' as const,
    ...(readBy === undefined ? {} : { readBy }),
  }));
  return { status: 'pending', steps: pending, outputs: {} };
}

/** A view of a run of `plan`: its steps in order, each with the steps that read its output. */
export function planView(plan: WorkflowPlan): RunView {
  const readBy = new Map<string, string[]>();
  for (const step of plan.steps)
    for (const reference of Object.values(step.inputs))
      if ('step' in reference) readBy.set(reference.step, [...(readBy.get(reference.step) ?? []), step.id]);
  return createRunView(plan.steps.map((s) => ({ id: s.id, type: s.stepType.slug, readBy: readBy.get(s.id) ?? [] })));
}

/**
 * The view of a partial run with the steps it reads but does not run put back in their place (the
 * order of `whole`), shown completed, with the run their output comes from.
 */
export function withReusedSteps(
  view: RunView,
  whole: WorkflowPlan,
  reused: readonly { stepId: string; type: string; runId: string; ref: string }[],
  sizeOf?: SizeOf,
): RunView {
  if (reused.length === 0) return view;
  const byId = new Map(view.steps.map((step) => [step.id, step]));
  for (const { stepId, type, runId, ref } of reused) {
    const { rows, bytes } = sizeOf?.(ref) ?? {};
    const size = { ...(rows === undefined ? {} : { rows }), ...(bytes === undefined ? {} : { bytes }) };
    byId.set(stepId, { id: stepId, type, status: 'completed', reusedFrom: runId, ...size });
  }
  view.steps = whole.steps.flatMap((step) => byId.get(step.id) ?? []);
  return view;
}

/** Applies one event to the view (in place) and returns it. */
export function applyEvent(view: RunView, event: RunEvent, sizeOf?: SizeOf): RunView {
  const step = 'stepId' in event ? view.steps.find((s) => s.id === event.stepId) : undefined;
  switch (event.type) {
    case 'run.started':
      view.runId = event.runId;
      view.status = 'running';
      view.startedAt = event.ts;
      break;
    case 'step.started':
      if (step) Object.assign(step, { status: 'running', startedAt: event.ts, attempts: event.attempt });
      break;
    case 'step.retrying':
      if (step)
        Object.assign(step, {
          attempts: event.attempt + 1,
          retrying: { attempt: event.attempt + 1, delayMs: event.delayMs, error: event.error },
        });
      break;
    case 'step.progress':
      if (step)
        step.progress = event.total === undefined ? { done: event.done } : { done: event.done, total: event.total };
      break;
    case 'step.completed':
      if (step) completeStep(step, event, sizeOf);
      break;
    case 'step.failed':
      if (step) {
        Object.assign(step, { status: 'failed', error: event.error, durationMs: event.durationMs });
        step.attempts = event.attempts;
        delete step.retrying;
      }
      break;
    case 'step.skipped':
      if (step) Object.assign(step, { status: 'skipped', skippedBecause: event.dependency });
      break;
    case 'step.cancelled':
      if (step) {
        step.status = 'cancelled';
        if (step.startedAt !== undefined) step.durationMs = event.ts - step.startedAt;
      }
      break;
    case 'run.completed':
      Object.assign(view, { status: 'completed', durationMs: ownTime(view, event), outputs: event.outputs });
      break;
    case 'run.failed':
      Object.assign(view, { status: 'failed', durationMs: ownTime(view, event) });
      break;
    case 'run.cancelled':
      Object.assign(view, { status: 'cancelled', durationMs: ownTime(view, event) });
      break;
    default:
      break;
  }
  return view;
}

/**
 * The time of this execution: from its own `run.started`. (The event's `durationMs` runs from the run's
 * first start, which for a resumed run includes however long it waited to be resumed.)
 */
function ownTime(view: RunView, event: { ts: number; durationMs: number }): number {
  return view.startedAt === undefined ? event.durationMs : event.ts - view.startedAt;
}

function completeStep(step: StepView, event: Extract<RunEvent, { type: 'step.completed' }>, sizeOf?: SizeOf): void {
  step.status = 'completed';
  step.durationMs = event.durationMs;
  step.attempts = event.attempts;
  delete step.progress;
  delete step.retrying;
  if (event.cached === true) step.cached = true;
  if (event.reusedFrom !== undefined) step.reusedFrom = event.reusedFrom;
  // a fused streaming step hands its chunks to its one reader: no output ref, nothing stored
  if (event.output === '' && step.readBy?.length === 1) step.fusedInto = step.readBy[0] as string;
  const size = event.output === '' ? undefined : sizeOf?.(event.output);
  const rows = size?.rows ?? event.rows;
  if (rows !== undefined) step.rows = rows;
  if (size?.bytes !== undefined) step.bytes = size.bytes;
  if (size?.file !== undefined) step.file = size.file;
}

/** The view with the steps of pushed-down segments (`pushdownSegments`) marked. */
export function withPushdown(view: RunView, segments: readonly string[][]): RunView {
  const pushed = new Set(segments.flat());
  if (pushed.size === 0) return view;
  return { ...view, steps: view.steps.map((step) => (pushed.has(step.id) ? { ...step, pushedDown: true } : step)) };
}
