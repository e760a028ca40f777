import { didYouMean, type RunStatus, type RunSummary, StepState } from '@stepwise/core';
import Table from 'cli-table3';
import { type CommandIO, ExitCode, println, useColor } from '../io.js';
import { DEFAULT_RUNS_LIMIT, type GlobalOptions } from '../options.js';
import { openProject } from '../project.js';
import { pastRuns } from '../run-history.js';
import { openRunStore } from '../run-store-context.js';
import { UsageError } from '../usage-error.js';
import { colors, count, formatDuration, formatTime, statusSymbol } from '../view/format.js';

/** Options of `stepwise runs`. */
export interface RunsOptions extends GlobalOptions {
  workflow?: string;
  status?: string[];
  limit?: number;
  store?: string;
  json?: boolean;
}

/** The statuses a run can have in a store: a step state, or `interrupted` when its owner is gone. */
const STATUSES: readonly string[] = [...Object.values(StepState), 'interrupted'];

/** `stepwise runs`: the recent runs in the store, newest first: id, workflow, status, started, duration. */
export async function runsCommand(io: CommandIO, options: RunsOptions): Promise<number> {
  const project = await openProject(io, options);
  const { context, where } = await openRunStore(io, project, options.store, 'runs');
  for (const status of options.status ?? []) {
    if (STATUSES.includes(status)) continue;
    throw new UsageError(`--status ${status}: not a run status.${didYouMean(status, STATUSES)}`, [
      `The statuses: ${STATUSES.join(', ')}.`,
    ]);
  }
  const limit = options.limit ?? DEFAULT_RUNS_LIMIT;
  const query = {
    ...(options.workflow === undefined ? {} : { workflowId: options.workflow }),
    ...(options.status?.length ? { status: options.status as RunStatus[] } : {}),
  };
  const runs: RunSummary[] = [];
  if (context !== undefined) for await (const summary of pastRuns(context, query, limit + 1)) runs.push(summary);
  const more = runs.length > limit;
  if (more) runs.pop();
  if (options.json) {
    println(io.stdout, JSON.stringify({ store: where, runs, more }));
    return ExitCode.OK;
  }
  const filtered = options.workflow !== undefined || options.status?.length ? ' matching' : '';
  if (runs.length === 0) {
    println(io.stdout, `No${filtered} runs in ${where}.`);
    return ExitCode.OK;
  }
  const color = useColor(io.stdout, io.env);
  const c = colors(color);
  const table = new Table({
    head: ['', 'run', 'workflow', 'status', 'started', 'duration'],
    style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [] },
    colAligns: ['left', 'left', 'left', 'left', 'left', 'right'],
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const run of runs) {
    const took = run.endedAt === undefined ? '' : formatDuration(run.endedAt - run.startedAt);
    table.push([statusSymbol(run.status, c), run.id, run.workflowId, run.status, formatTime(run.startedAt), took]);
  }
  println(io.stdout, table.toString());
  const shown = `${count(runs.length, 'run')}${filtered} in ${where}, newest first`;
  const rest = more ? `; more with --limit ${limit * 2}` : '';
  println(io.stdout, c.dim(`${shown}${rest}. One run: stepwise show <run>`));
  return ExitCode.OK;
}
