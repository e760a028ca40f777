import { type RunRecord, type RuntimeContext, WorkflowRunner } from '@stepwise/core';
import { executeRun } from '../execute.js';
import type { CommandIO } from '../io.js';
import type { GlobalOptions } from '../program.js';
import { openContext, openProject, storeDir } from '../project.js';
import { UsageError } from '../usage-error.js';
import { createRunView } from '../view/run-view.js';
import { assignments, resumeCommandLine } from './run.js';

/** Options of `stepwise resume`. */
export interface ResumeCommandOptions extends GlobalOptions {
  output?: string[];
  concurrency?: number;
  store?: string;
  json?: boolean;
}

/** `stepwise resume <run-id>`: re-runs the failed, skipped and cancelled steps of a run kept in the file store. */
export async function resumeCommand(io: CommandIO, runId: string, options: ResumeCommandOptions): Promise<number> {
  const project = await openProject(io, options);
  const context = openContext(io, project, options.store);
  const dir = storeDir(context);
  if (dir === undefined) throw new UsageError('resume needs a file store; the store is "memory". Pass --store <dir>.');
  if (!/^run_[A-Za-z0-9_-]{1,64}$/.test(runId)) {
    throw new UsageError(
      `${JSON.stringify(runId)} is not a run id; run ids look like run_… (printed when a run fails).`,
    );
  }
  const record = context.loadRun(runId) as RunRecord | undefined;
  if (record === undefined)
    throw new UsageError(`Run ${runId} is not in the store ${dir}.`, ['Pass the store it ran with: --store <dir>.']);
  if (record.status === 'completed') {
    io.stdout.write(`Run ${runId} already completed; nothing to resume.\n`);
    return 0;
  }
  const view = createRunView(record.workflow.steps.map(({ id, type }) => ({ id, type })));
  // completed steps are not re-run: show them as they were
  for (const step of record.steps) {
    const shown = view.steps.find((s) => s.id === step.id);
    if (!shown || step.status !== 'completed') continue;
    Object.assign(shown, { status: 'completed', attempts: step.attempts, ...sizeOf(context, step.output) });
    if (step.startedAt !== undefined && step.endedAt !== undefined) shown.durationMs = step.endedAt - step.startedAt;
  }
  const runner = new WorkflowRunner({ registry: project.registry });
  try {
    return await executeRun(io, {
      view,
      context,
      registry: project.registry,
      outputs: assignments('--output', options.output, outputNames(record), 'output'),
      json: options.json === true,
      verbose: options.verbose === true,
      resumeCommand: resumeCommandLine(io, options),
      start: (onEvent) =>
        runner.resume(record, {
          context,
          onEvent,
          ...(io.signal ? { signal: io.signal } : {}),
          ...(options.concurrency ? { concurrency: options.concurrency } : {}),
        }),
    });
  } finally {
    await runner.close();
  }
}

function sizeOf(context: RuntimeContext, ref: string | undefined): { rows?: number; bytes?: number } {
  if (ref === undefined || !context.has(ref)) return {};
  const { rows, bytes } = context.info(ref);
  return { ...(rows === undefined ? {} : { rows }), ...(bytes === undefined ? {} : { bytes }) };
}

/** The workflow's declared outputs, or `result` (the last step) when it declares none. */
function outputNames(record: RunRecord): string[] {
  const declared = Object.keys(record.workflow.outputs);
  return declared.length > 0 || record.workflow.steps.length === 0 ? declared : ['result'];
}
