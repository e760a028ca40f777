import type pg from 'pg';
import { newerSchema } from '../sql.js';

/**
 * The schema of a PostgreSQL history, as ordered migrations: migration `n` takes the schema from
 * version n - 1 to n (kept in its `schema_version` table). Append a migration to change the
 * schema; never edit one that shipped. Ids compare byte-wise (`COLLATE "C"`), as the core's paging does.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `CREATE TABLE runs (
     id TEXT COLLATE "C" PRIMARY KEY,
     workflow_id TEXT NOT NULL,
     status TEXT NOT NULL,
     started_at DOUBLE PRECISION NOT NULL,
     ended_at DOUBLE PRECISION,
     owner TEXT,
     record TEXT NOT NULL
   );
   CREATE INDEX runs_by_start ON runs (started_at DESC, id DESC);
   CREATE INDEX runs_by_workflow ON runs (workflow_id, started_at DESC, id DESC);
   CREATE INDEX runs_by_status ON runs (status, started_at DESC, id DESC);
   CREATE TABLE journal (
     n BIGSERIAL PRIMARY KEY,
     run_id TEXT COLLATE "C" NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
     entry TEXT NOT NULL
   );
   CREATE INDEX journal_by_run ON journal (run_id, n);
   CREATE TABLE steps (
     run_id TEXT COLLATE "C" NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
     step_id TEXT NOT NULL,
     position INTEGER NOT NULL,
     status TEXT NOT NULL,
     attempts INTEGER NOT NULL,
     started_at DOUBLE PRECISION,
     ended_at DOUBLE PRECISION,
     output TEXT,
     PRIMARY KEY (run_id, step_id)
   );
   CREATE TABLE events (
     run_id TEXT COLLATE "C" NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
     seq BIGINT NOT NULL,
     type TEXT NOT NULL,
     ts DOUBLE PRECISION NOT NULL,
     event TEXT NOT NULL,
     PRIMARY KEY (run_id, seq)
   );`,
  // 2: the listing a server asks most (a workflow's runs of some statuses, newest first) from one index
  'CREATE INDEX runs_by_workflow_status ON runs (workflow_id, status, started_at DESC, id DESC);',
  // 3: entries committed without waiting for the disk carry the writer's boot id; `synced` is the last
  // journal row a flush made durable with its values (a row after it counts only in the same boot)
  `ALTER TABLE journal ADD COLUMN boot TEXT;
   ALTER TABLE runs ADD COLUMN synced BIGINT;`,
];

/** The schema version this code writes: the number of migrations. */
export const POSTGRES_SCHEMA_VERSION = POSTGRES_MIGRATIONS.length;

/** Letters, digits and `_`, starting with a letter or `_`: a schema name that needs no quoting rules. */
export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Creates the schema when missing and brings it up to {@link POSTGRES_SCHEMA_VERSION}, in one
 * transaction under an advisory lock (servers starting together migrate once).
 * @throws StepwiseError `STORE_CORRUPT` when the schema was written by a newer Stepwise
 */
export async function migratePostgres(client: pg.ClientBase, schema: string, where: string): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`stepwise.history.${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(`SET LOCAL search_path TO "${schema}"`);
    await client.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const found = await client.query<{ version: number }>('SELECT version FROM schema_version');
    const version = found.rows[0]?.version ?? 0;
    if (version > POSTGRES_SCHEMA_VERSION) throw newerSchema(where, version, POSTGRES_SCHEMA_VERSION);
    for (let next = version; next < POSTGRES_SCHEMA_VERSION; next++)
      await client.query(POSTGRES_MIGRATIONS[next] as string);
    if (found.rows.length === 0)
      await client.query('INSERT INTO schema_version (version) VALUES ($1)', [POSTGRES_SCHEMA_VERSION]);
    else if (version !== POSTGRES_SCHEMA_VERSION)
      await client.query('UPDATE schema_version SET version = $1', [POSTGRES_SCHEMA_VERSION]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
