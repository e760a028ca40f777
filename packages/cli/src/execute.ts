import { statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { type FileReference, type ResumeOptions, type Run, WorkflowRunner } from '@stepwise/core';
import { filesConfig } from '@stepwise/dataframe';
import { writeOutput } from './data-files.js';
import { type CommandIO, canRedraw, ExitCode, println, useColor } from './io.js';
import type { GlobalOptions } from './options.js';
import { type CommandContext, type Project, storeDir } from './project.js';
import { lazyQueueExecutor } from './queue.js';
import { errorLines } from './report/errors.js';
import { renderRunLine, renderSummary } from './report/summary.js';
import { type Colors, colors, formatRows } from './view/format.js';
import { createReporter, type ReporterMode } from './view/reporter.js';
import type { RunView, SizeOf } from './view/run-view.js';

/** The flags `run` and `resume` share. */
export interface RunFlags extends GlobalOptions {
  output?: string[];
  concurrency?: number;
  store?: string;
  json?: boolean;
}

/** What `runner.run` and `runner.resume` both take: the context, the event sink, the signal, the concurrency. */
export type StartOptions = ResumeOptions & { context: CommandContext };

/** What {@link executeRun} needs: the project, the run's view and context, and how to start (or resume) it. */
export interface ExecuteOptions {
  project: Project;
  /** The run's id, printed before anything runs (a run killed from outside can then be found and resumed). */
  runId: string;
  /** True for a resume: the first line says `resumed`. */
  resumed?: boolean;
  /** The workflow file, as given: the resume command printed after a failure names it, so edits to it apply. */
  workflowFile?: string;
  view: RunView;
  context: CommandContext;
  /** `--output name=path` pairs, checked against the workflow's outputs. */
  outputs: Record<string, string>;
  flags: RunFlags;
  start(runner: WorkflowRunner, options: StartOptions): Promise<Run>;
}

/**
 * Runs with a live view (or plain lines, or NDJSON) on a runner that logs through the project's logger,
 * then prints the summary and the outputs; returns the exit code.
 */
export async function executeRun(io: CommandIO, options: ExecuteOptions): Promise<number> {
  const { view, context, project, flags } = options;
  const c = colors(useColor(io.stdout, io.env));
  const mode: ReporterMode = flags.json ? 'json' : canRedraw(io.stdout) ? 'live' : 'plain';
  const sizeOf = (ref: string) => outputSize(io, context, ref);
  const runner = createRunner(project);
  announce(io, options, c);
  const reporter = await createReporter({ mode, stream: io.stdout, logStream: io.stderr, view, c, sizeOf });
  project.log.divert((line) => reporter.log(line));
  let run: Run;
  try {
    run = await options.start(runner, {
      context,
      onEvent: (event) => reporter.onEvent(event),
      ...(io.signal ? { signal: io.signal } : {}),
      ...(flags.concurrency ? { concurrency: flags.concurrency } : {}),
    });
  } finally {
    reporter.stop();
    project.log.divert(undefined);
    await runner.close();
  }
  return reportRun(io, run, options);
}

/**
 * `Run run_… started.` before the first step, in every output mode (on stderr with --json, whose
 * stdout carries only events), with how to resume it from a file store if the process is killed.
 */
function announce(io: CommandIO, options: ExecuteOptions, c: Colors): void {
  const out = options.flags.json ? io.stderr : io.stdout;
  const verb = options.resumed === true ? 'resumed' : 'started';
  const dir = storeDir(options.context);
  const where =
    dir === undefined
      ? ' (memory store: it cannot be resumed)'
      : `; if it stops, continue it with: ${resumeCommandLine(io, options)}`;
  println(out, `Run ${c.bold(options.runId)} ${verb}${where}`);
}

async function reportRun(io: CommandIO, run: Run, options: ExecuteOptions): Promise<number> {
  const { view, flags } = options;
  const color = useColor(io.stdout, io.env);
  const c = colors(color);
  // with --json, stdout carries only events; everything else goes to stderr
  const out = flags.json ? io.stderr : io.stdout;
  if (!flags.json) {
    println(out);
    println(out, renderSummary(view, c, color));
  }
  println(out, renderRunLine(view, c));
  if (run.status === 'completed') {
    await reportOutputs(io, out, run, options, c);
    return ExitCode.OK;
  }
  reportFailure(io, out, run, options, c);
  return run.status === 'cancelled' && io.signal?.aborted ? ExitCode.INTERRUPTED : ExitCode.RUN_FAILED;
}

/**
 * `npx stepwise [--config c] resume [--store s] <run-id> [workflow]`: the same project, store and
 * workflow file as this command (so that edits to the file apply when it continues).
 */
function resumeCommandLine(io: CommandIO, options: Pick<ExecuteOptions, 'flags' | 'runId' | 'workflowFile'>): string {
  const { flags } = options;
  const quote = (s: string) => (/^[\w./@:-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  const config = flags.config ? ` --config ${quote(relative(io.cwd, flags.config) || flags.config)}` : '';
  const store = flags.store ? ` --store ${quote(flags.store)}` : '';
  const file = options.workflowFile === undefined ? '' : ` ${quote(options.workflowFile)}`;
  return `npx stepwise${config} resume${store} ${options.runId}${file}`;
}

/** The runner of every command: the project's registry and logger; threads load the config's step modules. */
export function createRunner(project: Project): WorkflowRunner {
  return new WorkflowRunner({
    registry: project.registry,
    logger: project.log.logger,
    // worker threads (strategy.workers) import the same step modules as the command did
    stepModules: project.config.steps,
    root: project.config.root,
    // steps with executor: 'queue' go to `stepwise worker` processes; @stepwise/queue loads with the first
    executors: { queue: lazyQueueExecutor(project.config) },
  });
}

/** Rows and bytes of a step's output; for a FileReference, the file's size and path. */
export function outputSize(io: CommandIO, context: CommandContext, ref: string): ReturnType<SizeOf> {
  try {
    const { type, rows, bytes } = context.info(ref);
    if (type !== 'FileReference')
      return { ...(rows === undefined ? {} : { rows }), ...(bytes === undefined ? {} : { bytes }) };
    const path = referencedFile(context, ref);
    return { bytes: statSync(path).size, file: shortPath(io, path) };
  } catch {
    return undefined;
  }
}

async function reportOutputs(io: CommandIO, out: CommandIO['stdout'], run: Run, options: ExecuteOptions, c: Colors) {
  const { context } = options;
  const { registry } = options.project;
  // a step named by --output that is not an output of the record (resume): its own output
  const steps = Object.keys(options.outputs).filter((name) => !(name in run.outputs));
  const names = [...Object.keys(run.outputs), ...steps];
  if (names.length === 0) return;
  println(out, c.bold('Outputs:'));
  for (const name of names) {
    const ref = run.outputs[name] ?? run.steps.get(name)?.output;
    const target = options.outputs[name];
    if (ref === undefined) {
      println(
        out,
        `  ${name} → ${c.yellow('nothing kept: a fused streaming step hands its chunks on without storing them')}`,
      );
      continue;
    }
    if (target !== undefined) {
      const path = await writeOutput(ref, target, { context, registry, cwd: io.cwd });
      println(out, `  ${name} → ${c.green(shortPath(io, path))}`);
      continue;
    }
    println(out, `  ${name} → ${describeValue(io, context, ref, name)}`);
  }
}

function describeValue(io: CommandIO, context: CommandContext, ref: string, name: string): string {
  const info = context.info(ref);
  if (info.type === 'FileReference') return `${shortPath(io, referencedFile(context, ref))} (file)`;
  const size = info.rows === undefined ? '' : `, ${formatRows(info.rows)}`;
  const dir = storeDir(context);
  const where = dir === undefined ? ' (in memory)' : ` in the store ${shortPath(io, dir)}`;
  const example = info.type === 'DataFrame' ? `${name}.csv` : `${name}.json`;
  return `${ref} (${info.type}${size})${where}; to write it to a file: --output ${name}=${example}`;
}

function reportFailure(io: CommandIO, out: CommandIO['stdout'], run: Run, options: ExecuteOptions, c: Colors) {
  let stepFailed = false;
  for (const step of options.view.steps) {
    if (step.status !== 'failed' || step.error === undefined) continue;
    stepFailed = true;
    println(out);
    println(out, c.red(`Step "${step.id}" (${step.type}) failed:`));
    for (const line of errorLines(step.error, options.flags.verbose === true)) println(out, `  ${line}`);
  }
  if (!stepFailed && run.status === 'failed' && run.error !== undefined) {
    // the run failed for a reason of its own: its record could not be written
    println(out);
    println(out, c.red('The run failed:'));
    for (const line of errorLines(run.error, options.flags.verbose === true)) println(out, `  ${line}`);
  }
  const dir = storeDir(options.context);
  println(out);
  if (dir === undefined) {
    println(
      out,
      'The run used the memory store, so it cannot be resumed; run it with a file store (--store <dir>) to resume.',
    );
    return;
  }
  const lead = run.status === 'cancelled' ? 'Interrupted: the run was cancelled. ' : '';
  const next = run.status === 'cancelled' ? 'Continue' : 'After fixing the cause, continue';
  println(out, `${lead}Completed outputs are kept in ${shortPath(io, dir)}. ${next} where it stopped with:`);
  println(out, `  ${c.bold(resumeCommandLine(io, options))}`);
}

/** The absolute path of the file a FileReference names: the table writers give it relative to the data root. */
function referencedFile(context: CommandContext, ref: string): string {
  return resolve(filesConfig().dataRoot, context.get<FileReference>(ref).path);
}

/** A path relative to cwd when it is inside it, else absolute. */
export function shortPath(io: CommandIO, path: string): string {
  const rel = relative(io.cwd, path);
  return rel === '' || rel.startsWith('..') ? path : rel;
}
