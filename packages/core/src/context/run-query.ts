import { ErrorCode } from '../errors/codes.js';
import { describeValue, StepwiseError } from '../errors/stepwise-error.js';
import type { RunSummary } from '../model/run.js';
import { isRunId } from './ref.js';
import type { RunPage, RunQuery } from './run-store.js';

/** Runs per page when a query gives no `limit`. */
export const DEFAULT_RUN_PAGE = 100;
/** The largest `limit` a query may ask for. */
export const MAX_RUN_PAGE = 1000;

/** A {@link RunQuery} checked, with its cursor decoded: the position after which the page starts. */
export interface CheckedRunQuery {
  query: RunQuery;
  limit: number;
  after: { startedAt: number; id: string } | undefined;
}

/**
 * Checks a run query (a server passes one straight from a URL) and decodes its cursor.
 * @throws StepwiseError `FIELD_INVALID` naming the field
 */
export function checkRunQuery(query: RunQuery = {}): CheckedRunQuery {
  if (query === null || typeof query !== 'object') throw bad('query', 'an object', query);
  const { workflowId, status, startedFrom, startedBefore, limit = DEFAULT_RUN_PAGE, cursor } = query;
  if (workflowId !== undefined && typeof workflowId !== 'string') throw bad('workflowId', 'a string', workflowId);
  if (status !== undefined && !(Array.isArray(status) && status.every((s) => typeof s === 'string')))
    throw bad('status', 'an array of run statuses', status);
  for (const [field, value] of [
    ['startedFrom', startedFrom],
    ['startedBefore', startedBefore],
  ] as const)
    if (value !== undefined && !Number.isFinite(value)) throw bad(field, 'epoch milliseconds', value);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RUN_PAGE)
    throw bad('limit', `a whole number from 1 to ${MAX_RUN_PAGE}`, limit);
  return { query, limit, after: cursor === undefined ? undefined : decodeCursor(cursor) };
}

/** True when `summary` passes every filter of `query` (paging aside). */
export function matchesRunQuery(summary: RunSummary, query: RunQuery): boolean {
  if (query.workflowId !== undefined && summary.workflowId !== query.workflowId) return false;
  if (query.status !== undefined && !query.status.includes(summary.status)) return false;
  if (query.startedFrom !== undefined && summary.startedAt < query.startedFrom) return false;
  if (query.startedBefore !== undefined && summary.startedAt >= query.startedBefore) return false;
  return true;
}

/** Newest first: by `startedAt` descending, then id descending. */
export function newestFirst(a: RunSummary, b: RunSummary): number {
  return b.startedAt - a.startedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/**
 * The page of `summaries` a query asks for: filtered, newest first, after the cursor. The one
 * paging of the memory and file stores; a SQL store does the same with `WHERE` and `ORDER BY`.
 * @throws StepwiseError `FIELD_INVALID` for a malformed query or cursor
 */
export function pageRuns(summaries: Iterable<RunSummary>, query?: RunQuery): RunPage {
  const { query: q, limit, after } = checkRunQuery(query);
  const found: RunSummary[] = [];
  for (const summary of summaries) {
    if (!matchesRunQuery(summary, q)) continue;
    if (after !== undefined && newestFirst(after as RunSummary, summary) >= 0) continue;
    found.push(summary);
  }
  found.sort(newestFirst);
  const runs = found.slice(0, limit);
  const last = runs[runs.length - 1];
  return found.length > limit && last !== undefined ? { runs, next: encodeCursor(last) } : { runs };
}

/** The cursor of the page after `last`: opaque to callers, URL-safe. */
export function encodeCursor(last: Pick<RunSummary, 'startedAt' | 'id'>): string {
  return Buffer.from(JSON.stringify([last.startedAt, last.id])).toString('base64url');
}

function decodeCursor(cursor: unknown): { startedAt: number; id: string } {
  if (typeof cursor === 'string' && cursor.length <= 200) {
    try {
      const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
      if (Array.isArray(value) && Number.isFinite(value[0]) && isRunId(value[1]))
        return { startedAt: value[0] as number, id: value[1] };
    } catch {
      // reported below
    }
  }
  throw bad('cursor', 'the `next` of an earlier page', cursor);
}

function bad(field: string, expected: string, actual: unknown): StepwiseError {
  return new StepwiseError(
    ErrorCode.FIELD_INVALID,
    `Run query ${field}: expected ${expected}, got ${describeValue(actual)}.`,
    {
      details: { field, expected },
    },
  );
}
