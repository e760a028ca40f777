import { type UncheckedStep, uncheckedSteps, type ValidationIssue } from '@stepwise/core';
import { createRunner } from '../execute.js';
import { type CommandIO, ExitCode, println, useColor } from '../io.js';
import type { GlobalOptions } from '../options.js';
import { preflight } from '../preflight.js';
import { openProject, readWorkflowFile } from '../project.js';
import { issueLines } from '../report/errors.js';
import { UsageError } from '../usage-error.js';
import { colors, count } from '../view/format.js';

/** Options of `stepwise validate`. */
export interface ValidateOptions extends GlobalOptions {
  json?: boolean;
  set?: string[];
}

/**
 * `stepwise validate <workflow>`: every issue of the document with its path (exit 2); for a valid one,
 * what would stop it running that can be seen without running (a missing input file, a path outside
 * the data root, an executor not available: exit 2), then the steps whose columns it could not check, and why.
 */
export async function validateCommand(io: CommandIO, file: string, options: ValidateOptions): Promise<number> {
  const project = await openProject(io, options);
  let loaded: ReturnType<typeof readWorkflowFile>;
  try {
    loaded = readWorkflowFile(io, file, project, { settings: options.set });
  } catch (error) {
    if (!(options.json && error instanceof UsageError)) throw error;
    println(io.stdout, JSON.stringify({ valid: false, error: error.message, issues: error.issues }));
    return ExitCode.USAGE;
  }
  const { path, workflow, stepIds } = loaded;
  const plan = workflow.plan();
  const runner = createRunner(project);
  const problems = await preflight(plan, runner.executorKinds());
  await runner.close();
  const unchecked = uncheckedSteps(plan);
  const code = problems.length === 0 ? ExitCode.OK : ExitCode.USAGE;
  if (options.json) {
    println(io.stdout, JSON.stringify({ path, valid: problems.length === 0, issues: problems, unchecked }));
    return code;
  }
  const c = colors(useColor(io.stdout, io.env));
  const steps = count(plan.steps.length, 'step');
  if (problems.length === 0) println(io.stdout, `${c.green('✔')} ${path} is valid: ${steps}.`);
  else {
    const found = count(problems.length, 'problem');
    println(io.stdout, `${c.red('✖')} ${path} is valid (${steps}), but ${found} would stop it running:`);
    for (const line of issueLines(problems as ValidationIssue[], stepIds)) println(io.stdout, `  ${line}`);
  }
  const notes = uncheckedLines(unchecked);
  if (notes.length > 0) {
    println(io.stdout, c.yellow('Not checked without running:'));
    for (const line of notes) println(io.stdout, `  ${line}`);
  }
  return code;
}

/** One line per cause: the steps whose columns could not be checked because of it, and why. */
export function uncheckedLines(unchecked: readonly UncheckedStep[]): string[] {
  const groups = new Map<string, string[]>();
  for (const step of unchecked) {
    const reason = because(step);
    const ids = groups.get(reason) ?? [];
    if (!ids.includes(step.stepId)) ids.push(step.stepId);
    groups.set(reason, ids);
  }
  return [...groups].map(([reason, ids]) => {
    const which = ids.length === 1 ? `step "${ids[0]}"` : `steps ${ids.map((id) => `"${id}"`).join(', ')}`;
    return `the columns ${which} ${ids.length === 1 ? 'reads' : 'read'}: ${reason}.`;
  });
}

function because({ cause }: UncheckedStep): string {
  switch (cause.kind) {
    case 'step':
      return cause.hasInfer
        ? `the columns of step "${cause.stepId}" (${cause.type}) are not known before it runs`
        : `step "${cause.stepId}" (${cause.type}) does not declare the columns it outputs (its step type has no infer hook)`;
    case 'workflow-input':
      return `workflow input "${cause.name}" brings its columns only when the run starts`;
    default:
      return 'a ref given in the document is not looked at before the run';
  }
}
