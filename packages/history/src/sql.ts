import {
  checkRunQuery,
  ErrorCode,
  encodeCursor,
  type RunEvent,
  type RunJournalEntry,
  type RunOwner,
  type RunPage,
  type RunQuery,
  type RunRecord,
  type RunSummary,
  runJson,
  type StepRun,
  StepwiseError,
} from '@stepwise/core';
import type { ReadEventsOptions } from './history-store.js';

/*
 * What the SQLite and PostgreSQL stores share: the listing query (filters and cursor as WHERE,
 * newest first as ORDER BY), rows to summaries, and the checks of events. Each store gives its
 * placeholder style (`?` or `$n`).
 */

/** A row of the runs table as both databases answer it. */
export interface RunRow {
  id: string;
  workflow_id: string;
  status: string;
  started_at: number;
  ended_at: number | null;
  owner: string | null;
}

/** The summary a row holds. */
export function summaryOfRow(row: RunRow): RunSummary {
  const summary: RunSummary = {
    id: row.id,
    workflowId: row.workflow_id,
    status: row.status as RunSummary['status'],
    startedAt: Number(row.started_at),
  };
  if (row.ended_at !== null) summary.endedAt = Number(row.ended_at);
  if (row.owner !== null) summary.owner = JSON.parse(row.owner) as RunOwner;
  return summary;
}

/** The summary columns of `summary`, in the order of {@link SUMMARY_COLUMNS}. */
export function summaryValues(summary: RunSummary): [string, string, number, number | null, string | null] {
  return [
    summary.workflowId,
    summary.status,
    summary.startedAt,
    summary.endedAt ?? null,
    summary.owner === undefined ? null : JSON.stringify(summary.owner),
  ];
}

export const SUMMARY_COLUMNS = ['workflow_id', 'status', 'started_at', 'ended_at', 'owner'] as const;

/** A listing as SQL: `where` (without the keyword, `TRUE` when no filter), its parameters, and the limit asked for (one more is fetched to know whether a next page exists). */
export interface ListingSql {
  where: string;
  params: unknown[];
  limit: number;
}

/**
 * The WHERE of a run listing: the query's filters, and the cursor's position (runs after it,
 * newest first). `placeholder(n)` names the n-th parameter (1-based); `idOrder` is how ids compare
 * byte-wise (`id` in SQLite, `id COLLATE "C"` in PostgreSQL).
 * @throws StepwiseError `FIELD_INVALID` for a malformed query or cursor
 */
export function listingSql(query: RunQuery | undefined, placeholder: (n: number) => string, id = 'id'): ListingSql {
  const { query: q, limit, after } = checkRunQuery(query);
  const clauses: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown): string => {
    params.push(value);
    return placeholder(params.length);
  };
  if (q.workflowId !== undefined) clauses.push(`workflow_id = ${param(q.workflowId)}`);
  if (q.status !== undefined) {
    if (q.status.length === 0) clauses.push('1 = 0');
    else clauses.push(`status IN (${q.status.map((s) => param(s)).join(', ')})`);
  }
  if (q.startedFrom !== undefined) clauses.push(`started_at >= ${param(q.startedFrom)}`);
  if (q.startedBefore !== undefined) clauses.push(`started_at < ${param(q.startedBefore)}`);
  if (after !== undefined)
    clauses.push(
      `(started_at < ${param(after.startedAt)} OR (started_at = ${param(after.startedAt)} AND ${id} < ${param(after.id)}))`,
    );
  return { where: clauses.length === 0 ? '1 = 1' : clauses.join(' AND '), params, limit };
}

/** A page from the rows of a listing fetched with `LIMIT limit + 1`. */
export function pageOfRows(rows: readonly RunRow[], limit: number): RunPage {
  const runs = rows.slice(0, limit).map(summaryOfRow);
  const last = runs[runs.length - 1];
  return rows.length > limit && last !== undefined ? { runs, next: encodeCursor(last) } : { runs };
}

/** The journal entries as JSON text, checked before anything is written. */
export function entryTexts(runId: string, entries: readonly RunJournalEntry[]): string[] {
  return entries.map((entry) => runJson(runId, entry));
}

/** The step states among journal entries (the `step` entries the runner writes), last one per step. */
export function stepsIn(entries: readonly RunJournalEntry[]): StepRun[] {
  const steps = new Map<string, StepRun>();
  for (const entry of entries) {
    const step = (entry as { step?: unknown }).step;
    if (entry.type === 'step' && isStepRun(step)) steps.set(step.id, step);
  }
  return [...steps.values()];
}

/** The steps of a record, in workflow order (what is not a step left out). */
export function stepsOf(record: RunRecord): StepRun[] {
  return Array.isArray(record.steps) ? record.steps.filter(isStepRun) : [];
}

/** The position of a step the journal names but the record did not list: after every listed one. */
export const UNLISTED_STEP = 2_147_483_647;

function isStepRun(value: unknown): value is StepRun {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as StepRun).id === 'string' &&
    typeof (value as StepRun).status === 'string'
  );
}

/** The columns of a row of the steps table after `run_id`, `step_id` and `position`. */
export type StepValues = [string, number, number | null, number | null, string | null];

/** The columns of a row of the steps table after `run_id`, `step_id` and `position`. */
export function stepValues(step: StepRun): StepValues {
  const attempts = Number.isInteger(step.attempts) ? step.attempts : 0;
  const finite = (n: number | undefined) => (typeof n === 'number' && Number.isFinite(n) ? n : null);
  return [
    step.status,
    attempts,
    finite(step.startedAt),
    finite(step.endedAt),
    typeof step.output === 'string' ? step.output : null,
  ];
}

/** Events checked and as rows: `[seq, type, ts, json]`. */
export function eventRows(runId: string, events: readonly RunEvent[]): [number, string, number, string][] {
  if (!Array.isArray(events)) throw badEvent(runId, 'expected an array of run events');
  return events.map((event, index) => {
    const e = event as Partial<RunEvent> | null;
    if (e === null || typeof e !== 'object' || typeof e.type !== 'string' || (e.type as string) === '')
      throw badEvent(runId, `event ${index}: expected an object with a "type"`);
    if (!Number.isSafeInteger(e.seq) || (e.seq as number) < 0)
      throw badEvent(runId, `event ${index}: "seq" must be a whole number of at least 0`);
    const ts = typeof e.ts === 'number' && Number.isFinite(e.ts) ? e.ts : 0;
    return [e.seq as number, e.type, ts, runJson(runId, event)];
  });
}

/** Events answered at most by one read. */
export const MAX_EVENTS_READ = 10_000;

/** `options` of readEvents checked: the seq after which to start, and the limit. */
export function eventWindow(options: ReadEventsOptions = {}): { after: number; limit: number } {
  const { after = -1, limit = 1_000 } = options;
  if (!Number.isSafeInteger(after)) throw badField('after', 'a whole number (an event seq)', after);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_EVENTS_READ)
    throw badField('limit', `a whole number from 1 to ${MAX_EVENTS_READ}`, limit);
  return { after, limit };
}

function badEvent(runId: string, problem: string): StepwiseError {
  return new StepwiseError(ErrorCode.RUN_RECORD_INVALID, `Events of run "${runId}": ${problem}.`, {
    details: { runId, problem },
  });
}

function badField(field: string, expected: string, actual: unknown): StepwiseError {
  return new StepwiseError(
    ErrorCode.FIELD_INVALID,
    `Event read ${field}: expected ${expected}, got ${JSON.stringify(actual) ?? String(actual)}.`,
    { details: { field, expected } },
  );
}

/** A history whose schema is newer than this code's: opened by a later Stepwise, it is left alone. */
export function newerSchema(where: string, found: number, known: number): StepwiseError {
  return new StepwiseError(
    ErrorCode.STORE_CORRUPT,
    `The run history ${where} has schema version ${found}; this Stepwise knows versions up to ${known}. Upgrade Stepwise to open it.`,
    { details: { found, known } },
  );
}

/**
 * JSON text the store wrote, parsed.
 * @throws StepwiseError `STORE_CORRUPT` when it is not JSON (the database was changed by hand)
 */
export function parseStored(runId: string, what: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new StepwiseError(ErrorCode.STORE_CORRUPT, `Run record "${runId}" is damaged: its ${what} is not JSON.`, {
      cause,
      details: { runId },
    });
  }
}
