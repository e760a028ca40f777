import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  type AppendOptions,
  applyUpdate,
  assertRunId,
  bootId,
  checkAppend,
  type FlushOptions,
  isThisBoot,
  type RunEvent,
  type RunJournalEntry,
  type RunPage,
  type RunQuery,
  type RunRecord,
  type RunUpdate,
  runJson,
  runNotFound,
  type StepRun,
  type StoredRun,
  type SyncRunStore,
  summaryOf,
} from '@stepwise/core';
import Database from 'better-sqlite3';
import type { HistoryStore, ReadEventsOptions } from '../history-store.js';
import {
  entryTexts,
  eventRows,
  eventWindow,
  listingSql,
  pageOfRows,
  parseStored as parse,
  type RunRow,
  stepsIn,
  stepsOf,
  stepValues,
  summaryOfRow,
  summaryValues,
  UNLISTED_STEP,
} from '../sql.js';
import { migrateSqlite } from './sqlite-schema.js';

/** Options of a {@link SqliteRunStore}. */
export interface SqliteRunStoreOptions {
  /**
   * How long a write waits for another process's write to the same file before failing
   * (milliseconds, default 10,000). Writes are short, so a caller never sees `SQLITE_BUSY` unless a
   * process holds the file for this long.
   */
  busyTimeoutMs?: number;
}

/** The default of {@link SqliteRunStoreOptions.busyTimeoutMs}. */
export const SQLITE_BUSY_TIMEOUT_MS = 10_000;

/**
 * Run history in one SQLite file (better-sqlite3): the runs table holds each run's summary
 * columns (listed through indexes on workflow, status and start time) and its record as JSON, the
 * journal table the entries appended since, the steps table each step's latest state, and the
 * events table what each run reported. The file is in WAL mode, so readers never wait for a
 * writer, and every write is one immediate transaction, committed with `synchronous = FULL` (the
 * WAL flushed to disk before the commit returns). An append with `durable: false` (the runner's step
 * transitions) is committed with `synchronous = NORMAL`: in the WAL file at once, so it outlives a
 * killed process, but flushed to disk only by the next {@link SqliteRunStore.flush} (or a later
 * durable write); it carries the machine's boot id, and after an OS restart it counts only if a
 * flush covered it. A process killed mid-run leaves a whole file and every transaction it committed.
 * Several processes may open one file. Every method answers at once, except a flush that waits.
 * @example const runs = new SqliteRunStore('.stepwise/history.db');
 */
export class SqliteRunStore implements SyncRunStore, HistoryStore {
  readonly kind = 'sqlite';
  /** The file, absolute (or `:memory:`). */
  readonly file: string;
  readonly #db: Database.Database;
  readonly #listings = new Map<string, Database.Statement>();
  readonly #sql: ReturnType<typeof statements>;
  /** The connection's `synchronous` setting now: FULL (durable commits) or NORMAL. */
  #full = true;

  /**
   * Opens the file (creating it and its directory when missing) and brings its schema up to date.
   * @throws StepwiseError `STORE_CORRUPT` when the file was written by a newer schema
   */
  constructor(file: string, options: SqliteRunStoreOptions = {}) {
    this.file = file === ':memory:' ? file : resolve(file);
    if (this.file !== ':memory:') mkdirSync(dirname(this.file), { recursive: true });
    this.#db = new Database(this.file, { timeout: options.busyTimeoutMs ?? SQLITE_BUSY_TIMEOUT_MS });
    try {
      this.#db.pragma('journal_mode = WAL');
      this.#db.pragma('synchronous = FULL');
      this.#db.pragma('foreign_keys = ON');
      migrateSqlite(this.#db, this.file);
      this.#sql = statements(this.#db);
    } catch (error) {
      this.#db.close();
      throw error;
    }
  }

  /** @throws StepwiseError `RUN_ID_INVALID`, `RUN_RECORD_INVALID` */
  save(record: RunRecord): void {
    assertRunId((record as Partial<RunRecord> | null)?.id);
    const summary = summaryOf(record);
    const text = runJson(record.id, record);
    const steps = stepsOf(record);
    const sql = this.#sql;
    this.#synchronous(true);
    this.#db
      .transaction(() => {
        sql.upsertRun.run(record.id, ...summaryValues(summary), text);
        sql.clearJournal.run(record.id);
        sql.clearSteps.run(record.id);
        for (const [position, step] of steps.entries())
          sql.upsertStep.run(record.id, step.id, position, ...stepValues(step));
      })
      .immediate();
  }

  /**
   * Appends in one transaction; with `durable: false` committed without flushing the WAL to disk
   * (it outlives the process, and is durable with the next {@link SqliteRunStore.flush}).
   * @throws StepwiseError `RUN_ID_INVALID`, `RUN_NOT_FOUND`, `RUN_RECORD_INVALID`
   */
  append(runId: string, entries: readonly RunJournalEntry[], update?: RunUpdate, options?: AppendOptions): void {
    assertRunId(runId);
    checkAppend(runId, entries, update);
    const texts = entryTexts(runId, entries);
    const steps: StepRun[] = stepsIn(entries);
    const sql = this.#sql;
    const durable = options?.durable !== false;
    const boot = durable ? null : bootId();
    this.#synchronous(durable);
    this.#db
      .transaction(() => {
        const row = sql.summary.get(runId) as RunRow | undefined;
        if (row === undefined) throw runNotFound(runId);
        for (const text of texts) sql.appendEntry.run(runId, text, boot);
        for (const step of steps) sql.upsertStep.run(runId, step.id, UNLISTED_STEP, ...stepValues(step));
        if (update !== undefined)
          sql.updateSummary.run(...summaryValues(applyUpdate(summaryOfRow(row), update)), runId);
      })
      .immediate();
  }

  /**
   * Makes the appends so far durable once `after` resolved: commits `update` (or the run's summary
   * unchanged) with `synchronous = FULL`, which flushes the WAL, and every commit in it, to disk.
   * Answers a promise only when there is an `after` to wait for.
   * @throws StepwiseError `RUN_ID_INVALID`, `RUN_NOT_FOUND`, `RUN_RECORD_INVALID`
   */
  flush(runId: string, { after, update }: FlushOptions = {}): Promise<void> | undefined {
    assertRunId(runId);
    if (update !== undefined) checkAppend(runId, [], update);
    // the entries appended before this call: only they count after an OS restart once flushed
    const upTo = (this.#sql.lastEntry.get(runId) as { n: number | null } | undefined)?.n ?? null;
    if (after === undefined) {
      this.#flushNow(runId, update, upTo);
      return undefined;
    }
    return Promise.resolve(after).then(() => this.#flushNow(runId, update, upTo));
  }

  #flushNow(runId: string, update: RunUpdate | undefined, upTo: number | null): void {
    const sql = this.#sql;
    this.#synchronous(true);
    this.#db
      .transaction(() => {
        const row = sql.summary.get(runId) as RunRow | undefined;
        if (row === undefined) throw runNotFound(runId);
        // always one write: a transaction that changes nothing commits nothing, and flushes nothing
        const summary = summaryOfRow(row);
        sql.updateSummary.run(...summaryValues(update === undefined ? summary : applyUpdate(summary, update)), runId);
        if (upTo !== null) sql.synced.run(upTo, runId);
      })
      .immediate();
  }

  /** Sets the connection's `synchronous` for the next commit: FULL when it must be durable, else NORMAL. */
  #synchronous(full: boolean): void {
    if (this.#full === full) return;
    this.#db.pragma(full ? 'synchronous = FULL' : 'synchronous = NORMAL');
    this.#full = full;
  }

  /** @throws StepwiseError `RUN_ID_INVALID`, `STORE_CORRUPT` */
  load(runId: string): StoredRun | undefined {
    assertRunId(runId);
    const sql = this.#sql;
    // one read transaction: the record and the journal of the same moment
    return this.#db.transaction(() => {
      const row = sql.run.get(runId) as (RunRow & { record: string; synced: number | null }) | undefined;
      if (row === undefined) return undefined;
      const record = parse(runId, 'record', row.record) as RunRecord;
      // an entry appended without waiting for the disk, after the last flush, counts only in the boot
      // that wrote it: after an OS restart it may name a value that never reached the disk
      const synced = row.synced ?? 0;
      const journal = (sql.journal.all(runId) as { n: number; entry: string; boot: string | null }[])
        .filter((line) => line.boot === null || line.n <= synced || isThisBoot(line.boot))
        .map((line) => parse(runId, 'journal entry', line.entry) as RunJournalEntry);
      return { summary: summaryOfRow(row), record, journal };
    })();
  }

  /** @throws StepwiseError `FIELD_INVALID` */
  list(query?: RunQuery): RunPage {
    const { where, params, limit } = listingSql(query, () => '?');
    let statement = this.#listings.get(where);
    if (statement === undefined) {
      statement = this.#db.prepare(
        `SELECT id, workflow_id, status, started_at, ended_at, owner FROM runs WHERE ${where} ORDER BY started_at DESC, id DESC LIMIT ?`,
      );
      if (this.#listings.size < 64) this.#listings.set(where, statement);
    }
    return pageOfRows(statement.all(...params, limit + 1) as RunRow[], limit);
  }

  /** @throws StepwiseError `RUN_ID_INVALID` */
  delete(runId: string): boolean {
    assertRunId(runId);
    this.#synchronous(true);
    return this.#sql.deleteRun.run(runId).changes > 0;
  }

  /** @throws StepwiseError `RUN_ID_INVALID`, `RUN_NOT_FOUND`, `RUN_RECORD_INVALID` */
  appendEvents(runId: string, events: readonly RunEvent[]): void {
    assertRunId(runId);
    const rows = eventRows(runId, events);
    const sql = this.#sql;
    this.#synchronous(true);
    this.#db
      .transaction(() => {
        if (sql.summary.get(runId) === undefined) throw runNotFound(runId);
        for (const row of rows) sql.appendEvent.run(runId, ...row);
      })
      .immediate();
  }

  /** @throws StepwiseError `RUN_ID_INVALID`, `FIELD_INVALID`, `STORE_CORRUPT` */
  readEvents(runId: string, options?: ReadEventsOptions): RunEvent[] {
    assertRunId(runId);
    const { after, limit } = eventWindow(options);
    return (this.#sql.events.all(runId, after, limit) as { event: string }[]).map(
      (row) => parse(runId, 'event', row.event) as RunEvent,
    );
  }

  /** The steps table's rows of a run: each step's latest state as the record and journal hold it. */
  steps(runId: string): Pick<StepRun, 'id' | 'status' | 'attempts' | 'startedAt' | 'endedAt' | 'output'>[] {
    assertRunId(runId);
    return (this.#sql.steps.all(runId) as StepRowSql[]).map(stepOfRow);
  }

  /** Runs `PRAGMA integrity_check`: `ok`, or what is wrong. */
  integrityCheck(): string {
    return (this.#db.pragma('integrity_check') as { integrity_check: string }[])
      .map((r) => r.integrity_check)
      .join('; ');
  }

  /** Closes the file. */
  close(): void {
    if (this.#db.open) this.#db.close();
  }
}

interface StepRowSql {
  step_id: string;
  status: string;
  attempts: number;
  started_at: number | null;
  ended_at: number | null;
  output: string | null;
}

function stepOfRow(row: StepRowSql): Pick<StepRun, 'id' | 'status' | 'attempts' | 'startedAt' | 'endedAt' | 'output'> {
  const step: Pick<StepRun, 'id' | 'status' | 'attempts' | 'startedAt' | 'endedAt' | 'output'> = {
    id: row.step_id,
    status: row.status as StepRun['status'],
    attempts: row.attempts,
  };
  if (row.started_at !== null) step.startedAt = row.started_at;
  if (row.ended_at !== null) step.endedAt = row.ended_at;
  if (row.output !== null) step.output = row.output;
  return step;
}

function statements(db: Database.Database) {
  return {
    upsertRun: db.prepare(
      `INSERT INTO runs (id, workflow_id, status, started_at, ended_at, owner, record) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET workflow_id = excluded.workflow_id, status = excluded.status,
         started_at = excluded.started_at, ended_at = excluded.ended_at, owner = excluded.owner, record = excluded.record,
         synced = NULL`,
    ),
    clearJournal: db.prepare('DELETE FROM journal WHERE run_id = ?'),
    clearSteps: db.prepare('DELETE FROM steps WHERE run_id = ?'),
    upsertStep: db.prepare(
      `INSERT INTO steps (run_id, step_id, position, status, attempts, started_at, ended_at, output) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_id, step_id) DO UPDATE SET status = excluded.status, attempts = excluded.attempts,
         started_at = excluded.started_at, ended_at = excluded.ended_at, output = excluded.output`,
    ),
    summary: db.prepare('SELECT id, workflow_id, status, started_at, ended_at, owner FROM runs WHERE id = ?'),
    run: db.prepare(
      'SELECT id, workflow_id, status, started_at, ended_at, owner, record, synced FROM runs WHERE id = ?',
    ),
    journal: db.prepare('SELECT n, entry, boot FROM journal WHERE run_id = ? ORDER BY n'),
    appendEntry: db.prepare('INSERT INTO journal (run_id, entry, boot) VALUES (?, ?, ?)'),
    lastEntry: db.prepare('SELECT max(n) AS n FROM journal WHERE run_id = ?'),
    synced: db.prepare('UPDATE runs SET synced = max(coalesce(synced, 0), ?) WHERE id = ?'),
    updateSummary: db.prepare(
      'UPDATE runs SET workflow_id = ?, status = ?, started_at = ?, ended_at = ?, owner = ? WHERE id = ?',
    ),
    deleteRun: db.prepare('DELETE FROM runs WHERE id = ?'),
    appendEvent: db.prepare('INSERT OR IGNORE INTO events (run_id, seq, type, ts, event) VALUES (?, ?, ?, ?, ?)'),
    events: db.prepare('SELECT event FROM events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?'),
    steps: db.prepare(
      'SELECT step_id, status, attempts, started_at, ended_at, output FROM steps WHERE run_id = ? ORDER BY position, step_id',
    ),
  };
}
