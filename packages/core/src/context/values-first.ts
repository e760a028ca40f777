import { isThenable, type MaybePromise } from '../maybe-promise.js';
import type { RunJournalEntry, RunRecord } from '../model/run.js';
import { copyAsJson } from './run-records.js';
import type { AppendOptions, FlushOptions, RunStore, RunUpdate } from './run-store.js';
import type { ValueStore } from './value-store.js';

/**
 * The commit order of a durable run: `runs`, whose `save`, `append` and `flush` first make every
 * value written so far durable (`values.sync`, when the value store has one) and only then write the
 * record or the journal entries, or make them durable. A record that says a step completed thus never
 * reaches the disk before the output it names, whatever the machine does: a killed process loses
 * nothing written, and an OS crash or power loss loses at most the transitions after the last record
 * or flush, never one whose output is missing. What is written is copied as it is when called: a
 * step that changes while the values are flushed is written with the next checkpoint.
 *
 * An append with `durable: false` is passed on at once, with no flush of values: the values its
 * entries name are written already (readable, and kept by a killed process), and the flush that makes
 * it durable flushes them first. The flush takes the entries appended before it is called, whose
 * values the `values.sync` it starts then covers.
 */
export function valuesFirst(runs: RunStore, values: ValueStore): RunStore {
  if (values.sync === undefined) return runs;
  const sync = (): MaybePromise<void> => values.sync?.();
  const wrapped: RunStore = {
    save(record: RunRecord): MaybePromise<void> {
      const synced = sync();
      if (!isThenable(synced)) return runs.save(record);
      const copy = copyAsJson(record.id, record) as RunRecord;
      return synced.then(() => runs.save(copy));
    },
    append(
      runId: string,
      entries: readonly RunJournalEntry[],
      update?: RunUpdate,
      options?: AppendOptions,
    ): MaybePromise<void> {
      if (options?.durable === false && runs.flush !== undefined) return runs.append(runId, entries, update, options);
      const synced = sync();
      if (!isThenable(synced)) return runs.append(runId, entries, update);
      const copy = copyAsJson(runId, entries) as RunJournalEntry[];
      return synced.then(() => runs.append(runId, copy, update));
    },
    load: (runId) => runs.load(runId),
    list: (query) => runs.list(query),
    delete: (runId) => runs.delete(runId),
  };
  const { flush } = runs;
  if (flush !== undefined)
    wrapped.flush = (runId: string, options: FlushOptions = {}): MaybePromise<void> => {
      const synced = sync();
      const after = options.after === undefined ? synced : Promise.all([synced, options.after]).then(() => {});
      return flush.call(runs, runId, after === undefined ? options : { ...options, after });
    };
  return wrapped;
}
