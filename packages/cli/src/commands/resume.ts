import { isRunId, type RunRecord, type RuntimeContext, Workflow, type WorkflowPlan } from '@stepwise/core';
import { executeRun, outputSize, type RunFlags } from '../execute.js';
import type { CommandIO } from '../io.js';
import { outputTargets } from '../output-targets.js';
import { openContext, openProject, storeDir } from '../project.js';
import { UsageError } from '../usage-error.js';
import { planView, type RunView } from '../view/run-view.js';

/** Options of `stepwise resume`. */
export type ResumeCommandOptions = RunFlags;

/** `stepwise resume <run-id>`: re-runs the failed, skipped and cancelled steps of a run kept in the file store. */
export async function resumeCommand(io: CommandIO, runId: string, options: ResumeCommandOptions): Promise<number> {
  const project = await openProject(io, options);
  const context = openContext(io, project, options.store);
  const dir = storeDir(context);
  if (dir === undefined) throw new UsageError('resume needs a file store; the store is "memory". Pass --store <dir>.');
  if (!isRunId(runId)) {
    throw new UsageError(
      `${JSON.stringify(runId)} is not a run id; run ids look like run_… (printed when a run fails).`,
    );
  }
  const record = context.store.runs.load(runId)?.record;
  if (record === undefined)
    throw new UsageError(`Run ${runId} is not in the store ${dir}.`, ['Pass the store it ran with: --store <dir>.']);
  if (record.status === 'completed') {
    io.stdout.write(`Run ${runId} already completed; nothing to resume.\n`);
    return 0;
  }
  const plan = Workflow.fromJSON(record.workflow, { registry: project.registry }).plan();
  return executeRun(io, {
    project,
    view: resumedView(io, { record, plan, context }),
    context,
    outputs: outputTargets(options.output, plan),
    flags: options,
    start: (runner, common) => runner.resume(record, common),
  });
}

/** The run's steps, the completed ones shown as they were: they are not run again. */
function resumedView(
  io: CommandIO,
  { record, plan, context }: { record: RunRecord; plan: WorkflowPlan; context: RuntimeContext },
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
