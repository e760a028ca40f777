import { type Colors, formatBytes, formatDuration, formatRows, paintStatus, statusSymbol } from '../view/format.js';
import { originOf } from '../view/render.js';
import type { RunView } from '../view/run-view.js';
import { boxTable } from './box-table.js';

/** The right-aligned columns of the summary: duration, rows, size, attempts. */
const RIGHT: ReadonlySet<number> = new Set([4, 5, 6, 7]);

/**
 * The table printed after a run: one row per step with status (`cached` or `reused` for a step that
 * took an output without running), duration, rows, size and the attempts it took.
 */
export function renderSummary(view: RunView, c: Colors, color: boolean): string {
  const rows = view.steps.map((step) => [
    statusSymbol(step.status, c),
    step.id,
    step.type,
    originOf(step, view.runId) ?? step.status,
    formatDuration(step.durationMs),
    formatRows(step.rows).replace(/ rows?$/, ''),
    step.fusedInto === undefined ? formatBytes(step.bytes) : `fused → ${step.fusedInto}`,
    step.attempts === undefined ? '' : String(step.attempts),
  ]);
  return boxTable({
    head: ['', 'step', 'type', 'status', 'duration', 'rows', 'size', 'attempts'],
    rows,
    right: RIGHT,
    ...(color ? { paintHead: c.cyan, paintBorder: c.gray } : {}),
  });
}

/** `Run run_… completed in 2.4s: 6 steps completed.` */
export function renderRunLine(view: RunView, c: Colors): string {
  const counts = new Map<string, number>();
  for (const step of view.steps) {
    const status = step.reusedFrom === undefined ? step.status : 'reused';
    counts.set(status, (counts.get(status) ?? 0) + 1);
  }
  const parts = [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
  return `Run ${view.runId ?? ''} ${paintStatus(view.status, c)} in ${formatDuration(view.durationMs)}: ${parts}.`;
}
