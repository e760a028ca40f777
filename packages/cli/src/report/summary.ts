import Table from 'cli-table3';
import { type Colors, formatBytes, formatDuration, formatRows, statusSymbol } from '../view/format.js';
import type { RunView } from '../view/run-view.js';

/** The table printed after a run: one row per step with status, duration, rows, size and attempts. */
export function renderSummary(view: RunView, c: Colors, color: boolean): string {
  const table = new Table({
    head: ['', 'step', 'type', 'status', 'duration', 'rows', 'size', 'attempts'],
    style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [] },
    colAligns: ['left', 'left', 'left', 'left', 'right', 'right', 'right', 'right'],
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const step of view.steps) {
    table.push([
      statusSymbol(step.status, c),
      step.id,
      step.type,
      step.status,
      formatDuration(step.durationMs),
      formatRows(step.rows).replace(/ rows?$/, ''),
      step.fusedInto === undefined ? formatBytes(step.bytes) : `fused → ${step.fusedInto}`,
      step.attempts === undefined ? '' : String(step.attempts),
    ]);
  }
  return table.toString();
}

/** `Run run_… completed in 2.4s: 6 steps completed.` */
export function renderRunLine(view: RunView, c: Colors): string {
  const counts = new Map<string, number>();
  for (const step of view.steps) counts.set(step.status, (counts.get(step.status) ?? 0) + 1);
  const parts = [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
  const status =
    view.status === 'completed'
      ? c.green(view.status)
      : view.status === 'failed'
        ? c.red(view.status)
        : c.yellow(view.status);
  return `Run ${view.runId ?? ''} ${status} in ${formatDuration(view.durationMs)}: ${parts}.`;
}
