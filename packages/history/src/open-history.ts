import { isAbsolute, resolve } from 'node:path';
import { ErrorCode, StepwiseError } from '@stepwise/core';
import type { HistoryStore } from './history-store.js';
import { PostgresRunStore, redact } from './postgres/postgres-run-store.js';
import { SqliteRunStore } from './sqlite/sqlite-run-store.js';

/** Options of {@link openHistory}. */
export interface OpenHistoryOptions {
  /** What a relative `sqlite:` path is relative to (the project root; default the current directory). */
  root?: string;
}

/**
 * Opens the run history a config names (`history` in stepwise.config.ts): the one opener of the
 * CLI and the server.
 * - `sqlite:<file>`: a SQLite file, relative to `root` unless absolute, created when missing;
 *   `sqlite::memory:` for one that lives as long as the process.
 * - `postgres://…` or `postgresql://…`: a PostgreSQL database; `?schema=name` picks the schema
 *   (default `stepwise`), created when missing.
 * @example const runs = await openHistory('sqlite:.stepwise/history.db', { root: config.root });
 * @throws StepwiseError `FIELD_INVALID` naming `history` for anything else; `STORE_CORRUPT` for a
 * history written by a newer Stepwise; the driver's error when the database cannot be reached
 */
export async function openHistory(history: string, options: OpenHistoryOptions = {}): Promise<HistoryStore> {
  if (typeof history === 'string' && history.startsWith('sqlite:') && history.length > 7) {
    const path = history.slice(7);
    return new SqliteRunStore(path === ':memory:' || isAbsolute(path) ? path : resolve(options.root ?? '.', path));
  }
  if (typeof history === 'string' && /^postgres(ql)?:\/\/./.test(history)) {
    const { url, schema } = withoutSchema(history);
    return PostgresRunStore.open(url, schema === undefined ? {} : { schema });
  }
  throw new StepwiseError(
    ErrorCode.FIELD_INVALID,
    `history: expected 'sqlite:' and a file (sqlite:.stepwise/history.db) or a PostgreSQL URL (postgres://user@host:5432/db), got ${
      typeof history === 'string' ? JSON.stringify(redact(history)) : typeof history
    }.`,
    { details: { field: 'history' } },
  );
}

/** The URL without its `schema` parameter (the driver does not know it), and the schema. */
function withoutSchema(history: string): { url: string; schema: string | undefined } {
  let url: URL;
  try {
    url = new URL(history);
  } catch {
    return { url: history, schema: undefined };
  }
  const schema = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  return { url: url.toString(), schema };
}
