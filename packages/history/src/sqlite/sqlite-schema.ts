import type Database from 'better-sqlite3';
import { newerSchema } from '../sql.js';

/**
 * The schema of a SQLite history, as ordered migrations: migration `n` takes a file from
 * `user_version` n - 1 to n. Append a migration to change the schema; never edit one that shipped.
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
  // 1: runs (summary columns for listing, the record as JSON), their journal, steps and events
  `CREATE TABLE runs (
     id TEXT PRIMARY KEY,
     workflow_id TEXT NOT NULL,
     status TEXT NOT NULL,
     started_at REAL NOT NULL,
     ended_at REAL,
     owner TEXT,
     record TEXT NOT NULL
   ) STRICT;
   CREATE INDEX runs_by_start ON runs (started_at DESC, id DESC);
   CREATE INDEX runs_by_workflow ON runs (workflow_id, started_at DESC, id DESC);
   CREATE INDEX runs_by_status ON runs (status, started_at DESC, id DESC);
   CREATE TABLE journal (
     n INTEGER PRIMARY KEY,
     run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
     entry TEXT NOT NULL
   ) STRICT;
   CREATE INDEX journal_by_run ON journal (run_id, n);
   CREATE TABLE steps (
     run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
     step_id TEXT NOT NULL,
     position INTEGER NOT NULL,
     status TEXT NOT NULL,
     attempts INTEGER NOT NULL,
     started_at REAL,
     ended_at REAL,
     output TEXT,
     PRIMARY KEY (run_id, step_id)
   ) STRICT, WITHOUT ROWID;
   CREATE TABLE events (
     run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     type TEXT NOT NULL,
     ts REAL NOT NULL,
     event TEXT NOT NULL,
     PRIMARY KEY (run_id, seq)
   ) STRICT, WITHOUT ROWID;`,
  // 2: the listing a server asks most (a workflow's runs of some statuses, newest first) from one index
  'CREATE INDEX runs_by_workflow_status ON runs (workflow_id, status, started_at DESC, id DESC);',
  // 3: entries appended without waiting for the disk carry the writer's boot id; `synced` is the last
  // journal row a flush put on disk with its values (a row after it counts only in the same boot)
  `ALTER TABLE journal ADD COLUMN boot TEXT;
   ALTER TABLE runs ADD COLUMN synced INTEGER;`,
];

/** The schema version this code writes: the number of migrations. */
export const SQLITE_SCHEMA_VERSION = SQLITE_MIGRATIONS.length;

/**
 * Brings the file's schema up to {@link SQLITE_SCHEMA_VERSION}, in one immediate transaction (a
 * second process opening the same file at once waits, then finds the work done).
 * @throws StepwiseError `STORE_CORRUPT` when the file was written by a newer schema
 */
export function migrateSqlite(db: Database.Database, file: string): void {
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SQLITE_SCHEMA_VERSION) throw newerSchema(file, version, SQLITE_SCHEMA_VERSION);
    for (let next = version; next < SQLITE_SCHEMA_VERSION; next++) db.exec(SQLITE_MIGRATIONS[next] as string);
    if (version !== SQLITE_SCHEMA_VERSION) db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION}`);
  }).immediate();
}
