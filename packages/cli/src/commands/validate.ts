import { type CommandIO, ExitCode, println, useColor } from '../io.js';
import type { GlobalOptions } from '../program.js';
import { openProject, readWorkflowFile } from '../project.js';
import { UsageError } from '../usage-error.js';
import { colors } from '../view/format.js';

/** Options of `stepwise validate`. */
export interface ValidateOptions extends GlobalOptions {
  json?: boolean;
}

/** `stepwise validate <workflow>`: every issue with its path (exit 2), or a one-line confirmation (exit 0). */
export async function validateCommand(io: CommandIO, file: string, options: ValidateOptions): Promise<number> {
  const project = await openProject(io, options);
  try {
    const { path, workflow } = readWorkflowFile(io, file, project);
    const steps = workflow.toJSON().steps;
    if (options.json) println(io.stdout, JSON.stringify({ path, valid: true, issues: [] }));
    else {
      const c = colors(useColor(io.stdout, io.env));
      println(io.stdout, `${c.green('✔')} ${path} is valid: ${steps.length} step${steps.length === 1 ? '' : 's'}.`);
    }
    return ExitCode.OK;
  } catch (error) {
    if (!(options.json && error instanceof UsageError)) throw error;
    println(io.stdout, JSON.stringify({ valid: false, error: error.message, issues: error.issues }));
    return ExitCode.USAGE;
  }
}
