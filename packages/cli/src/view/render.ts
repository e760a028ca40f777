import { type Colors, formatBytes, formatDuration, formatRows, pad, progressBar, statusSymbol } from './format.js';
import type { RunView, StepView } from './run-view.js';

/** How to render: the clock (for running steps' elapsed time) and colours. */
export interface RenderOptions {
  now: number;
  c: Colors;
}

/** The live view: one line per step, in workflow order. A pure function of the view. */
export function renderLiveView(view: RunView, options: RenderOptions): string[] {
  const widths = columnWidths(view);
  return view.steps.map((step) => renderStepLine(step, { ...options, ...widths, runId: view.runId }));
}

function columnWidths(view: RunView): { idWidth: number; typeWidth: number } {
  return {
    idWidth: Math.max(4, ...view.steps.map((s) => s.id.length)),
    typeWidth: Math.max(4, ...view.steps.map((s) => s.type.length)),
  };
}

/** One step's line: symbol, id, type, duration, then rows and size, a progress bar, or why it did not run. */
export function renderStepLine(
  step: StepView,
  options: RenderOptions & { idWidth?: number; typeWidth?: number; runId?: string | undefined },
): string {
  const { c } = options;
  const head = `${statusSymbol(step.status, c)} ${c.bold(pad(step.id, options.idWidth ?? 0))}  ${c.dim(pad(step.type, options.typeWidth ?? 0))}`;
  const elapsed =
    step.status === 'running' && step.startedAt !== undefined ? options.now - step.startedAt : step.durationMs;
  const parts = [pad(formatDuration(elapsed), 7), ...stepDetail(step, c, options.runId)];
  if (step.pushedDown === true && step.status !== 'failed') parts.push(c.dim('⇣ DuckDB'));
  return `${head}  ${parts.join('  ')}`.trimEnd();
}

function stepDetail(step: StepView, c: Colors, runId: string | undefined): string[] {
  switch (step.status) {
    case 'running':
      if (step.retrying !== undefined) return [c.yellow(retryingText(step.retrying))];
      return step.progress ? [c.cyan(progressBar(step.progress.done, step.progress.total))] : [c.dim('running')];
    case 'completed': {
      // a step a partial run did not run: its output is another run's
      if (step.reusedFrom !== undefined && step.reusedFrom !== runId)
        return [c.dim(`reused from ${step.reusedFrom}, not run`)];
      if (step.fusedInto !== undefined) return [c.dim(`fused: streamed into ${step.fusedInto}, not stored`)];
      const origin = originOf(step, runId);
      return [
        origin === undefined ? '' : c.cyan(origin),
        formatRows(step.rows),
        formatBytes(step.bytes),
        step.file ? c.dim(`→ ${step.file}`) : '',
      ].filter((s) => s !== '');
    }
    case 'failed':
      // the error itself is printed once, after the run, with its cause
      return [c.red('failed')];
    case 'skipped':
      return [c.yellow(`skipped (${step.skippedBecause ?? 'a dependency'} did not complete)`)];
    case 'cancelled':
      return [c.yellow('cancelled')];
    default:
      return [c.dim('pending')];
  }
}

/** Where a completed step's output came from when it did not run: `cached`, `reused`, `reused from run_…`. */
export function originOf(step: StepView, runId?: string): string | undefined {
  if (step.cached === true) return 'cached';
  if (step.reusedFrom === undefined) return undefined;
  return step.reusedFrom === runId ? 'reused' : `reused from ${step.reusedFrom}`;
}

/** `attempt 1 failed: <first line>; attempt 2 in 200ms`. */
function retryingText(retrying: NonNullable<StepView['retrying']>): string {
  const why = retrying.error.message.split('\n')[0] ?? '';
  return `attempt ${retrying.attempt - 1} failed: ${why}; attempt ${retrying.attempt} in ${formatDuration(retrying.delayMs)}`;
}

/** The line printed for one step when there is no TTY (a step that started, retries or finished), or undefined. */
export function renderPlainLine(
  view: RunView,
  stepId: string,
  event: string,
  options: RenderOptions,
): string | undefined {
  if (event === 'step.progress' || event === 'step.log') return undefined;
  const step = view.steps.find((s) => s.id === stepId);
  if (step === undefined || step.status === 'pending') return undefined;
  return renderStepLine(step, { ...options, ...columnWidths(view), runId: view.runId });
}
