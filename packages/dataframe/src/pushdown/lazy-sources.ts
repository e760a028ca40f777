// The reading steps' lazy tables: a source file's fingerprint and columns, read from its header (a
// Parquet footer), no rows.
import { stat } from 'node:fs/promises';
import { isMainThread } from 'node:worker_threads';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ColumnTable } from 'arquero';
import type { CsvColumnType } from '../csv/csv-columns.js';
import { type Connect, type CsvRelation, type CsvRelationOptions, planCsvRelation } from '../duckdb/csv-relation.js';
import { keptDuckDB, openDuckDB, warmDuckDB } from '../duckdb/open-duckdb.js';
import { LazyFrame } from './lazy-frame.js';
import type { FileFingerprint, LazyColumn, SqlType } from './lazy-plan.js';
import { namesFit } from './push-steps.js';
import { guessedWrongBefore, noteWrongGuess, rememberReplay } from './replays.js';

/** DuckDB types read as Stepwise's kinds with the same values (integers that always fit a double). */
const AS_SQL_TYPE: Record<string, SqlType> = {
  DOUBLE: 'DOUBLE',
  FLOAT: 'DOUBLE',
  INTEGER: 'DOUBLE',
  SMALLINT: 'DOUBLE',
  TINYINT: 'DOUBLE',
  UINTEGER: 'DOUBLE',
  USMALLINT: 'DOUBLE',
  UTINYINT: 'DOUBLE',
  VARCHAR: 'VARCHAR',
  BOOLEAN: 'BOOLEAN',
  TIMESTAMP: 'TIMESTAMP',
};

/** The file's size and modification time, to refuse running a plan over a changed file. */
export async function fingerprint(path: string): Promise<FileFingerprint> {
  const info = await stat(path);
  return { path, size: info.size, mtimeMs: info.mtimeMs };
}

/**
 * A lazy table over a Parquet file (`select` reads it, columns as asked), or undefined when one of
 * its columns has a type whose values read otherwise eagerly (BIGINT, DECIMAL, DATE, lists, ...).
 */
export async function lazyParquet(
  connection: DuckDBConnection,
  { path, display, select }: { path: string; display: string; select: string },
): Promise<LazyFrame | undefined> {
  const described = (await connection.runAndReadAll(`DESCRIBE ${select}`)).getRowObjectsJS();
  const columns: LazyColumn[] = [];
  for (const row of described) {
    const type = AS_SQL_TYPE[String(row.column_type)];
    if (type === undefined) return undefined;
    columns.push({ name: String(row.column_name), type });
  }
  if (!namesFit(columns)) return undefined;
  return new LazyFrame({ source: { kind: 'parquet', file: await fingerprint(path), display, columns }, ops: [] });
}

const SQL_TYPES: Record<CsvColumnType, SqlType> = {
  number: 'DOUBLE',
  string: 'VARCHAR',
  boolean: 'BOOLEAN',
  date: 'TIMESTAMP',
};

let guessBytes: number | undefined;

/**
 * Has lazy CSV reads guess the kinds from the first `bytes` of the file (undefined: 32 KiB, or
 * 256 KiB when a column has no value there), so that tests plan small files on guesses.
 */
export function guessKindsFrom(bytes: number | undefined): void {
  guessBytes = bytes;
}

/** How the reading step reads a CSV file. */
type CsvReadOptions = CsvRelationOptions & { delimiter: string; nullValues: string[]; displayName: string };

/**
 * A lazy table over a CSV file when DuckDB reads it exactly as the JavaScript reader does; undefined
 * otherwise (a bad row, invalid UTF-8, one column, ...: the JavaScript reader reads it, with its
 * file:line errors). The kinds are those guessed from the file's first block, not yet checked against
 * every value: the query that reads the table guards each value, so the file is scanned once, and
 * when one does not fit, the plan is made again from a read that checks them (replays.ts). A file
 * within that block, whose guesses failed before, or read in a worker thread is checked here (`planCsvRelation`).
 */
export async function lazyCsv(
  connection: DuckDBConnection | Connect,
  path: string,
  options: CsvReadOptions,
): Promise<LazyFrame | undefined> {
  // the query that reads the table (this step's check, or a later step's) takes the instance opened meanwhile
  warmDuckDB();
  // the checks here only read: a connection asked for stays open after them for the step that reads the table
  const kept = typeof connection === 'function' ? keptDuckDB(options.signal) : undefined;
  let planned = false;
  try {
    const frame = await planCsv(kept?.connect ?? connection, path, options);
    planned = true;
    return frame;
  } finally {
    kept?.release(planned);
  }
}

/** {@link lazyCsv} on `connection`. */
async function planCsv(
  connection: DuckDBConnection | Connect,
  path: string,
  options: CsvReadOptions,
): Promise<LazyFrame | undefined> {
  const file = await fingerprint(path);
  // a worker thread's steps run in other threads, which do not know how to make the plan again
  if (isMainThread && !guessedWrongBefore(file)) {
    const sample = guessBytes === undefined ? {} : { sampleBytes: guessBytes };
    const guessed = await planCsvRelation(connection, path, { ...options, ...sample, guarded: true });
    if ('relation' in guessed && guessed.guarded === true && guessed.rows === undefined) {
      const frame = csvFrame(guessed.relation, file, options, true);
      if (frame !== undefined) {
        rememberReplay(frame.plan, async (signal) => {
          // the signal of the step that reads the table now, not the reading step's
          const { signal: _, ...rest } = options;
          const checked = await checkedCsv(path, file, signal === undefined ? rest : { ...rest, signal });
          const held = checked instanceof LazyFrame && sameTypes(checked.columns, frame.columns);
          if (!held) noteWrongGuess(file);
          return checked instanceof LazyFrame ? { plan: checked.plan } : { table: checked };
        });
        return frame;
      }
    }
  }
  const plan = await planCsvRelation(connection, path, options);
  return 'relation' in plan ? csvFrame(plan.relation, file, options, false) : undefined;
}

const sameTypes = (a: readonly LazyColumn[], b: readonly LazyColumn[]) =>
  a.length === b.length && a.every((column, i) => column.type === b[i]?.type);

/** The reading step's output with every value checked: a lazy table, or the table the JavaScript reader reads. */
async function checkedCsv(
  path: string,
  file: FileFingerprint,
  options: CsvReadOptions,
): Promise<LazyFrame | ColumnTable> {
  const db = await openDuckDB(options.signal);
  try {
    const plan = await planCsvRelation(db.connection, path, options);
    const frame = 'relation' in plan ? csvFrame(plan.relation, file, options, false) : undefined;
    if (frame !== undefined) return frame;
  } finally {
    db.close();
  }
  const { readCsvFast } = await import('../duckdb/read-csv-fast.js');
  return readCsvFast(path, options);
}

/** The lazy table of a planned relation; undefined when its names are not DuckDB's. */
function csvFrame(relation: CsvRelation, file: FileFingerprint, options: CsvReadOptions, guessed: boolean) {
  const columns = relation.columns.map((c) => ({ name: c.name, type: SQL_TYPES[c.kind] }));
  if (!namesFit(columns)) return undefined;
  const types = options.types ?? {};
  const source = {
    kind: 'csv' as const,
    file,
    display: options.displayName,
    header: columns.map((c) => c.name),
    delimiter: options.delimiter,
    nullValues: options.nullValues,
    columns,
    ...(relation.doubles === undefined ? {} : { doubles: relation.doubles }),
    ...(guessed ? { guessed, ...(Object.keys(types).length > 0 ? { types: { ...types } } : {}) } : {}),
  };
  return new LazyFrame({ source, ops: [] });
}
