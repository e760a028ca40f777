import { ErrorCode } from '../errors/codes.js';
import { describeValue, StepwiseError } from '../errors/stepwise-error.js';
import { isPlainObject } from '../model/json.js';
import type { RunJournalEntry, RunRecord, RunSummary } from '../model/run.js';
import { StepState } from '../model/step-state.js';
import type { RunUpdate } from './run-store.js';

/*
 * What every run store checks of what it is given, in one place: memory, files, and the server's
 * SQL stores apply the same rules, so one contract suite holds them all.
 */

const STATUSES: ReadonlySet<string> = new Set([...Object.keys(StepState), 'interrupted']);

/**
 * The summary a run store lists for `record`, after checking the record's summary fields.
 * @throws StepwiseError `RUN_RECORD_INVALID`
 */
export function summaryOf(record: RunRecord): RunSummary {
  const problem = summaryProblem(record);
  if (problem !== undefined) throw invalid(String((record as { id?: unknown } | null)?.id), problem);
  const summary: RunSummary = {
    id: record.id,
    workflowId: record.workflowId,
    status: record.status,
    startedAt: record.startedAt,
  };
  if (record.endedAt !== undefined) summary.endedAt = record.endedAt;
  if (record.owner !== undefined) summary.owner = { ...record.owner };
  return summary;
}

function summaryProblem(record: unknown): string | undefined {
  if (!isPlainObject(record)) return `expected a run record object, got ${describeValue(record)}`;
  if (typeof record.workflowId !== 'string') return 'workflowId: expected a string';
  if (typeof record.status !== 'string' || !STATUSES.has(record.status)) return 'status: expected a run status';
  if (typeof record.startedAt !== 'number' || !Number.isFinite(record.startedAt))
    return 'startedAt: expected epoch milliseconds';
  if (record.endedAt !== undefined && (typeof record.endedAt !== 'number' || !Number.isFinite(record.endedAt)))
    return 'endedAt: expected epoch milliseconds';
  return undefined;
}

/**
 * `value` as JSON text, for stores that keep text.
 * @throws StepwiseError `RUN_RECORD_INVALID` when it is not JSON-serialisable
 */
export function runJson(runId: string, value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (cause) {
    throw invalid(
      runId,
      `cannot be saved as JSON: ${cause instanceof Error ? cause.message : describeValue(cause)}`,
      cause,
    );
  }
  if (text === undefined) throw invalid(runId, `cannot be saved as JSON: got ${describeValue(value)}`);
  return text;
}

/** Nesting deeper than this is refused by {@link copyAsJson} (a cycle ends here too). */
const MAX_COPY_DEPTH = 100;

/**
 * A copy of `value` as JSON would carry it (`undefined` fields and functions left out, a
 * non-finite number null, `toJSON` applied), without the text: a store that keeps objects copies
 * this way.
 * @throws StepwiseError `RUN_RECORD_INVALID` for what JSON refuses (a BigInt, a cycle)
 */
export function copyAsJson(runId: string, value: unknown): unknown {
  const copy = copyValue(value, 0);
  if (copy === NOT_JSON) throw invalid(runId, `cannot be saved as JSON: got ${describeValue(value)}`);
  return copy;
}

const NOT_JSON = Symbol('not JSON');

function copyValue(value: unknown, depth: number): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'object':
      break;
    case 'bigint':
      return NOT_JSON;
    default:
      return undefined;
  }
  if (value === null) return null;
  if (depth > MAX_COPY_DEPTH) return NOT_JSON;
  const json = (value as { toJSON?: unknown }).toJSON;
  if (typeof json === 'function') return copyValue(json.call(value), depth + 1);
  if (Array.isArray(value)) {
    const items: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = copyValue(value[i], depth + 1);
      if (item === NOT_JSON) return NOT_JSON;
      items[i] = item === undefined ? null : item;
    }
    return items;
  }
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const field = copyValue((value as Record<string, unknown>)[key], depth + 1);
    if (field === NOT_JSON) return NOT_JSON;
    if (field !== undefined) copy[key] = field;
  }
  return copy;
}

/**
 * Checks journal entries and an update before a store appends them.
 * @throws StepwiseError `RUN_RECORD_INVALID`
 */
export function checkAppend(runId: string, entries: readonly RunJournalEntry[], update: RunUpdate | undefined): void {
  if (!Array.isArray(entries))
    throw invalid(runId, `journal entries: expected an array, got ${describeValue(entries)}`);
  for (const [index, entry] of entries.entries()) {
    if (!isPlainObject(entry) || typeof entry.type !== 'string' || entry.type === '')
      throw invalid(runId, `journal entry ${index}: expected an object with a "type"`);
  }
  if (update === undefined) return;
  if (!isPlainObject(update)) throw invalid(runId, `update: expected an object, got ${describeValue(update)}`);
  if (update.status !== undefined && !(typeof update.status === 'string' && STATUSES.has(update.status)))
    throw invalid(runId, 'update.status: expected a run status');
  if (update.endedAt !== undefined && !Number.isFinite(update.endedAt))
    throw invalid(runId, 'update.endedAt: expected epoch milliseconds');
  const owner = update.owner;
  if (owner !== undefined && owner !== null && !isOwner(owner))
    throw invalid(runId, 'update.owner: expected { pid, host, heartbeatAt } or null');
}

function isOwner(value: unknown): boolean {
  return (
    isPlainObject(value) &&
    Number.isInteger(value.pid) &&
    typeof value.host === 'string' &&
    typeof value.heartbeatAt === 'number' &&
    Number.isFinite(value.heartbeatAt)
  );
}

/** `summary` with `update` applied (a new object). */
export function applyUpdate(summary: RunSummary, update: RunUpdate | undefined): RunSummary {
  if (update === undefined) return summary;
  const next: RunSummary = { ...summary };
  if (update.status !== undefined) next.status = update.status;
  if (update.endedAt !== undefined) next.endedAt = update.endedAt;
  if (update.owner === null) delete next.owner;
  else if (update.owner !== undefined) next.owner = { ...update.owner };
  return next;
}

/** A run the store has no record of. */
export function runNotFound(runId: string): StepwiseError {
  return new StepwiseError(
    ErrorCode.RUN_NOT_FOUND,
    `Run "${runId}" is not in the run store; save its record before appending to its journal.`,
    { details: { runId } },
  );
}

function invalid(runId: string, problem: string, cause?: unknown): StepwiseError {
  return new StepwiseError(
    ErrorCode.RUN_RECORD_INVALID,
    `Run record of "${runId}" ${problem.startsWith('cannot') ? problem : `is invalid: ${problem}`}.`,
    {
      details: { runId, problem },
      ...(cause === undefined ? {} : { cause }),
    },
  );
}
