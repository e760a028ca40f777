import { listRuns, loadRun, newRunId, type RunRecord, type Workflow } from '@stepwise/core';
import { pushdownSegments, type SegmentStep, warmPushdown } from '@stepwise/dataframe';
import { loadInput } from '../data-files.js';
import { createRunner, executeRun, outputSize, type RunFlags, shortPath } from '../execute.js';
import { type CommandIO, ExitCode, useColor } from '../io.js';
import { outputTargets } from '../output-targets.js';
import { isPartial, partialRun, type ReusedStep, type Selection } from '../partial-run.js';
import { type CommandContext, openContext, openProject, type Project, readWorkflowFile, storeDir } from '../project.js';
import { printPlan } from '../report/plan.js';
import { assignments, UsageError } from '../usage-error.js';
import { colors } from '../view/format.js';
import { planView, withPushdown, withReusedSteps } from '../view/run-view.js';

/** Options of `stepwise run`. */
export interface RunCommandOptions extends RunFlags, Selection {
  input?: string[];
  /** `step.key=value` settings written into step configs before validation. */
  set?: string[];
  /** Print what each step would do (cached or run, and why) and run nothing. */
  dryRun?: boolean;
}

/**
 * `stepwise run <workflow>`: validates, loads the inputs, runs with a live view, writes the outputs.
 * With `--from`, `--to` or `--only`, runs part of it, reading the other steps' earlier outputs from the store.
 */
export async function runWorkflowCommand(io: CommandIO, file: string, options: RunCommandOptions): Promise<number> {
  const project = await openProject(io, options);
  const loaded = readWorkflowFile(io, file, project, { settings: options.set, outputs: options.output });
  // a bad --output costs nothing: not even a store folder
  outputTargets(options.output, loaded.workflow.plan());
  const context = await openContext(io, project, options.store);
  const { workflow, reused } = await selectPart(io, { project, context, whole: loaded.workflow }, options);
  if (options.dryRun === true) return dryRun(io, { project, workflow, context, json: options.json === true });
  const outputs = outputTargets(options.output, workflow.plan());
  const inputs = await loadInputs(io, { workflow, project, context, given: options.input });
  const segments = pushdownSegments(workflow.toJSON().steps as SegmentStep[]);
  // DuckDB creates the instance of the first pushed-down query on its own threads while the run starts
  if (segments.length > 0) warmPushdown();
  const view = withReusedSteps(
    withPushdown(planView(workflow.plan()), segments),
    loaded.workflow.plan(),
    reused,
    (ref) => outputSize(io, context, ref),
  );
  const runId = newRunId();
  return executeRun(io, {
    project,
    runId,
    // a partial run executed a workflow of its own: resuming it with the whole file would run more
    ...(isPartial(options) ? {} : { workflowFile: file }),
    view,
    context,
    outputs,
    flags: options,
    start: (runner, common) => runner.run(workflow, { ...common, inputs, runId }),
  });
}

/** The whole workflow, or the part `--from`/`--to`/`--only` select (which needs the store of earlier runs). */
async function selectPart(
  io: CommandIO,
  { project, context, whole }: { project: Project; context: CommandContext; whole: Workflow },
  selection: Selection,
): Promise<{ workflow: Workflow; reused: ReusedStep[] }> {
  // the whole file: the workflow readWorkflowFile validated (validating it again costs a parse)
  if (!isPartial(selection)) return { workflow: whole, reused: [] };
  const plan = whole.plan();
  const dir = storeDir(context);
  if (dir === undefined)
    throw new UsageError(
      '--from, --to and --only reuse earlier outputs from the file store; the store is "memory". Pass --store <dir>.',
    );
  // core's plan decides which earlier outputs still stand, as a resume would
  const runner = createRunner(project);
  try {
    return await partialRun(plan, selection, {
      context,
      registry: project.registry,
      store: shortPath(io, dir),
      runner,
    });
  } finally {
    await runner.close();
  }
}

/**
 * `run --dry-run`: what a new run would do, step by step (from the cache, or run), explained
 * against the latest run of the workflow in the store. Inputs are not loaded, so a step reading a
 * workflow input runs (each run loads its inputs anew).
 */
async function dryRun(
  io: CommandIO,
  args: { project: Project; workflow: Workflow; context: CommandContext; json: boolean },
): Promise<number> {
  const { workflow, context } = args;
  const latest = (await listRuns(context.store.runs, { workflowId: workflow.id, limit: 1 })).runs[0];
  const from: RunRecord | undefined = latest === undefined ? undefined : await loadRun(context.store.runs, latest.id);
  const runner = createRunner(args.project);
  try {
    const plan = await runner.plan(workflow, { context, reuse: false, ...(from === undefined ? {} : { from }) });
    const lead =
      from === undefined
        ? `A new run of ${workflow.id} (no earlier run in the store to compare with):`
        : `A new run of ${workflow.id}, compared with its latest run ${from.id}:`;
    const pushdown = pushdownSegments(workflow.toJSON().steps as SegmentStep[]);
    printPlan(io, plan, { json: args.json, c: colors(useColor(io.stdout, io.env)), lead, pushdown });
  } finally {
    await runner.close();
  }
  return ExitCode.OK;
}

async function loadInputs(
  io: CommandIO,
  args: { workflow: Workflow; project: Project; context: CommandContext; given: string[] | undefined },
): Promise<Record<string, string>> {
  const document = args.workflow.toJSON();
  const declared = document.inputs;
  const given = assignments('--input', args.given, Object.keys(declared), 'input');
  const missing = Object.keys(declared).filter((name) => given[name] === undefined);
  if (missing.length > 0) {
    throw new UsageError(
      `The workflow needs input${missing.length === 1 ? '' : 's'} ${missing.map((m) => `"${m}"`).join(', ')}.`,
      [
        `Give ${missing.length === 1 ? 'it' : 'each'} with --input ${missing[0]}=<file.csv|file.json|file.parquet|ref_…>`,
      ],
    );
  }
  const refs: Record<string, string> = {};
  for (const [name, value] of Object.entries(given)) {
    const usedBy = document.steps
      .filter((step) => Object.values(step.inputs ?? {}).some((ref) => 'input' in ref && ref.input === name))
      .map((step) => step.id);
    const type = declared[name]?.type ?? 'Any';
    refs[name] = await loadInput(
      { name, value, type, usedBy },
      { ...args.project, context: args.context, cwd: io.cwd },
    );
  }
  return refs;
}
