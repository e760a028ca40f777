// Runs a lazy plan in DuckDB: into a table (materialize) or straight into a file (a writer), as one
// query on a connection confined to the data root.
import { stat } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { StepwiseError } from '@stepwise/core';
import type { ColumnTable } from 'arquero';
import { openDuckDB, quoteIdentifier, quoteLiteral } from '../duckdb/duckdb-tables.js';
import { loadTableByColumns } from '../duckdb/load-columns.js';
import { materialize } from '../duckdb/materialize.js';
import { csvSourceSql } from './csv-source.js';
import type { LazyPlan, LazySource } from './lazy-plan.js';
import { planSources, renderPlan } from './render-sql.js';
import { type Replayed, readsGuesses, replayPlan } from './replays.js';

/** Error codes of pushed-down steps. */
export const PushdownErrorCode = {
  /** A source file changed (size or modification time) since the lazy table was made. */
  SOURCE_CHANGED: 'SOURCE_CHANGED',
  /** DuckDB failed running the pushed-down steps. */
  PUSHDOWN_FAILED: 'PUSHDOWN_FAILED',
  /** A CSV file's kinds, guessed from its first block, do not hold, and the lazy value was made in another process. */
  KINDS_GUESSED_WRONG: 'KINDS_GUESSED_WRONG',
} as const;

async function checkUnchanged(source: LazySource): Promise<void> {
  const { path, size, mtimeMs } = source.file;
  const now = await stat(path).catch(() => undefined);
  if (now?.size === size && now.mtimeMs === mtimeMs) return;
  throw new StepwiseError(
    PushdownErrorCode.SOURCE_CHANGED,
    `${source.display} changed (or is gone) since it was read as a lazy table; run the reading step again.`,
    { details: { path: source.display } },
  );
}

/** The source's rows as a SELECT of its columns, in order, with Stepwise's types. */
function sourceSql(source: LazySource): string {
  if (source.kind === 'parquet') {
    const columns = source.columns.map(
      (c) => `CAST(${quoteIdentifier(c.name)} AS ${c.type}) AS ${quoteIdentifier(c.name)}`,
    );
    return `SELECT ${columns.join(', ')} FROM read_parquet(${quoteLiteral(source.file.path)})`;
  }
  return csvSourceSql(source);
}

function failure(plan: LazyPlan, error: unknown, signal?: AbortSignal): unknown {
  signal?.throwIfAborted();
  if (error instanceof StepwiseError) return error;
  const steps = plan.ops.map((op) => `"${op.step}" (${op.type})`).join(', ');
  const message = error instanceof Error ? error.message : String(error);
  return new StepwiseError(
    PushdownErrorCode.PUSHDOWN_FAILED,
    `DuckDB failed running the pushed-down steps reading ${plan.source.display}${steps ? ` then ${steps}` : ''}: ${message}`,
    { cause: error, details: { steps: plan.ops.map((op) => op.step) } },
  );
}

/** Runs `work` with the plan's SQL on a fresh confined connection. */
async function withPlan<T>(
  plan: LazyPlan,
  signal: AbortSignal | undefined,
  work: (connection: DuckDBConnection, sql: string) => Promise<T>,
): Promise<T> {
  const db = await openDuckDB(signal);
  try {
    for (const source of planSources(plan)) await checkUnchanged(source);
    const sql = renderPlan(plan, sourceSql);
    return await work(db.connection, sql);
  } catch (error) {
    throw failure(plan, error, signal);
  } finally {
    db.close();
  }
}

/**
 * `withPlan`, and for a plan on guessed CSV kinds (whose query guards every value) that fails, the
 * plan made again from a read that checks every value (replays.ts): `work` on its SQL, or `onTable`
 * on the table a step made in JavaScript. The guesses hold for nearly every file: one scan of it.
 */
async function withReplay<T>(
  plan: LazyPlan,
  signal: AbortSignal | undefined,
  work: (plan: LazyPlan) => (connection: DuckDBConnection, sql: string) => Promise<T>,
  onTable: (table: ColumnTable) => Promise<T>,
): Promise<T> {
  // a LIMIT or a join DuckDB may run below the guards, so that some rows are never checked: the
  // guesses are checked first (the plan made again from a checked read), as without guards
  if (readsGuesses(plan) && !guardsSeeEveryRow(plan)) return withChecked(plan, signal, work, onTable);
  try {
    return await withPlan(plan, signal, work(plan));
  } catch (error) {
    const changed = error instanceof StepwiseError && error.code === PushdownErrorCode.SOURCE_CHANGED;
    if (changed || signal?.aborted || !readsGuesses(plan)) throw error;
  }
  return withChecked(plan, signal, work, onTable);
}

/** True when every row of the plan's guarded sources reaches the guards: no head (LIMIT), no join. */
function guardsSeeEveryRow(plan: LazyPlan): boolean {
  return plan.ops.every((op) => op.op !== 'head' && op.op !== 'join');
}

/** `work` on the plan made again from reads that check every value, or `onTable` on the table it became. */
async function withChecked<T>(
  plan: LazyPlan,
  signal: AbortSignal | undefined,
  work: (plan: LazyPlan) => (connection: DuckDBConnection, sql: string) => Promise<T>,
  onTable: (table: ColumnTable) => Promise<T>,
): Promise<T> {
  let replayed: Replayed;
  try {
    for (const source of planSources(plan)) await checkUnchanged(source);
    replayed = await replayPlan(plan, signal);
  } catch (error) {
    throw failure(plan, error, signal);
  }
  return 'plan' in replayed ? withPlan(replayed.plan, signal, work(replayed.plan)) : onTable(replayed.table);
}

/** The plan's rows as a table. */
export function queryPlan(plan: LazyPlan, signal?: AbortSignal): Promise<ColumnTable> {
  return withReplay(
    plan,
    signal,
    () => (connection, sql) => materialize(connection, sql, signal === undefined ? {} : { signal }),
    async (table) => table,
  );
}

/** Writes the plan's rows to `file` with DuckDB's COPY (`options` as COPY takes them, e.g. `FORMAT parquet`). */
export function copyPlan(plan: LazyPlan, file: string, options: string, signal?: AbortSignal): Promise<void> {
  const copy = (planned: LazyPlan) => async (connection: DuckDBConnection, sql: string) => {
    // as the step-by-step writer (loadTable) does, a NaN is written as null
    const columns = (planned.ops.at(-1)?.out ?? planned.source.columns).map((c) => {
      const name = quoteIdentifier(c.name);
      return c.type === 'DOUBLE' ? `CASE WHEN isnan(${name}) THEN NULL ELSE ${name} END AS ${name}` : name;
    });
    await connection.run(`COPY (SELECT ${columns.join(', ')} FROM (${sql})) TO ${quoteLiteral(file)} (${options})`);
  };
  return withReplay(plan, signal, copy, async (table) => {
    // as write_parquet writes a table (steps/parquet-steps.ts)
    const db = await openDuckDB(signal);
    try {
      await loadTableByColumns(db.connection, 'input', table);
      await db.connection.run(`COPY input TO ${quoteLiteral(file)} (${options})`);
    } finally {
      db.close();
    }
  });
}
