import { relative } from 'node:path';
import { type RuntimeContext, type Workflow, WorkflowRunner } from '@stepwise/core';
import { loadInput } from '../data-files.js';
import { executeRun } from '../execute.js';
import type { CommandIO } from '../io.js';
import type { GlobalOptions } from '../program.js';
import { openContext, openProject, type Project, readWorkflowFile } from '../project.js';
import { parseAssignment, UsageError } from '../usage-error.js';
import { createRunView } from '../view/run-view.js';

/** Options of `stepwise run`. */
export interface RunCommandOptions extends GlobalOptions {
  input?: string[];
  output?: string[];
  concurrency?: number;
  store?: string;
  json?: boolean;
}

/** `stepwise run <workflow>`: validates, loads the inputs, runs with a live view, writes the outputs. */
export async function runWorkflowCommand(io: CommandIO, file: string, options: RunCommandOptions): Promise<number> {
  const project = await openProject(io, options);
  const { workflow } = readWorkflowFile(io, file, project);
  const document = workflow.toJSON();
  const outputs = assignments('--output', options.output, Object.keys(workflow.plan().outputs), 'output');
  const context = openContext(io, project, options.store);
  const inputs = await loadInputs(io, { workflow, project, context, given: options.input });
  const view = createRunView(document.steps.map(({ id, type }) => ({ id, type })));
  const runner = new WorkflowRunner({ registry: project.registry });
  try {
    return await executeRun(io, {
      view,
      context,
      registry: project.registry,
      outputs,
      json: options.json === true,
      verbose: options.verbose === true,
      resumeCommand: resumeCommandLine(io, options),
      start: (onEvent) =>
        runner.run(workflow, {
          context,
          inputs,
          onEvent,
          ...(io.signal ? { signal: io.signal } : {}),
          ...(options.concurrency ? { concurrency: options.concurrency } : {}),
        }),
    });
  } finally {
    await runner.close();
  }
}

/** `npx stepwise [--config c] resume [--store s]`: the same project and store as this command. */
export function resumeCommandLine(io: CommandIO, options: Pick<RunCommandOptions, 'config' | 'store'>): string {
  const quote = (s: string) => (/^[\w./@:-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  const config = options.config ? ` --config ${quote(relative(io.cwd, options.config) || options.config)}` : '';
  const store = options.store ? ` --store ${quote(options.store)}` : '';
  return `npx stepwise${config} resume${store}`;
}

/** `name=value` flags as a record, each name checked against the ones the workflow declares. */
export function assignments(
  flag: string,
  given: string[] | undefined,
  known: string[],
  what: string,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const text of given ?? []) {
    const [name, value] = parseAssignment(flag, text);
    if (!known.includes(name)) {
      const list = known.length > 0 ? known.map((k) => `"${k}"`).join(', ') : 'none';
      throw new UsageError(`${flag} ${name}: the workflow has no ${what} "${name}" (its ${what}s: ${list}).`);
    }
    result[name] = value;
  }
  return result;
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
