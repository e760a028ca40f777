import type { RunPlan, StepAction } from '@stepwise/core';
import { type CommandIO, println } from '../io.js';
import { type Colors, pad } from '../view/format.js';

const SYMBOLS: Record<StepAction, string> = { reuse: '↺', cached: '⚡', run: '▶' };

/**
 * Prints a plan (`--dry-run`): one line per step with what it would do and why, then the counts;
 * with --json, the plan as JSON. Steps expected to run pushed down to DuckDB (`pushdown`, the
 * segments of `pushdownSegments`) are marked. Nothing was run.
 */
export function printPlan(
  io: CommandIO,
  plan: RunPlan,
  options: { json: boolean; c: Colors; lead: string; pushdown?: string[][] },
): void {
  const segments = options.pushdown ?? [];
  if (options.json) {
    println(io.stdout, JSON.stringify(segments.length > 0 ? { ...plan, pushdown: segments } : plan));
    return;
  }
  const pushed = new Set(segments.flat());
  const { c } = options;
  println(io.stdout, options.lead);
  const idWidth = Math.max(4, ...plan.steps.map((step) => step.id.length));
  const typeWidth = Math.max(4, ...plan.steps.map((step) => step.type.length));
  for (const step of plan.steps) {
    const colour = step.action === 'run' ? c.yellow : c.green;
    const head = `${colour(SYMBOLS[step.action])} ${c.bold(pad(step.id, idWidth))}  ${c.dim(pad(step.type, typeWidth))}`;
    const mark = pushed.has(step.id) ? c.dim(' · pushed down to DuckDB') : '';
    println(io.stdout, `  ${head}  ${step.message}${mark}`);
  }
  for (const segment of segments)
    println(io.stdout, c.dim(`Pushed down to DuckDB as one query: ${segment.join(' → ')}.`));
  const { run, cached, reuse } = plan.counts;
  const parts = [`${run} to run`, `${cached} from the cache`, ...(plan.reuse ? [`${reuse} reused`] : [])];
  println(io.stdout, `${parts.join(', ')}. Nothing was run (--dry-run).`);
}
