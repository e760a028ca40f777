import { resolve } from 'node:path';
import { CreateProjectError, createProject, nextSteps } from 'create-stepwise';
import { type CommandIO, ExitCode, println } from '../io.js';
import type { GlobalOptions } from '../options.js';
import { UsageError } from '../usage-error.js';

/** Options of `stepwise init`. */
export interface InitOptions extends GlobalOptions {
  force?: boolean;
}

/** `stepwise init [dir]`: a new project from the template (what `npm create stepwise` makes). */
export async function initCommand(io: CommandIO, dir: string, options: InitOptions): Promise<number> {
  try {
    const project = createProject({ dir: resolve(io.cwd, dir), force: options.force === true });
    for (const line of nextSteps(project, io.cwd)) println(io.stdout, line);
    return ExitCode.OK;
  } catch (error) {
    if (error instanceof CreateProjectError) throw new UsageError(error.message);
    throw error;
  }
}
