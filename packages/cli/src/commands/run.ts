import type { RuntimeContext, Workflow } from '@stepwise/core';
import { loadInput } from '../data-files.js';
import { executeRun, type RunFlags } from '../execute.js';
import type { CommandIO } from '../io.js';
import { outputTargets } from '../output-targets.js';
import { openContext, openProject, type Project, readWorkflowFile } from '../project.js';
import { assignments, UsageError } from '../usage-error.js';
import { planView } from '../view/run-view.js';

/** Options of `stepwise run`. */
export interface RunCommandOptions extends RunFlags {
  input?: string[];
  /** `step.key=value` settings written into step configs before validation. */
  set?: string[];
}

/** `stepwise run <workflow>`: validates, loads the inputs, runs with a live view, writes the outputs. */
export async function runWorkflowCommand(io: CommandIO, file: string, options: RunCommandOptions): Promise<number> {
  const project = await openProject(io, options);
  const { workflow } = readWorkflowFile(io, file, project, options.set);
  const outputs = outputTargets(options.output, workflow.plan());
  const context = openContext(io, project, options.store);
  const inputs = await loadInputs(io, { workflow, project, context, given: options.input });
  const view = planView(workflow.plan());
  return executeRun(io, {
    project,
    view,
    context,
    outputs,
    flags: options,
    start: (runner, common) => runner.run(workflow, { ...common, inputs }),
  });
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
