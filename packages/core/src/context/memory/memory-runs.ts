import type { RunJournalEntry, RunRecord, RunSummary } from '../../model/run.js';
import { assertRunId } from '../ref.js';
import { pageRuns } from '../run-query.js';
import { applyUpdate, checkAppend, runJson, runNotFound, summaryOf } from '../run-records.js';
import type { RunPage, RunQuery, RunUpdate, StoredRun, SyncRunStore } from '../run-store.js';

interface Held {
  summary: RunSummary;
  /** The record as JSON text, so that a caller's later change to its object does not reach the store. */
  record: string;
  journal: string[];
}

/** Run records in this process's memory, kept as JSON text like a file would keep them. The runs of a {@link MemoryStore}. */
export class MemoryRunStore implements SyncRunStore {
  readonly #runs = new Map<string, Held>();

  /** @throws StepwiseError `RUN_ID_INVALID`, `RUN_RECORD_INVALID` */
  save(record: RunRecord): void {
    assertRunId((record as Partial<RunRecord> | null)?.id);
    const text = runJson(record.id, record);
    this.#runs.set(record.id, { summary: summaryOf(record), record: text, journal: [] });
  }

  /** @throws StepwiseError `RUN_ID_INVALID`, `RUN_NOT_FOUND`, `RUN_RECORD_INVALID` */
  append(runId: string, entries: readonly RunJournalEntry[], update?: RunUpdate): void {
    assertRunId(runId);
    checkAppend(runId, entries, update);
    const held = this.#runs.get(runId);
    if (held === undefined) throw runNotFound(runId);
    const texts = entries.map((entry) => runJson(runId, entry));
    held.journal.push(...texts);
    held.summary = applyUpdate(held.summary, update);
  }

  /** @throws StepwiseError `RUN_ID_INVALID` */
  load(runId: string): StoredRun | undefined {
    assertRunId(runId);
    const held = this.#runs.get(runId);
    if (held === undefined) return undefined;
    return {
      summary: structuredClone(held.summary),
      record: JSON.parse(held.record) as RunRecord,
      journal: held.journal.map((text) => JSON.parse(text) as RunJournalEntry),
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
