import { isThenable, type MaybePromise } from '../maybe-promise.js';
import type { RunJournalEntry, RunRecord } from '../model/run.js';
import { copyAsJson } from './run-records.js';
import type { RunStore, RunUpdate } from './run-store.js';
import type { ValueStore } from './value-store.js';

/**
 * The commit order of a durable run: `runs`, whose `save` and `append` first make every value
 * written so far durable (`values.sync`, when the value store has one) and only then write the
 * record or the journal entries. A record that says a step completed thus never reaches the disk
 * before the output it names, whatever the machine does: a killed process loses nothing written,
 * and an OS crash or power loss loses at most the transitions after the last record written, never
 * one whose output is missing. What is written is copied as it is when called: a step that changes
 * while the values are flushed is written with the next checkpoint.
 */
export function valuesFirst(runs: RunStore, values: ValueStore): RunStore {
  if (values.sync === undefined) return runs;
  const sync = (): MaybePromise<void> => values.sync?.();
  return {
    save(record: RunRecord): MaybePromise<void> {
      const synced = sync();
      if (!isThenable(synced)) return runs.save(record);
      const copy = copyAsJson(record.id, record) as RunRecord;
      return synced.then(() => runs.save(copy));
    },
    append(runId: string, entries: readonly RunJournalEntry[], update?: RunUpdate): MaybePromise<void> {
      const synced = sync();
      if (!isThenable(synced)) return runs.append(runId, entries, update);
      const copy = copyAsJson(runId, entries) as RunJournalEntry[];
      return synced.then(() => runs.append(runId, copy, update));
    },
    load: (runId) => runs.load(runId),
    list: (query) => runs.list(query),
    delete: (runId) => runs.delete(runId),
  };
}
