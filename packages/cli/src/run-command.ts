import { readFileSync } from 'node:fs';
import { CommanderError } from 'commander';
import { type CommandIO, ExitCode } from './io.js';
import { createProgram } from './program.js';
import { reportError } from './report/errors.js';

/**
 * Runs `stepwise` with `argv` (the arguments after the command name) and returns the exit code:
 * 0 done, 1 the run failed, 2 bad usage or an invalid document, 130 interrupted.
 * Never throws and never calls `process.exit`, so tests run it in-process.
 * @example const code = await runCommand(['validate', 'workflow.json'], { stdout, stderr, cwd, env });
 */
export async function runCommand(argv: readonly string[], io: CommandIO): Promise<number> {
  let exitCode: number = ExitCode.OK;
  const program = createProgram(io, cliVersion(), (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here too, with exit code 0
      return error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    }
    const verbose = argv.includes('--verbose');
    return reportError(io, error, verbose);
  }
}

let version: string | undefined;

/** The version of @stepwise/cli. */
export function cliVersion(): string {
  version ??= (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
    .version;
  return version;
}
