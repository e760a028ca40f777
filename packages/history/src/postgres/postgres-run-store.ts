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
  type StoredRun,
  summaryOf,
} from '@stepwise/core';
import pg from 'pg';
import type { HistoryStore, ReadEventsOptions } from '../history-store.js';
import {
  entryTexts,
  eventRows,
  eventWindow,
  listingSql,
  pageOfRows,
  parseStored,
  type RunRow,
  type StepValues,
  stepsIn,
  stepsOf,
  stepValues,
  summaryOfRow,
  summaryValues,
  UNLISTED_STEP,
} from '../sql.js';
import { migratePostgres, SCHEMA_NAME } from './postgres-schema.js';

/** Options of {@link PostgresRunStore.open}. */
export interface PostgresRunStoreOptions {
  /** The schema holding the history's tables, created when missing (default `stepwise`). */
  schema?: string;
  /** Most connections the store opens at once (default 10). */
  maxConnections?: number;
}

/** The schema of {@link PostgresRunStoreOptions.schema} by default. */
export const DEFAULT_POSTGRES_SCHEMA = 'stepwise';

const SUMMARY = 'id, workflow_id, status, started_at, ended_at, owner';

/**
 * Run history in PostgreSQL, for several servers sharing one history: the same tables as the
 * SQLite store (runs, journal, steps, events) in one schema, written in transactions committed with
 * the server's `synchronous_commit` (on disk when the server answers); an append locks its run's
 * row, so two processes appending to one run apply their updates in turn. An append with
 * `durable: false` (the runner's step transitions, each at once) is committed with
 * `synchronous_commit = off`: the server has it when it answers, so it outlives the process that
 * wrote it, but a crash of the server may lose it until the next {@link PostgresRunStore.flush}
 * (the next commit that waits for the disk puts it there). It carries the writer's boot id, and after
 * that machine restarted it counts only if a flush covered it. Every method answers a promise.
 * Open one with {@link PostgresRunStore.open}.
 * @example const runs = await PostgresRunStore.open('postgres://postgres@127.0.0.1:5432/test');
 */
export class PostgresRunStore implements HistoryStore {
  readonly kind = 'postgres';
  /** The schema of its tables. */
  readonly schema: string;
  readonly #pool: pg.Pool;
  /** By run, the last journal row this store appended without waiting for the disk: what a flush covers. */
  readonly #appended = new Map<string, string>();

  private constructor(pool: pg.Pool, schema: string) {
    this.#pool = pool;
    this.schema = schema;
  }

  /**
   * Connects, creates the schema when missing and brings it up to date.
   * @throws StepwiseError `FIELD_INVALID` for a bad schema name, `STORE_CORRUPT` for a newer schema;
   * the driver's error when the server cannot be reached
   */
  static async open(connectionString: string, options: PostgresRunStoreOptions = {}): Promise<PostgresRunStore> {
    const schema = options.schema ?? DEFAULT_POSTGRES_SCHEMA;
    if (!SCHEMA_NAME.test(schema))
      throw new TypeError(
        `PostgreSQL history schema ${JSON.stringify(schema)}: expected lower-case letters, digits and _, starting with a letter or _.`,
      );
    const pool = new pg.Pool({
      connectionString,
      max: options.maxConnections ?? 10,
      options: `-c search_path=${schema}`,
    });
    // an idle connection the server drops is replaced by the pool; without a listener it would end the process
    pool.on('error', () => {});
    try {
      const client = await pool.connect();
      try {
        await migratePostgres(client, schema, redact(connectionString));
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end().catch(() => {});
      throw error;
    }
    return new PostgresRunStore(pool, schema);
  }

  /** @throws StepwiseError `RUN_ID_INVALID`, `RUN_RECORD_INVALID` */
  async save(record: RunRecord): Promise<void> {
    assertRunId((record as Partial<RunRecord> | null)?.id);
    const summary = summaryOf(record);
    const text = runJson(record.id, record);
    const steps = stepsOf(record);
    this.#appended.delete(record.id);
    await this.#transaction(async (client) => {
      await client.query(
        `INSERT INTO runs (${SUMMARY}, record) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (id) DO UPDATE SET workflow_id = excluded.workflow_id, status = excluded.status,
           started_at = excluded.started_at, ended_at = excluded.ended_at, owner = excluded.owner, record = excluded.record,
           synced = NULL`,
        [record.id, ...summaryValues(summary), text],
      );
      await client.query('DELETE FROM journal WHERE run_id = $1', [record.id]);
      await client.query('DELETE FROM steps WHERE run_id = $1', [record.id]);
      await upsertSteps(
        client,
        record.id,
        steps.map((step, position) => [step.id, position, ...stepValues(step)]),
      );
    });
  }

  /**
   * Appends in one transaction; with `durable: false` committed without waiting for the disk (the
   * server has it, and it is durable with the next {@link PostgresRunStore.flush}). Without an
   * `update`, one statement: one round trip to the server.
   * @throws StepwiseError `RUN_ID_INVALID`, `RUN_NOT_FOUND`, `RUN_RECORD_INVALID`
   */
  async append(
    runId: string,
    entries: readonly RunJournalEntry[],
    update?: RunUpdate,
    options?: AppendOptions,
  ): Promise<void> {
    assertRunId(runId);
    checkAppend(runId, entries, update);
    const texts = entryTexts(runId, entries);
    const steps = stepsIn(entries).map((step): StepRowValues => [step.id, UNLISTED_STEP, ...stepValues(step)]);
    const durable = options?.durable !== false;
    let last: string | null;
    if (update === undefined) last = await appendRows(this.#pool, runId, texts, steps, durable);
    else
      last = await this.#transaction(async (client) => {
        const found = await client.query<RunRow>(`SELECT ${SUMMARY} FROM runs WHERE id = $1 FOR UPDATE`, [runId]);
        const row = found.rows[0];
        if (row === undefined) throw runNotFound(runId);
        const appended = await appendRows(client, runId, texts, steps, durable);
        await client.query(
          'UPDATE runs SET workflow_id = $1, status = $2, started_at = $3, ended_at = $4, owner = $5 WHERE id = $6',
          [...summaryValues(applyUpdate(summaryOfRow(row), update)), runId],
        );
        return appended;
      });
    if (durable || last === null) return;
    const before = this.#appended.get(runId);
    // appends to one run from several callers may answer in any order: a flush covers the last row
    if (before === undefined || BigInt(last) > BigInt(before)) this.#appended.set(runId, last);
  }

  /**
   * Makes this store's appends so far durable once `after` resolved: commits `update` (or the run's
   * summary unchanged) waiting for the disk, which puts every commit before it there too, and notes
   * the last entry it covered.
   * @throws StepwiseError `RUN_ID_INVALID`, `RUN_NOT_FOUND`, `RUN_RECORD_INVALID`; the rejection of `after`
   */
  async flush(runId: string, { after, update }: FlushOptions = {}): Promise<void> {
    assertRunId(runId);
    if (update !== undefined) checkAppend(runId, [], update);
    // the entries appended before this call: only they count after their writer's restart once flushed
    const upTo = this.#appended.get(runId) ?? null;
    await after;
    await this.#transaction(async (client) => {
      const found = await client.query<RunRow>(`SELECT ${SUMMARY} FROM runs WHERE id = $1 FOR UPDATE`, [runId]);
      const row = found.rows[0];
      if (row === undefined) throw runNotFound(runId);
      // always one write: a transaction that changes nothing waits for no disk
      const summary = summaryOfRow(row);
      await client.query(
        `UPDATE runs SET workflow_id = $1, status = $2, started_at = $3, ended_at = $4, owner = $5,
           synced = GREATEST(synced, $7::bigint) WHERE id = $6`,
        [...summaryValues(update === undefined ? summary : applyUpdate(summary, update)), runId, upTo],
      );
    });
    if (upTo !== null && this.#appended.get(runId) === upTo) this.#appended.delete(runId);
  }

  /** @throws StepwiseError `RUN_ID_INVALID`, `STORE_CORRUPT` */
  async load(runId: string): Promise<StoredRun | undefined> {
    assertRunId(runId);
    // one statement, one snapshot: the record and the journal of the same moment; `boots` holds the
    // boot id of each entry no flush covered (null for the others)
    const found = await this.#pool.query<RunRow & { record: string; journal: string[]; boots: (string | null)[] }>(
      `SELECT ${SUMMARY}, record,
         ARRAY(SELECT entry FROM journal WHERE run_id = runs.id ORDER BY n) AS journal,
         ARRAY(SELECT CASE WHEN n <= coalesce(runs.synced, 0) THEN NULL ELSE boot END
               FROM journal WHERE run_id = runs.id ORDER BY n) AS boots
       FROM runs WHERE id = $1`,
      [runId],
    );
    const row = found.rows[0];
    if (row === undefined) return undefined;
    // an entry committed without waiting for the disk, after the last flush, counts only in the boot
    // that wrote it: after that machine restarted it may name a value that never reached the disk
    const journal: RunJournalEntry[] = [];
    for (const [i, entry] of row.journal.entries()) {
      const boot = row.boots[i] ?? null;
      if (boot === null || isThisBoot(boot))
        journal.push(parseStored(runId, 'journal entry', entry) as RunJournalEntry);
    }
    return { summary: summaryOfRow(row), record: parseStored(runId, 'record', row.record) as RunRecord, journal };
  }

  /** @throws StepwiseError `FIELD_INVALID` */
  async list(query?: RunQuery): Promise<RunPage> {
    const { where, params, limit } = listingSql(query, (n) => `$${n}`);
    const found = await this.#pool.query<RunRow>(
      `SELECT ${SUMMARY} FROM runs WHERE ${where} ORDER BY started_at DESC, id DESC LIMIT $${params.length + 1}`,
      [...params, limit + 1],
    );
    return pageOfRows(found.rows, limit);
  }

  /** @throws StepwiseError `RUN_ID_INVALID` */
  async delete(runId: string): Promise<boolean> {
    assertRunId(runId);
    this.#appended.delete(runId);
    const done = await this.#pool.query('DELETE FROM runs WHERE id = $1', [runId]);
    return (done.rowCount ?? 0) > 0;
  }

  /** @throws StepwiseError `RUN_ID_INVALID`, `RUN_NOT_FOUND`, `RUN_RECORD_INVALID` */
  async appendEvents(runId: string, events: readonly RunEvent[]): Promise<void> {
    assertRunId(runId);
    const rows = eventRows(runId, events);
    await this.#transaction(async (client) => {
      const found = await client.query('SELECT 1 FROM runs WHERE id = $1 FOR SHARE', [runId]);
      if (found.rows.length === 0) throw runNotFound(runId);
      if (rows.length === 0) return;
      await client.query(
        `INSERT INTO events (run_id, seq, type, ts, event)
         SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::float8[], $5::text[])
         ON CONFLICT (run_id, seq) DO NOTHING`,
        [runId, rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), rows.map((r) => r[3])],
      );
    });
  }

  /** @throws StepwiseError `RUN_ID_INVALID`, `FIELD_INVALID`, `STORE_CORRUPT` */
  async readEvents(runId: string, options?: ReadEventsOptions): Promise<RunEvent[]> {
    assertRunId(runId);
    const { after, limit } = eventWindow(options);
    const found = await this.#pool.query<{ event: string }>(
      'SELECT event FROM events WHERE run_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
      [runId, after, limit],
    );
    return found.rows.map((row) => parseStored(runId, 'event', row.event) as RunEvent);
  }

  /** Closes every connection. */
  async close(): Promise<void> {
    if (!this.#pool.ended) await this.#pool.end();
  }

  async #transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }
}

/** A step row `[stepId, position, ...values]`. */
type StepRowValues = [string, number, ...StepValues];

/**
 * The statement of {@link appendRows}, prepared once per connection. The run's row is locked first,
 * so appends to one run from several processes take turns (and number their entries in that order);
 * every insert reads from it, so nothing is written for a run that is not there.
 */
const APPEND_SQL = `WITH run AS (SELECT id FROM runs WHERE id = $1 FOR UPDATE),
     commit_mode AS (SELECT set_config('synchronous_commit', 'off', true) FROM run WHERE NOT $3),
     entries AS (
       INSERT INTO journal (run_id, entry, boot)
       SELECT run.id, t.entry, CASE WHEN $3 THEN NULL ELSE $4::text END
       FROM run, unnest($2::text[]) WITH ORDINALITY AS t (entry, i) ORDER BY t.i
       RETURNING n),
     step_rows AS (
       INSERT INTO steps (run_id, step_id, position, status, attempts, started_at, ended_at, output)
       SELECT run.id, s.* FROM run,
         unnest($5::text[], $6::int[], $7::text[], $8::int[], $9::float8[], $10::float8[], $11::text[]) AS s
       ON CONFLICT (run_id, step_id) DO UPDATE SET status = excluded.status, attempts = excluded.attempts,
         started_at = excluded.started_at, ended_at = excluded.ended_at, output = excluded.output)
   SELECT (SELECT count(*) FROM run) AS found, (SELECT max(n) FROM entries)::text AS last,
     (SELECT count(*) FROM commit_mode) AS commit_mode`;

/**
 * Appends journal entries and step rows to a run that exists, in one statement: on its own (the
 * pool's), a transaction of its own, one round trip. With `durable` false its commit does not wait
 * for the disk, and its entries carry this machine's boot id. Answers the last entry's row number
 * (a bigint as text), null when there were none.
 * @throws StepwiseError `RUN_NOT_FOUND`
 */
async function appendRows(
  db: pg.Pool | pg.PoolClient,
  runId: string,
  texts: string[],
  steps: StepRowValues[],
  durable: boolean,
): Promise<string | null> {
  const column = (i: number) => steps.map((row) => row[i]);
  const found = await db.query<{ found: string; last: string | null }>({
    name: 'stepwise.append',
    text: APPEND_SQL,
    values: [
      runId,
      texts,
      durable,
      bootId(),
      column(0),
      column(1),
      column(2),
      column(3),
      column(4),
      column(5),
      column(6),
    ],
  });
  const row = found.rows[0];
  if (row === undefined || Number(row.found) === 0) throw runNotFound(runId);
  return row.last;
}

/** Writes step rows, each taking the position it is given. */
async function upsertSteps(client: pg.PoolClient, runId: string, rows: StepRowValues[]): Promise<void> {
  if (rows.length === 0) return;
  const column = (i: number) => rows.map((row) => row[i]);
  await client.query(
    `INSERT INTO steps (run_id, step_id, position, status, attempts, started_at, ended_at, output)
     SELECT $1, * FROM unnest($2::text[], $3::int[], $4::text[], $5::int[], $6::float8[], $7::float8[], $8::text[])
     ON CONFLICT (run_id, step_id) DO UPDATE SET position = excluded.position, status = excluded.status,
       attempts = excluded.attempts, started_at = excluded.started_at, ended_at = excluded.ended_at, output = excluded.output`,
    [runId, column(0), column(1), column(2), column(3), column(4), column(5), column(6)],
  );
}

/** The connection string without its password, for messages. */
export function redact(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    if (url.password !== '') url.password = '***';
    return url.toString();
  } catch {
    return connectionString.replace(/\/\/[^@/]*@/, '//***@');
  }
}
