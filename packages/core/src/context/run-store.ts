import type { MaybePromise } from '../maybe-promise.js';
import type { RunJournalEntry, RunOwner, RunRecord, RunStatus, RunSummary } from '../model/run.js';

/** A change to a run's {@link RunSummary}, written together with journal entries. */
export interface RunUpdate {
  status?: RunStatus;
  endedAt?: number;
  /** The new owner (a heartbeat is an update of `heartbeatAt`); `null` removes the owner. */
  owner?: RunOwner | null;
}

/** Options of {@link RunStore.append}. */
export interface AppendOptions {
  /**
   * `false`: the entries need only outlive the process, not an OS crash or a power loss, until the
   * next {@link RunStore.flush} (in a file store: written to the file, not flushed to disk). A store
   * without `flush` ignores it: each of its appends is durable. Default true.
   */
  durable?: boolean;
}

/** Options of {@link RunStore.flush}. */
export interface FlushOptions {
  /**
   * What must be durable before the entries are: the flush takes the entries appended before it is
   * called, waits for this, and only then makes them durable (a rejection fails the flush, and makes
   * nothing durable). The runner passes the flush of the values those entries name.
   */
  after?: PromiseLike<void> | undefined;
  /** A change to the run's summary written with the flush (a heartbeat). */
  update?: RunUpdate;
}

/** A run as a run store holds it. */
export interface StoredRun {
  /** The summary: the last saved record's, with every later update applied. */
  summary: RunSummary;
  /** The record saved last by {@link RunStore.save}. */
  record: RunRecord;
  /** The journal entries appended since that record, oldest first. */
  journal: RunJournalEntry[];
}

/** Which runs {@link RunStore.list} answers: every filter given must hold. */
export interface RunQuery {
  workflowId?: string;
  /** Any of these statuses. */
  status?: readonly RunStatus[];
  /** Started at or after this time (epoch milliseconds). */
  startedFrom?: number;
  /** Started before this time (epoch milliseconds). */
  startedBefore?: number;
  /** Most runs per page: 1 to 1000, default 100. */
  limit?: number;
  /** Where the page starts: the `next` of the page before. */
  cursor?: string;
}

/** One page of runs, newest first (by `startedAt`, then id). */
export interface RunPage {
  runs: RunSummary[];
  /** The cursor of the next page; absent on the last page. */
  next?: string;
}

/**
 * Where run records live: one record per run (a snapshot, replaced by each `save`), an
 * append-only journal after it, and a summary per run that listings filter and page through.
 * A method may answer with a promise (SQLite or PostgreSQL in a server); memory and files answer
 * at once ({@link SyncRunStore}).
 *
 * Every method checks its run id first (`RUN_ID_INVALID`, never a key or a path). A new run store
 * passes `describeStoreContract` from `@stepwise/core/testing`.
 */
export interface RunStore {
  /**
   * Saves `record` as the run's record, replacing the one before and the journal entries appended
   * since (the record contains them). Its summary is taken from the record.
   * @throws StepwiseError `RUN_ID_INVALID`, `RUN_RECORD_INVALID` (not JSON, or no summary fields)
   */
  save(record: RunRecord): MaybePromise<void>;
  /**
   * Appends `entries` to the run's journal and applies `update` to its summary, as one durable write
   * (with `durable: false` and a store that has {@link RunStore.flush}: one write that outlives the
   * process, durable at the next flush).
   * @throws StepwiseError `RUN_ID_INVALID`, `RUN_NOT_FOUND` (never saved), `RUN_RECORD_INVALID`
   */
  append(
    runId: string,
    entries: readonly RunJournalEntry[],
    update?: RunUpdate,
    options?: AppendOptions,
  ): MaybePromise<void>;
  /**
   * Optional: makes the entries appended to the run with `durable: false` before this call durable,
   * once `after` resolved. A store that has it appends a step's every transition at once (cheaply,
   * surviving a killed process), and is flushed on an interval; one without it is appended to on the
   * interval, every append durable. Where such an append answers a promise, the runner emits
   * `step.completed`, and starts the steps after it, only once the promise resolved.
   * @throws StepwiseError `RUN_ID_INVALID`; the rejection of `after`
   */
  flush?(runId: string, options?: FlushOptions): MaybePromise<void>;
  /** The run's record, journal and summary, or undefined when the store has none. */
  load(runId: string): MaybePromise<StoredRun | undefined>;
  /**
   * A page of run summaries matching `query`, newest first.
   * @throws StepwiseError `FIELD_INVALID` for a malformed query or cursor
   */
  list(query?: RunQuery): MaybePromise<RunPage>;
  /** Removes the run (record, journal, summary), not the values it references; true when it was there. */
  delete(runId: string): MaybePromise<boolean>;
}

/** A {@link RunStore} that always answers at once (memory, files). */
export interface SyncRunStore extends RunStore {
  save(record: RunRecord): void;
  append(runId: string, entries: readonly RunJournalEntry[], update?: RunUpdate, options?: AppendOptions): void;
  load(runId: string): StoredRun | undefined;
  list(query?: RunQuery): RunPage;
  delete(runId: string): boolean;
}
