/**
 * @stepwise/history: run history in SQLite or PostgreSQL, behind the core's `RunStore`.
 * @example
 * import { openHistory } from '@stepwise/history';
 * const runs = await openHistory('sqlite:.stepwise/history.db');
 * @packageDocumentation
 */
export type { HistoryStore, ReadEventsOptions } from './history-store.js';
export { type ConfigStore, openConfigStore } from './open-config-store.js';
export { type OpenHistoryOptions, openHistory } from './open-history.js';
export {
  DEFAULT_POSTGRES_SCHEMA,
  PostgresRunStore,
  type PostgresRunStoreOptions,
} from './postgres/postgres-run-store.js';
export { POSTGRES_MIGRATIONS, POSTGRES_SCHEMA_VERSION } from './postgres/postgres-schema.js';
export {
  SQLITE_BUSY_TIMEOUT_MS,
  SqliteRunStore,
  type SqliteRunStoreOptions,
} from './sqlite/sqlite-run-store.js';
export { SQLITE_MIGRATIONS, SQLITE_SCHEMA_VERSION } from './sqlite/sqlite-schema.js';
