import { isRunId, loadRun, type RunRecord, Workflow, type WorkflowPlan } from '@stepwise/core';
import { createRunner, executeRun, outputSize, type RunFlags } from '../execute.js';
import { type CommandIO, ExitCode, useColor } from '../io.js';
import { outputTargets } from '../output-targets.js';
import { type CommandContext, openContext, openProject, type Project, readWorkflowFile, storeDir } from '../project.js';
import { printPlan } from '../report/plan.js';
import { UsageError } from '../usage-error.js';
import { colors } from '../view/format.js';
import { planView, type RunView } from '../view/run-view.js';

/** Options of `stepwise resume`. */
export interface ResumeCommandOptions extends RunFlags {
  /** `step.key=value` settings written into step configs of the workflow file before validation. */
  set?: string[];
  /** Print what each step would do (reuse, cached or run, and why) and run nothing. */
  dryRun?: boolean;
}

/**
 * `stepwise resume <run-id> [workflow]`: continues a failed, cancelled or interrupted run kept in
 * the file store, with the workflow file as it is now when given (else the document the run
 * executed): each step whose key is unchanged keeps its output, the others run.
 */
export async function resumeCommand(
  io: CommandIO,
  args: { runId: string; file: string | undefined },
  options: ResumeCommandOptions,
): Promise<number> {
  const { runId, file } = args;
  const project = await openProject(io, options);
  const context = await openContext(io, project, options.store);
  const dir = storeDir(context);
  if (dir === undefined) throw new UsageError('resume needs a file store; the store is "memory". Pass --store <dir>.');
  if (!isRunId(runId)) {
    throw new UsageError(
      `${JSON.stringify(runId)} is not a run id; run ids look like run_… (printed when a run starts).`,
    );
  }
  const record = await loadRun(context.store.runs, runId);
  if (record === undefined)
    throw new UsageError(`Run ${runId} is not in the store ${dir}.`, ['Pass the store it ran with: --store <dir>.']);
  if (record.status === 'running' || record.status === 'pending') throw stillRunning(record);
  if (record.status === 'completed' && file === undefined && options.dryRun !== true) {
    io.stdout.write(
      `Run ${runId} already completed; nothing to resume. Give the workflow file to run what changed in it.\n`,
    );
    return ExitCode.OK;
  }
  const workflow =
    file === undefined
      ? Workflow.fromJSON(record.workflow, { registry: project.registry })
      : readWorkflowFile(io, file, project, { settings: options.set, outputs: options.output }).workflow;
  if (options.dryRun === true) return dryRun(io, { project, workflow, context, record, json: options.json === true });
  const plan = workflow.plan();
  return executeRun(io, {
    project,
    runId,
    resumed: true,
    ...(file === undefined ? {} : { workflowFile: file }),
    view: resumedView(io, { record, plan, context }),
    context,
    outputs: outputTargets(options.output, plan),
    flags: options,
    start: (runner, common) => runner.resume(runId, { ...common, workflow }),
  });
}

async function dryRun(
  io: CommandIO,
  args: { project: Project; workflow: Workflow; context: CommandContext; record: RunRecord; json: boolean },
): Promise<number> {
  const runner = createRunner(args.project);
  try {
    const plan = await runner.plan(args.workflow, { context: args.context, from: args.record });
    const lead = `Resuming run ${args.record.id} (${args.record.status}) of ${args.workflow.id}:`;
    printPlan(io, plan, { json: args.json, c: colors(useColor(io.stdout, io.env)), lead });
  } finally {
    await runner.close();
  }
  return ExitCode.OK;
}

function stillRunning(record: RunRecord): UsageError {
  const owner = record.owner;
  const where = owner === undefined ? '' : ` in process ${owner.pid} on ${owner.host}`;
  return new UsageError(`Run ${record.id} is still running${where}; it cannot be resumed while it runs.`, [
    'Wait for it to end, or stop that process: the run is then interrupted, and resume continues it.',
  ]);
}

/** The run's steps, the completed ones shown as they were (each is kept unless what it reads changed). */
function resumedView(
  io: CommandIO,
  { record, plan, context }: { record: RunRecord; plan: WorkflowPlan; context: CommandContext },
): RunView {
  const view = planView(plan);
  for (const step of record.steps) {
    const shown = view.steps.find((s) => s.id === step.id);
    if (!shown || step.status !== 'completed') continue;
    Object.assign(shown, {
      status: 'completed',
      attempts: step.attempts,
      ...(step.output === undefined ? {} : outputSize(io, context, step.output)),
    });
    if (step.startedAt !== undefined && step.endedAt !== undefined) shown.durationMs = step.endedAt - step.startedAt;
  }
  return view;
}
