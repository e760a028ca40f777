import type { RunRecord, RunSummary } from '@stepwise/core';
import { outputSize } from '../execute.js';
import { type CommandIO, ExitCode, println, useColor } from '../io.js';
import { type CommandContext, openProject } from '../project.js';
import { errorLines } from '../report/errors.js';
import { renderSummary } from '../report/summary.js';
import { loadRun } from '../run-history.js';
import { openRunStore, requireRunStore } from '../run-store-context.js';
import { colors, formatDuration, formatRows, formatTime, paintStatus } from '../view/format.js';
import type { RunView, StepView } from '../view/run-view.js';
import { type PreviewOptions, previewValue, reusedSteps } from './preview.js';

/** Options of `stepwise show`: those of `preview` for a step's output. */
export type ShowOptions = PreviewOptions;

/**
 * `stepwise show <run> [step]`: a run's steps with status, attempts, duration, rows and errors with
 * their causes; with a step, the first rows of its output (as `stepwise preview <run> <step>`).
 */
export async function showCommand(io: CommandIO, args: string[], options: ShowOptions): Promise<number> {
  const [runId = '', stepId] = args;
  const project = await openProject(io, options);
  if (stepId !== undefined) return previewValue(io, project, { runId, stepId }, options);
  const access = await openRunStore(io, project, options.store, 'show');
  const context = requireRunStore(access, `Run ${runId}`);
  const stored = await loadRun(context, runId, access.where);
  if (options.json) {
    println(io.stdout, JSON.stringify(stored));
    return ExitCode.OK;
  }
  const { summary, record } = stored;
  const color = useColor(io.stdout, io.env);
  const c = colors(color);
  for (const line of headLines(summary, record, c)) println(io.stdout, line);
  const view = recordView(io, summary, record, context);
  println(io.stdout, renderSummary(view, c, color));
  for (const step of view.steps) {
    if (step.status !== 'failed' || step.error === undefined) continue;
    println(io.stdout, '');
    println(io.stdout, c.red(`Step "${step.id}" (${step.type}) failed:`));
    for (const line of errorLines(step.error, options.verbose === true)) println(io.stdout, `  ${line}`);
  }
  const outputs = Object.entries(record.outputs);
  if (outputs.length > 0) {
    println(io.stdout, '');
    println(io.stdout, c.bold('Outputs:'));
    for (const [name, ref] of outputs) println(io.stdout, `  ${name} → ${describeRef(io, context, ref)}`);
  }
  println(
    io.stdout,
    c.dim(`\nA step's output: stepwise show ${record.id} <step> (or stepwise preview ${record.id} <step>)`),
  );
  return ExitCode.OK;
}

/** `Run run_… of workflow "orders" (Revenue by region): completed`, when it ran, and what a partial run reused. */
function headLines(summary: RunSummary, record: RunRecord, c: ReturnType<typeof colors>): string[] {
  const name = record.workflow.name && record.workflow.name !== summary.workflowId ? ` (${record.workflow.name})` : '';
  const ended =
    summary.endedAt === undefined
      ? ', not ended'
      : `, ended ${formatTime(summary.endedAt)} (${formatDuration(summary.endedAt - summary.startedAt)})`;
  const lines = [
    `Run ${c.bold(summary.id)} of workflow "${summary.workflowId}"${name}: ${paintStatus(summary.status, c)}`,
    `Started ${formatTime(summary.startedAt)}${ended}.`,
  ];
  const partial = record.workflow.metadata?.partial as { selection?: Record<string, string[]> } | undefined;
  if (partial?.selection !== undefined) {
    const flags = Object.entries(partial.selection)
      .map(([flag, ids]) => `--${flag} ${ids.join(',')}`)
      .join(' ');
    lines.push(`A partial run (${flags}): the steps shown as reused were not run; their earlier outputs were read.`);
  }
  return lines;
}

/** The run's steps as the summary table shows them: the record's states, sizes from the store. */
function recordView(io: CommandIO, summary: RunSummary, record: RunRecord, context: CommandContext): RunView {
  const steps: StepView[] = [];
  for (const [id, { run, ref, type }] of reusedSteps(record)) {
    const size = context.has(ref) ? outputSize(io, context, ref) : undefined;
    steps.push({ id, type, status: 'completed', reusedFrom: run, ...size });
  }
  for (const document of record.workflow.steps) {
    const run = record.steps.find((s) => s.id === document.id);
    const step: StepView = { id: document.id, type: document.type, status: run?.status ?? 'pending' };
    if (run?.attempts) step.attempts = run.attempts;
    if (run?.startedAt !== undefined && run.endedAt !== undefined) step.durationMs = run.endedAt - run.startedAt;
    if (run?.error !== undefined) step.error = run.error;
    if (run?.cached) step.cached = true;
    if (run?.status === 'completed' && run.output === undefined) step.fusedInto = readerOf(record, document.id) ?? '?';
    if (run?.output !== undefined && context.has(run.output)) Object.assign(step, outputSize(io, context, run.output));
    steps.push(step);
  }
  return { runId: record.id, status: summary.status, steps, outputs: record.outputs };
}

function readerOf(record: RunRecord, stepId: string): string | undefined {
  return record.workflow.steps.find((s) => Object.values(s.inputs ?? {}).some((r) => 'step' in r && r.step === stepId))
    ?.id;
}

/** `ref_… (DataFrame, 4 rows)`, or the file a FileReference names, or that the value is gone. */
function describeRef(io: CommandIO, context: CommandContext, ref: string): string {
  if (!context.has(ref)) return `${ref} (no longer in the store)`;
  const info = context.info(ref);
  const size = outputSize(io, context, ref);
  if (size?.file !== undefined) return `${size.file} (file)`;
  return `${ref} (${[info.type, formatRows(info.rows)].filter((p) => p !== '').join(', ')})`;
}
