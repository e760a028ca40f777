import {
  didYouMean,
  foldRun,
  isRunId,
  listRuns,
  liveStatus,
  type RunQuery,
  type RunSummary,
  type StoredRun,
} from '@stepwise/core';
import type { CommandContext } from './project.js';
import { UsageError } from './usage-error.js';

/*
 * The command's one door to past runs: listing and loading go through the context's run store
 * (`context.store.runs`), which may answer at once (files, memory) or with a promise (a server's SQL),
 * as every reader sees runs: journals applied, and `interrupted` for a run whose process is gone.
 */

/** Runs read at most when looking back through history (a page is 100). */
export const HISTORY_LIMIT = 1000;

/**
 * Runs matching `query`, newest first, following the store's pages up to `max` runs; a run whose
 * process is gone is `interrupted` (and `status: ['interrupted']` finds those).
 * @throws StepwiseError `FIELD_INVALID` for a malformed query
 */
export async function* pastRuns(
  context: CommandContext,
  query: Omit<RunQuery, 'cursor' | 'limit'> = {},
  max = HISTORY_LIMIT,
): AsyncGenerator<RunSummary> {
  let cursor: string | undefined;
  let seen = 0;
  do {
    const page = await listRuns(context.store.runs, {
      ...query,
      limit: Math.min(100, max - seen),
      ...(cursor ? { cursor } : {}),
    });
    for (const summary of page.runs) {
      yield summary;
      if (++seen >= max) return;
    }
    cursor = page.next;
  } while (cursor !== undefined);
}

/**
 * The run `runId` as it stands: its record with the journal applied (so an interrupted run shows the
 * steps it completed), and its summary; both `interrupted` when the run's process is gone.
 * @throws UsageError for something that is not a run id, or a run the store does not hold
 * (with the closest ids among the latest runs)
 */
export async function loadRun(context: CommandContext, runId: string, where: string): Promise<StoredRun> {
  if (!isRunId(runId))
    throw new UsageError(`${JSON.stringify(runId)} is not a run id; run ids look like run_… (see stepwise runs).`);
  const stored = await context.store.runs.load(runId);
  if (stored !== undefined) {
    const status = liveStatus(stored.summary);
    return { summary: { ...stored.summary, status }, record: { ...foldRun(stored), status }, journal: stored.journal };
  }
  const recent: string[] = [];
  for await (const summary of pastRuns(context, {}, 100)) recent.push(summary.id);
  throw new UsageError(`Run ${runId} is not in the store ${where}.${didYouMean(runId, recent)}`, [
    'List the runs it holds with `stepwise runs`, or pass the store the run used: --store <dir>.',
  ]);
}
