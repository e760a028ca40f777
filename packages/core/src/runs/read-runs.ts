import type { RunPage, RunQuery, RunStore } from '../context/run-store.js';
import type { RunRecord, RunStatus } from '../model/run.js';
import { foldRun } from './journal.js';
import { type LivenessOptions, liveStatus } from './owner.js';

/*
 * How every reader sees runs (the CLI's `runs` and `resume`, a server's API): records with their
 * journals applied, and `interrupted` for a run whose owner is gone. A run store itself keeps what
 * its owner wrote (`running`); only a reader can tell that the owner is gone.
 */

/**
 * The run's record as it stands now (journal applied), its status `interrupted` when the store
 * says running but the owner is gone; undefined when the store has no such run.
 * @throws StepwiseError `RUN_ID_INVALID`, `STORE_CORRUPT` (from the store)
 */
export async function loadRun(
  runs: RunStore,
  runId: string,
  options: LivenessOptions = {},
): Promise<RunRecord | undefined> {
  const stored = await runs.load(runId);
  if (stored === undefined) return undefined;
  const record = foldRun(stored);
  record.status = liveStatus(record, options);
  return record;
}

/**
 * A page of run summaries, newest first, each with the status a reader shows: `interrupted` for a
 * run whose owner is gone. A `status` filter may ask for `interrupted` (the store is asked for its
 * running runs, then each one's owner is checked), so a page may hold fewer than `limit` runs while
 * `next` still leads on.
 * @throws StepwiseError `FIELD_INVALID` for a malformed query or cursor
 */
export async function listRuns(runs: RunStore, query: RunQuery = {}, options: LivenessOptions = {}): Promise<RunPage> {
  const wanted = query.status === undefined ? undefined : new Set<RunStatus>(query.status);
  let stored = query.status;
  if (wanted?.has('interrupted')) {
    const statuses = new Set<RunStatus>(query.status);
    statuses.delete('interrupted');
    stored = [...statuses, 'running', 'pending'];
  }
  const page = await runs.list(stored === undefined ? query : { ...query, status: stored });
  const shown = page.runs
    .map((summary) => ({ ...summary, status: liveStatus(summary, options) }))
    .filter((summary) => wanted === undefined || wanted.has(summary.status));
  return page.next === undefined ? { runs: shown } : { runs: shown, next: page.next };
}
