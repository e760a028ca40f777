import type { DuckDBConnection } from '@duckdb/node-api';
import { type CsvColumnType, inferType, transpose } from '../csv/csv-columns.js';
import { type CsvPeek, peekCsvRecords } from '../csv/csv-header.js';
import { readCsvFile } from '../csv/csv-reader.js';
import { ownValue, REFUSED_COLUMN_NAME } from '../data-type/column-names.js';
import { kindOf } from '../data-type/column-types.js';
import { checkKinds, checkParsed, type Guess, parsedNumbers, readCsvSql } from './csv-check.js';
import { withDateParts } from './csv-dates.js';
import { convertSql, fitsSql } from './csv-values.js';
import { loadTable, quoteIdentifier, quoteLiteral } from './duckdb-tables.js';

/** The `read_csv` step's params that decide how a file reads (as in `csvReadParams`). */
export interface CsvRelationOptions {
  delimiter?: string;
  /** Cell texts read as null (default: the empty string). */
  nullValues?: readonly string[];
  /** Column types by name; other columns are inferred from every value. */
  types?: Readonly<Record<string, CsvColumnType>>;
  /** What the file is called in error messages (default: its base name). */
  displayName?: string;
  signal?: AbortSignal;
  /**
   * Skip the pass that checks every value: the relation's casts fail with {@link KIND_GUARD} at a
   * value that does not fit its column's guessed kind, or with DuckDB's own error at a text its
   * parser refuses in a number column it parses (then plan again without it). One scan of the file
   * instead of two, for a relation that is read once (`readCsvFast`, a pushed-down chain).
   */
  guarded?: boolean;
  /** Bytes the kinds are guessed from before every value is checked (default 32 KiB, 256 KiB when a column has no value in those; tests make it small). */
  sampleBytes?: number;
}

/** A column of a {@link CsvRelation}: its name and the kind Stepwise's CSV reader gives it. */
export interface CsvRelationColumn {
  name: string;
  kind: CsvColumnType;
}

/**
 * A CSV file as a DuckDB relation: `sql` is one SELECT whose columns, in the file's order, have the
 * kinds the JavaScript reader (`readCsvFile`) infers or is given: `number` is DOUBLE, `boolean`
 * BOOLEAN, `date` TIMESTAMP (milliseconds, as a JavaScript Date), `string` VARCHAR; nulls as
 * `nullValues` says. Row order is the file's.
 */
export interface CsvRelation {
  sql: string;
  columns: CsvRelationColumn[];
  /** True when the file is read by DuckDB itself; false when it was read by the JavaScript reader into a table of the connection. */
  direct: boolean;
  /**
   * The number columns `sql` has DuckDB's parser read as DOUBLE, not as text then cast: the check
   * found that it reads each of their texts as the JavaScript reader does (`checkParsed`).
   */
  doubles?: string[];
}

/**
 * How many bytes the kinds are guessed from (then checked against every value): a first block small
 * enough to tokenize in a few milliseconds, a larger one when a column has no value in it (an unknown
 * column costs a check of every kind) or when it does not parse (a long header).
 */
const SAMPLE_BYTES = [32 * 1024, 256 * 1024] as const;

/**
 * A relation read by DuckDB, or why DuckDB cannot read this file exactly as the JavaScript reader
 * would. A guarded relation (`guarded` asked, and no column without a value in the sample) says so,
 * and how many rows it must give when the sample was the whole file.
 */
export type CsvPlan = { relation: CsvRelation; guarded?: true; rows?: number | undefined } | { fallback: string };

/** The message of the SQL error a guarded relation raises at a value its column's guessed kind does not fit. */
export const KIND_GUARD = 'stepwise: a value does not fit the kind guessed for its column';

/**
 * The typed relation of a CSV file (see {@link CsvRelation}) on a connection from `openDuckDB`, for
 * queries pushed down to DuckDB and for {@link readCsvFast}. DuckDB's parallel reader tokenizes
 * (`all_varchar`, `strict_mode`); the kinds are guessed from the file's first block and checked
 * against every value in one aggregate pass, with the JavaScript reader's own patterns (number columns
 * parsed by DuckDB itself where the file's bytes show that it reads them alike: `plainNumberTexts`). A file DuckDB
 * cannot read as that reader would (a bad row, invalid UTF-8, a single column, duplicate names, ...)
 * is read by the JavaScript reader, which reports its errors with file and line, and loaded into a
 * table of the connection that `sql` selects from.
 * @returns the relation, or undefined when the file's column names cannot be DuckDB's (two equal but
 *   for case, as `A` and `a`): such a file is read by `readCsvFile` only
 * @param path the file's absolute path, resolved under the data root (`resolveInputPath`)
 * @throws StepwiseError `CSV_INVALID` naming the file and line
 * @example
 * const { connection, close } = await openDuckDB(signal);
 * const relation = await csvRelation(connection, await resolveInputPath('sales.csv'), { displayName: 'sales.csv' });
 * if (relation) await connection.run(`SELECT count(*) FROM (${relation.sql}) WHERE amount > 0`);
 */
export async function csvRelation(
  connection: DuckDBConnection,
  path: string,
  options: CsvRelationOptions = {},
): Promise<CsvRelation | undefined> {
  const plan = await planCsvRelation(connection, path, options);
  if ('relation' in plan) return plan.relation;
  const df = await readCsvFile(path, options);
  if (!distinctForDuckDB(df.columnNames())) return undefined;
  const name = `stepwise_csv_${++loadedTables}`;
  await loadTable(connection, name, df);
  const columns = df.columnNames().map((column) => ({ name: column, kind: loadedKind(df.array(column)) }));
  return { sql: `SELECT * FROM ${quoteIdentifier(name)}`, columns, direct: false };
}

let loadedTables = 0;

/** True when no two names are equal but for case: DuckDB's identifiers ignore case. */
export function distinctForDuckDB(names: readonly string[]): boolean {
  return new Set(names.map((name) => name.toLowerCase())).size === names.length;
}

function loadedKind(values: ArrayLike<unknown>): CsvColumnType {
  for (let i = 0; i < values.length; i++) {
    const kind = kindOf(values[i]);
    if (kind !== 'null') return kind as CsvColumnType;
  }
  return 'string';
}

/** A connection opened only when it is first needed (a guarded plan of guessed kinds needs none). */
export type Connect = () => Promise<DuckDBConnection>;

/**
 * {@link csvRelation} without the fallback: the relation DuckDB reads, or why it cannot (then the
 * JavaScript reader must read the file).
 */
export async function planCsvRelation(
  connection: DuckDBConnection | Connect,
  path: string,
  options: CsvRelationOptions,
): Promise<CsvPlan> {
  const delimiter = options.delimiter ?? ',';
  const nullValues = options.nullValues ?? [''];
  const refused = refusal(path, delimiter, nullValues);
  if (refused) return { fallback: refused };
  const first = guessKinds(path, options, options.sampleBytes ?? SAMPLE_BYTES[0]);
  const again = options.sampleBytes === undefined && (!first || (!first.peek.whole && first.unknown));
  const sampled = again ? guessKinds(path, options, SAMPLE_BYTES[1]) : first;
  if (!sampled) return { fallback: 'the first block does not parse' };
  const { peek, guesses } = sampled;
  const { header } = peek;
  // the step-by-step reader refuses it with the file and line
  if (header.includes(REFUSED_COLUMN_NAME)) return { fallback: 'a column named __proto__' };
  if (header.length < 2) return { fallback: 'one column (DuckDB reads a blank line as a null row)' };
  if (!distinctForDuckDB(header)) return { fallback: 'duplicate column names (DuckDB ignores case)' };
  const source = readCsvSql(path, header, { delimiter, nullValues });
  if (options.guarded && guesses.every((g) => !('unknown' in g))) {
    const columns = header.map((name, c) => {
      const g = guesses[c] as { given: CsvColumnType } | { guess: CsvColumnType };
      return { name, kind: 'given' in g ? g.given : g.guess };
    });
    const rows = peek.whole ? peek.records.length : undefined;
    const doubles = await parsedNumbers(path, delimiter, guesses);
    if (doubles === undefined) {
      const sql = typedSelect(source, columns, { guarded: true });
      return { relation: { sql, columns, direct: true }, guarded: true, rows };
    }
    // a text DuckDB's parser refuses fails the read as a guard does
    const parsed = readCsvSql(path, header, { delimiter, nullValues, doubles });
    const sql = typedSelect(parsed, columns, { guarded: true, doubles });
    const relation = { sql, columns, direct: true, doubles: header.filter((_, c) => doubles.has(c)) };
    return { relation, guarded: true, rows };
  }
  const read = { delimiter, nullValues, signal: options.signal };
  const open = typeof connection === 'function' ? await connection() : connection;
  const checked =
    (await checkParsed(open, { path, header, guesses, ...read })) ?? (await checkKinds(open, source, guesses, read));
  if ('fallback' in checked) return checked;
  if (peek.whole && checked.rows !== peek.records.length) return { fallback: 'DuckDB counts other rows' };
  const columns = header.map((name, c) => ({ name, kind: checked.kinds[c] as CsvColumnType }));
  const { doubles } = checked;
  if (doubles === undefined) return { relation: { sql: typedSelect(source, columns), columns, direct: true } };
  // read as the check read them: the numbers parsed once, by DuckDB's CSV reader, not cast from text
  const sql = typedSelect(readCsvSql(path, header, { delimiter, nullValues, doubles }), columns, { doubles });
  return { relation: { sql, columns, direct: true, doubles: header.filter((_, c) => doubles.has(c)) } };
}

/** The kinds guessed from the file's first `bytes`; undefined when that block does not parse. */
function guessKinds(
  path: string,
  options: CsvRelationOptions,
  bytes: number,
): { peek: CsvPeek; guesses: Guess[]; unknown: boolean } | undefined {
  const peek = peekCsvRecords(path, options.delimiter ?? ',', bytes);
  if (!peek) return undefined;
  const fields = peek.records.map((r) => r.fields);
  const sample = transpose(fields, peek.header.length, new Set(options.nullValues ?? ['']));
  const guesses = peek.header.map((name, c): Guess => {
    const given = ownValue(options.types, name);
    if (given) return { given };
    const values = sample[c] as (string | null)[];
    return values.some((v) => v !== null) ? { guess: inferType(values) } : { unknown: true };
  });
  return { peek, guesses, unknown: guesses.some((g) => 'unknown' in g) };
}

/** Why DuckDB's reader cannot be told to read this file as the JavaScript reader does. */
function refusal(path: string, delimiter: string, nullValues: readonly string[]): string | undefined {
  // DuckDB expands these as a glob pattern
  if (/[*?[{]/.test(path)) return 'the path has glob characters';
  if (delimiter === '"' || delimiter === '\n' || delimiter === '\r') return 'the delimiter is a quote or a line break';
  if (nullValues.length === 0) return 'no null values (DuckDB needs at least one)';
  return undefined;
}

/**
 * The SELECT converting each text column of `source` to its kind, under its own name; a column of
 * `doubles` is a DOUBLE already (guarded: finite). `guarded`: see {@link CsvRelationOptions.guarded}.
 */
export function typedSelect(
  source: string,
  columns: readonly CsvRelationColumn[],
  { guarded = false, doubles }: { guarded?: boolean; doubles?: ReadonlySet<number> | undefined } = {},
): string {
  const guard = quoteLiteral(KIND_GUARD);
  const list = columns.map(({ name, kind }, c) => {
    if (doubles?.has(c)) {
      const value = guarded
        ? `CASE WHEN isfinite(c${c}) OR c${c} IS NULL THEN c${c} ELSE error(${guard}) END`
        : `c${c}`;
      return `${value} AS ${quoteIdentifier(name)}`;
    }
    const converted = convertSql(c, kind);
    // guarded, a text is volatile too (an error() no row reaches): DuckDB pushes no filter below a
    // volatile column, so every row of the file goes through the guards before any is dropped. Not
    // random(), which DuckDB draws for every row: about 15% of W4's query time (1,000,000 rows).
    const value = !guarded
      ? converted
      : kind === 'string'
        ? `CASE WHEN c${c} IS NOT NULL THEN ${converted} WHEN c${c} IS NULL THEN NULL ELSE error(${guard}) END`
        : `CASE WHEN c${c} IS NULL THEN NULL WHEN ${fitsSql(c, kind)} THEN ${converted} ELSE error(${guard}) END`;
    return `${value} AS ${quoteIdentifier(name)}`;
  });
  const dates = columns.flatMap(({ kind }, c) => (kind === 'date' ? [c] : []));
  return `SELECT ${list.join(', ')} FROM ${withDateParts(source, dates)}`;
}

// pushed-down queries (pushdown/csv-source.ts) read CSV sources with it
export { readCsvSql };
