import { statSync } from 'node:fs';
import { relative } from 'node:path';
import type { Run, RunEvent, RuntimeContext, StepRegistry } from '@stepwise/core';
import { writeOutput } from './data-files.js';
import { type CommandIO, ExitCode, println, useColor } from './io.js';
import { storeDir } from './project.js';
import { errorLines } from './report/errors.js';
import { renderRunLine, renderSummary } from './report/summary.js';
import { type Colors, colors } from './view/format.js';
import { createReporter, type ReporterMode } from './view/reporter.js';
import type { RunView, SizeOf } from './view/run-view.js';

/** What {@link executeRun} needs: how to start the run, and how to report it. */
export interface ExecuteOptions {
  view: RunView;
  context: RuntimeContext;
  registry: StepRegistry;
  /** Starts (or resumes) the run, sending its events to `onEvent`. */
  start(onEvent: (event: RunEvent) => void): Promise<Run>;
  /** `--output name=path` pairs. */
  outputs: Record<string, string>;
  json: boolean;
  verbose: boolean;
  /** The command that resumes this run, without the run id (`npx stepwise resume`). */
  resumeCommand: string;
}

/** Runs with a live view (or plain lines, or NDJSON), then prints the summary and the outputs; returns the exit code. */
export async function executeRun(io: CommandIO, options: ExecuteOptions): Promise<number> {
  const { view, context } = options;
  const color = useColor(io.stdout, io.env);
  const c = colors(color);
  const mode: ReporterMode = options.json ? 'json' : io.stdout.isTTY ? 'live' : 'plain';
  const sizeOf = (ref: string) => outputSize(io, context, ref);
  const reporter = createReporter({ mode, stream: io.stdout, view, c, sizeOf });
  let run: Run;
  try {
    run = await options.start((event) => reporter.onEvent(event));
  } finally {
    reporter.stop();
  }
  // with --json, stdout carries only events; everything else goes to stderr
  const out = options.json ? io.stderr : io.stdout;
  if (!options.json) {
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

/** Rows and bytes of a step's output; for a FileReference, the file's size and path. */
function outputSize(io: CommandIO, context: RuntimeContext, ref: string): ReturnType<SizeOf> {
  try {
    const info = context.info(ref);
    if (info.type !== 'FileReference') return info;
    const { path } = context.get<{ path: string }>(ref);
    return { bytes: statSync(path).size, file: shortPath(io, path) };
  } catch {
    return undefined;
  }
}

async function reportOutputs(io: CommandIO, out: CommandIO['stdout'], run: Run, options: ExecuteOptions, c: Colors) {
  const { context, registry } = options;
  const names = Object.keys(run.outputs);
  if (names.length === 0) return;
  println(out, c.bold('Outputs:'));
  for (const name of names) {
    const ref = run.outputs[name] ?? '';
    const target = options.outputs[name];
    if (target !== undefined) {
      const path = await writeOutput(ref, target, { context, registry, cwd: io.cwd });
      println(out, `  ${name} → ${c.green(shortPath(io, path))}`);
      continue;
    }
    println(out, `  ${name} → ${describeValue(io, context, ref, name)}`);
  }
}

function describeValue(io: CommandIO, context: RuntimeContext, ref: string, name: string): string {
  const info = context.info(ref);
  if (info.type === 'FileReference') {
    const file = context.get<{ path: string }>(ref);
    return `${shortPath(io, file.path)} (file)`;
  }
  const size = info.rows === undefined ? '' : `, ${info.rows.toLocaleString('en-US')} rows`;
  const dir = storeDir(context);
  const where = dir === undefined ? ' (in memory)' : ` in the store ${shortPath(io, dir)}`;
  const example = info.type === 'DataFrame' ? `${name}.csv` : `${name}.json`;
  return `${ref} (${info.type}${size})${where}; to write it to a file: --output ${name}=${example}`;
}

function reportFailure(io: CommandIO, out: CommandIO['stdout'], run: Run, options: ExecuteOptions, c: Colors) {
  for (const step of options.view.steps) {
    if (step.status !== 'failed' || step.error === undefined) continue;
    println(out);
    println(out, c.red(`Step "${step.id}" (${step.type}) failed:`));
    for (const line of errorLines(step.error, options.verbose)) println(out, `  ${line}`);
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
  println(out, `  ${c.bold(`${options.resumeCommand} ${run.id}`)}`);
}

/** A path relative to cwd when it is inside it, else absolute. */
export function shortPath(io: CommandIO, path: string): string {
  const rel = relative(io.cwd, path);
  return rel === '' || rel.startsWith('..') ? path : rel;
}
