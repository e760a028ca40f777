import { type RuntimeContext, Workflow, type WorkflowPlan } from '@stepwise/core';
import { loadInput } from '../data-files.js';
import { executeRun, outputSize, type RunFlags, shortPath } from '../execute.js';
import type { CommandIO } from '../io.js';
import { outputTargets } from '../output-targets.js';
import { isPartial, partialRun, type ReusedStep, type Selection } from '../partial-run.js';
import { openContext, openProject, type Project, readWorkflowFile, storeDir } from '../project.js';
import { assignments, UsageError } from '../usage-error.js';
import { planView, withReusedSteps } from '../view/run-view.js';

/** Options of `stepwise run`. */
export interface RunCommandOptions extends RunFlags, Selection {
  input?: string[];
  /** `step.key=value` settings written into step configs before validation. */
  set?: string[];
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
  const context = openContext(io, project, options.store);
  const { workflow, reused } = await selectPart(io, { project, context, plan: loaded.workflow.plan() }, options);
  const outputs = outputTargets(options.output, workflow.plan());
  const inputs = await loadInputs(io, { workflow, project, context, given: options.input });
  const view = withReusedSteps(planView(workflow.plan()), loaded.workflow.plan(), reused, (ref) =>
    outputSize(io, context, ref),
  );
  return executeRun(io, {
    project,
    view,
    context,
    outputs,
    flags: options,
    start: (runner, common) => runner.run(workflow, { ...common, inputs }),
  });
}

/** The whole workflow, or the part `--from`/`--to`/`--only` select (which needs the store of earlier runs). */
async function selectPart(
  io: CommandIO,
  { project, context, plan }: { project: Project; context: RuntimeContext; plan: WorkflowPlan },
  selection: Selection,
): Promise<{ workflow: Workflow; reused: ReusedStep[] }> {
  if (!isPartial(selection))
    return { workflow: Workflow.fromJSON(plan.document, { registry: project.registry }), reused: [] };
  const dir = storeDir(context);
  if (dir === undefined)
    throw new UsageError(
      '--from, --to and --only reuse earlier outputs from the file store; the store is "memory". Pass --store <dir>.',
    );
  return partialRun(plan, selection, { context, registry: project.registry, store: shortPath(io, dir) });
}

async function loadInputs(
  io: CommandIO,
  args: { workflow: Workflow; project: Project; context: RuntimeContext; given: string[] | undefined },
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
