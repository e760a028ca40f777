import { isDeepFrozen } from '../../model/json.js';
import type { RunJournalEntry, RunRecord, RunSummary } from '../../model/run.js';
import { assertRunId } from '../ref.js';
import { pageRuns } from '../run-query.js';
import { applyUpdate, checkAppend, copyAsJson, runJson, runNotFound, summaryOf } from '../run-records.js';
import type { RunPage, RunQuery, RunUpdate, StoredRun, SyncRunStore } from '../run-store.js';

interface Held {
  summary: RunSummary;
  /** The record but its workflow as JSON text, so that a caller's later change to its object does not reach the store. */
  record: string;
  /** The workflow document: kept by reference when it is deep-frozen (a plan's), else as JSON text. */
  workflow: unknown;
  /** Copies of the entries appended (a copy is cheaper than JSON text, and checks the same). */
  journal: RunJournalEntry[];
}

/**
 * Run records in this process's memory, kept apart from the caller's objects like a file would
 * keep them. The runs of a {@link MemoryStore}.
 */
export class MemoryRunStore implements SyncRunStore {
  readonly #runs = new Map<string, Held>();

  /** @throws StepwiseError `RUN_ID_INVALID`, `RUN_RECORD_INVALID` */
  save(record: RunRecord): void {
    assertRunId((record as Partial<RunRecord> | null)?.id);
    const { workflow, ...rest } = record;
    const text = runJson(record.id, rest);
    // a run saves its record at its start and end, each time with the plan's frozen document
    const kept = isDeepFrozen(workflow) ? workflow : runJson(record.id, workflow);
    this.#runs.set(record.id, { summary: summaryOf(record), record: text, workflow: kept, journal: [] });
  }

  /** @throws StepwiseError `RUN_ID_INVALID`, `RUN_NOT_FOUND`, `RUN_RECORD_INVALID` */
  append(runId: string, entries: readonly RunJournalEntry[], update?: RunUpdate): void {
    assertRunId(runId);
    checkAppend(runId, entries, update);
    const held = this.#runs.get(runId);
    if (held === undefined) throw runNotFound(runId);
    const copies = entries.map((entry) => copyAsJson(runId, entry) as RunJournalEntry);
    for (const copy of copies) held.journal.push(copy);
    held.summary = applyUpdate(held.summary, update);
  }

  /** @throws StepwiseError `RUN_ID_INVALID` */
  load(runId: string): StoredRun | undefined {
    assertRunId(runId);
    const held = this.#runs.get(runId);
    if (held === undefined) return undefined;
    const workflow = typeof held.workflow === 'string' ? held.workflow : JSON.stringify(held.workflow);
    return {
      summary: structuredClone(held.summary),
      record: { ...(JSON.parse(held.record) as RunRecord), workflow: JSON.parse(workflow) },
      journal: held.journal.map((entry) => copyAsJson(runId, entry) as RunJournalEntry),
    };
  }

  /** @throws StepwiseError `FIELD_INVALID` */
  list(query?: RunQuery): RunPage {
    const page = pageRuns(
      Array.from(this.#runs.values(), (held) => held.summary),
      query,
    );
    return { ...page, runs: page.runs.map((summary) => structuredClone(summary)) };
  }

  /** @throws StepwiseError `RUN_ID_INVALID` */
  delete(runId: string): boolean {
    assertRunId(runId);
    return this.#runs.delete(runId);
  }
}
