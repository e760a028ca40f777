import { DEFAULT_RETENTION } from '@stepwise/core';
import { Command, Option } from 'commander';
import { HELP_AFTER } from './help.js';
import type { CommandIO } from './io.js';
import { DEFAULT_PORT, DEFAULT_PREVIEW_ROWS, DEFAULT_RUNS_LIMIT, type GlobalOptions } from './options.js';
import { closeStores } from './project.js';
import { collect, list, parseConcurrency, wholeNumber } from './usage-error.js';

/** Receives the exit code of the command that ran. */
export type ExitSink = (code: number) => void;

/** The `stepwise` program: commands, options and help, writing to `io`. */
export function createProgram(io: CommandIO, version: string, setExit: ExitSink): Command {
  const program = new Command('stepwise')
    .description('Run, validate and inspect Stepwise workflows.')
    .version(version, '-V, --version', 'print the version')
    .option('-c, --config <path>', 'the project config (default: stepwise.config.ts in this directory or a parent)')
    .option('--verbose', 'print stack traces and debug logs')
    .exitOverride()
    .showHelpAfterError()
    .showSuggestionAfterError()
    .addHelpText('after', HELP_AFTER.program)
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  const run = (action: (opts: GlobalOptions & Record<string, unknown>, args: string[]) => Promise<number>) =>
    async function (this: Command, ...args: unknown[]) {
      const positional = args.filter((a): a is string => typeof a === 'string');
      try {
        setExit(await action(this.optsWithGlobals(), positional));
      } finally {
        await closeStores();
      }
    };

  program
    .command('init')
    .description('create a Stepwise project: config, step types, a first workflow and its data')
    .argument('[dir]', 'the folder to create it in', '.')
    .option('--force', 'write into a folder that is not empty (files of the same name are replaced)')
    .addHelpText('after', HELP_AFTER.init)
    .action(run(async (opts, [dir]) => (await import('./commands/init.js')).initCommand(io, dir ?? '.', opts)));

  withRunFlags(
    program
      .command('run')
      .description('run a workflow document, showing each step live')
      .argument('<workflow>', 'the workflow document (.json)')
      .option(
        '-i, --input <name=path-or-ref>',
        'a workflow input: a data file (.csv, .json, .parquet) or a ref',
        collect,
      )
      .option(
        '-s, --set <step.key=value>',
        "set a step's parameter for this run, checked like the document (value: JSON, or text)",
        collect,
      )
      .option('--from <steps>', 'run only these steps (comma-separated) and the steps after them', list)
      .option('--to <steps>', 'run only these steps and the steps before them', list)
      .option('--only <steps>', 'run only these steps; the steps they read give their earlier outputs', list)
      .option('--dry-run', 'print what each step would do (from the cache, or run) and why; run nothing'),
    'where run data is kept: a directory, or "memory" (default: the config\'s store)',
  )
    .addHelpText('after', HELP_AFTER.run)
    .action(run(async (opts, [file]) => (await import('./commands/run.js')).runWorkflowCommand(io, file ?? '', opts)));

  withRunFlags(
    program
      .command('resume')
      .description('continue a failed, cancelled or interrupted run, with its workflow file as it is now')
      .argument('<run-id>', 'the id printed when the run started')
      .argument('[workflow]', 'the workflow document as it is now (default: the document the run executed)')
      .option('-s, --set <step.key=value>', "set a step's parameter of the workflow file, as run --set does", collect)
      .option('--dry-run', 'print what each step would do (reuse, from the cache, or run) and why; run nothing'),
    "the file store of the run (default: the config's store)",
  )
    .addHelpText('after', HELP_AFTER.resume)
    .action(
      run(async (opts, [runId, file]) =>
        (await import('./commands/resume.js')).resumeCommand(io, { runId: runId ?? '', file }, opts),
      ),
    );

  program
    .command('runs')
    .description('list the recent runs in the store: id, workflow, status, started, duration')
    .option('-w, --workflow <id>', 'only the runs of this workflow')
    .option('--status <statuses>', 'only runs with one of these statuses (comma-separated)', list)
    .addOption(
      new Option('--limit <n>', 'how many runs to list, newest first')
        .argParser(wholeNumber('--limit', 1))
        .default(DEFAULT_RUNS_LIMIT),
    )
    .option('--store <dir>', "the file store (default: the config's store)")
    .option('--json', 'print the runs as JSON')
    .addHelpText('after', HELP_AFTER.runs)
    .action(run(async (opts) => (await import('./commands/runs.js')).runsCommand(io, opts)));

  withPreviewFlags(
    program
      .command('show')
      .description(
        "show a run: its steps with status, attempts, duration, rows and errors; with a step, that step's output",
      )
      .argument('<run-id>', 'the run (see stepwise runs)')
      .argument('[step]', 'a step whose output to preview (as stepwise preview <run> <step>)'),
    'print the run (or the preview) as JSON',
  )
    .addHelpText('after', HELP_AFTER.show)
    .action(run(async (opts, args) => (await import('./commands/show.js')).showCommand(io, args, opts)));

  withPreviewFlags(
    program
      .command('preview')
      .description("the first rows of a step's output, its column types and size")
      .argument('<ref-or-run>', 'a ref (ref_…), or a run id followed by a step')
      .argument('[step]', 'the step of that run'),
    'print the preview as JSON',
  )
    .addHelpText('after', HELP_AFTER.preview)
    .action(run(async (opts, args) => (await import('./commands/preview.js')).previewCommand(io, args, opts)));

  program
    .command('prune')
    .description('apply the retention (newest runs, age, bytes): remove older runs, with the data only they used')
    .addOption(
      new Option(
        '--keep <n>',
        `how many of the newest runs to keep, with everything they use (default: the config's retention.keepRuns, else ${DEFAULT_RETENTION.keepRuns})`,
      ).argParser(wholeNumber('--keep', 0)),
    )
    .option('--dry-run', 'print what would be removed, and remove nothing')
    .option('--store <dir>', "the file store (default: the config's store)")
    .option('--json', 'print the report as JSON')
    .addHelpText('after', HELP_AFTER.prune)
    .action(run(async (opts) => (await import('./commands/prune.js')).pruneCommand(io, opts)));

  program
    .command('validate')
    .description('check a workflow document and list every issue with its path; runs nothing')
    .argument('<workflow>', 'the workflow document (.json)')
    .option('-s, --set <step.key=value>', "set a step's parameter first, as run --set does", collect)
    .option('--json', 'print the issues as JSON')
    .addHelpText('after', HELP_AFTER.validate)
    .action(
      run(async (opts, [file]) => (await import('./commands/validate.js')).validateCommand(io, file ?? '', opts)),
    );

  program
    .command('steps')
    .description('list the step types of the project (the catalog)')
    .option('--json', 'print the catalog as JSON')
    .addHelpText('after', HELP_AFTER.steps)
    .action(run(async (opts) => (await import('./commands/steps.js')).stepsCommand(io, opts)));

  program
    .command('serve')
    .description('serve the HTTP API and the editor: save, validate, run and follow workflows from a browser or curl')
    .option('--host <host>', 'the address to listen on; any but 127.0.0.1 needs --token-file', '127.0.0.1')
    .addOption(
      new Option('--port <n>', 'the port to listen on (0: any free port)')
        .argParser(wholeNumber('--port', 0))
        .default(DEFAULT_PORT),
    )
    .option('--token-file <file>', 'a file holding the token every request must send as Authorization: Bearer <token>')
    .addHelpText('after', HELP_AFTER.serve)
    .action(run(async (opts) => (await import('./commands/serve.js')).serveCommand(io, opts)));

  program
    .command('worker')
    .description(
      "take jobs from the project's queue and run them (steps with executor: 'queue'); see docs/distributed.md",
    )
    .addOption(
      new Option(
        '--concurrency <n>',
        "jobs run at once, each on its own worker thread (default: the config's queue.concurrency, else 1)",
      ).argParser(wholeNumber('--concurrency', 1)),
    )
    .addHelpText('after', HELP_AFTER.worker)
    .action(run(async (opts) => (await import('./commands/worker.js')).workerCommand(io, opts)));

  program
    .command('schema')
    .description('print the JSON Schema of the workflow document')
    .addHelpText('after', HELP_AFTER.schema)
    .action(run(async (opts) => (await import('./commands/schema.js')).schemaCommand(io, opts)));

  return program;
}

/** The flags `show` and `preview` share: --rows, --csv, --store, --json. */
function withPreviewFlags(command: Command, jsonHelp: string): Command {
  return command
    .addOption(
      new Option('--rows <n>', 'how many rows to show')
        .argParser(wholeNumber('--rows', 1))
        .default(DEFAULT_PREVIEW_ROWS),
    )
    .option('--csv <file>', 'write the whole output to a CSV file instead')
    .option('--store <dir>', "the file store (default: the config's store)")
    .option('--json', jsonHelp);
}

/** The flags `run` and `resume` share: --output, --concurrency, --store (described by `storeHelp`), --json. */
function withRunFlags(command: Command, storeHelp: string): Command {
  return command
    .option(
      '-o, --output <name=path>',
      "write a workflow output, or any step's output, to a file (.csv, .json, .parquet, ...)",
      collect,
    )
    .addOption(
      new Option('--concurrency <n>', 'steps run at once when their inputs are ready').argParser(parseConcurrency),
    )
    .option('--store <dir>', storeHelp)
    .option('--json', "print the run's events as NDJSON instead of the live view (logs and the summary go to stderr)");
}
