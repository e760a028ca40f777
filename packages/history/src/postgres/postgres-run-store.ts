import {
  applyUpdate,
  assertRunId,
  checkAppend,
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
 * SQLite store (runs, journal, steps, events) in one schema, written in transactions; an append
 * locks its run's row, so two processes appending to one run apply their updates in turn. Every
 * method answers a promise. Open one with {@link PostgresRunStore.open}.
 * @example const runs = await PostgresRunStore.open('postgres://postgres@127.0.0.1:5432/test');
 */
export class PostgresRunStore implements HistoryStore {
  readonly kind = 'postgres';
  /** The schema of its tables. */
  readonly schema: string;
  readonly #pool: pg.Pool;

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
    await this.#transaction(async (client) => {
      await client.query(
        `INSERT INTO runs (${SUMMARY}, record) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (id) DO UPDATE SET workflow_id = excluded.workflow_id, status = excluded.status,
           started_at = excluded.started_at, ended_at = excluded.ended_at, owner = excluded.owner, record = excluded.record`,
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

  /** @throws StepwiseError `RUN_ID_INVALID`, `RUN_NOT_FOUND`, `RUN_RECORD_INVALID` */
  async append(runId: string, entries: readonly RunJournalEntry[], update?: RunUpdate): Promise<void> {
    assertRunId(runId);
    checkAppend(runId, entries, update);
    const texts = entryTexts(runId, entries);
    const steps = stepsIn(entries);
    await this.#transaction(async (client) => {
      const found = await client.query<RunRow>(`SELECT ${SUMMARY} FROM runs WHERE id = $1 FOR UPDATE`, [runId]);
      const row = found.rows[0];
      if (row === undefined) throw runNotFound(runId);
      if (texts.length > 0)
        await client.query(
          `INSERT INTO journal (run_id, entry)
           SELECT $1, entry FROM unnest($2::text[]) WITH ORDINALITY AS t (entry, i) ORDER BY i`,
          [runId, texts],
        );
      await upsertSteps(
        client,
        runId,
        steps.map((step) => [step.id, UNLISTED_STEP, ...stepValues(step)]),
        true,
      );
      if (update !== undefined)
        await client.query(
          'UPDATE runs SET workflow_id = $1, status = $2, started_at = $3, ended_at = $4, owner = $5 WHERE id = $6',
          [...summaryValues(applyUpdate(summaryOfRow(row), update)), runId],
        );
    });
  }

  /** @throws StepwiseError `RUN_ID_INVALID`, `STORE_CORRUPT` */
  async load(runId: string): Promise<StoredRun | undefined> {
    assertRunId(runId);
    // one statement, one snapshot: the record and the journal of the same moment
    const found = await this.#pool.query<RunRow & { record: string; journal: string[] }>(
      `SELECT ${SUMMARY}, record,
         ARRAY(SELECT entry FROM journal WHERE run_id = runs.id ORDER BY n) AS journal
       FROM runs WHERE id = $1`,
      [runId],
    );
    const row = found.rows[0];
    if (row === undefined) return undefined;
    return {
      summary: summaryOfRow(row),
      record: parseStored(runId, 'record', row.record) as RunRecord,
      journal: row.journal.map((entry) => parseStored(runId, 'journal entry', entry) as RunJournalEntry),
    };
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

  async #transaction(work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      await work(client);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }
}

/** Writes step rows `[stepId, position, ...values]`; with `keepPosition`, a step already there keeps its place. */
async function upsertSteps(
  client: pg.PoolClient,
  runId: string,
  rows: [string, number, ...StepValues][],
  keepPosition = false,
): Promise<void> {
  if (rows.length === 0) return;
  const column = (i: number) => rows.map((row) => row[i]);
  await client.query(
    `INSERT INTO steps (run_id, step_id, position, status, attempts, started_at, ended_at, output)
     SELECT $1, * FROM unnest($2::text[], $3::int[], $4::text[], $5::int[], $6::float8[], $7::float8[], $8::text[])
     ON CONFLICT (run_id, step_id) DO UPDATE SET ${keepPosition ? '' : 'position = excluded.position, '}status = excluded.status,
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
