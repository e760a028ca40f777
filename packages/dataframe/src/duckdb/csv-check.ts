// The check of a CSV file's guessed kinds against every value, in one DuckDB pass over the file.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { CsvColumnType } from '../csv/csv-columns.js';
import { withDateParts } from './csv-dates.js';
import { fitsSql } from './csv-values.js';
import { CSV_BUFFER_SIZE, quoteIdentifier, quoteLiteral } from './duckdb-tables.js';
import { plainNumberTexts } from './plain-numbers.js';

/** What is known of a column's kind before the check: given, guessed from the sample, or unknown (no value in it). */
export type Guess = { given: CsvColumnType } | { guess: CsvColumnType } | { unknown: true };

/**
 * `read_csv(...)` giving every column as text, named c0, c1, ..., but the columns of indexes
 * `doubles`, parsed by DuckDB as DOUBLE.
 */
export function readCsvSql(
  path: string,
  header: readonly string[],
  {
    delimiter,
    nullValues,
    doubles,
  }: { delimiter: string; nullValues: readonly string[]; doubles?: ReadonlySet<number> },
) {
  const columns = header.map((name, c) => `${quoteLiteral(name)}: '${doubles?.has(c) ? 'DOUBLE' : 'VARCHAR'}'`);
  const options = [
    'header = true',
    'auto_detect = false',
    `columns = {${columns.join(', ')}}`,
    'strict_mode = true',
    `delim = ${quoteLiteral(delimiter)}`,
    `quote = '"'`,
    `escape = '"'`,
    `nullstr = [${nullValues.map(quoteLiteral).join(', ')}]`,
    'allow_quoted_nulls = true',
    `compression = 'none'`,
    `buffer_size = ${CSV_BUFFER_SIZE}`,
  ];
  const renamed = header.map((name, c) => `${quoteIdentifier(name)} AS c${c}`).join(', ');
  return `(SELECT ${renamed} FROM read_csv(${quoteLiteral(path)}, ${options.join(', ')}))`;
}

/**
 * The kinds every value was checked against, the number of rows, and the number columns DuckDB parsed
 * as DOUBLE in the check (its values are the reader's: see {@link checkParsed}); or why the JavaScript
 * reader must read the file.
 */
export type Checked = { kinds: CsvColumnType[]; rows: number; doubles?: ReadonlySet<number> } | { fallback: string };

/** How the check reads the file: as `read_csv` is told, and the columns DuckDB parses as DOUBLE. */
export interface CheckRead {
  delimiter: string;
  nullValues: readonly string[];
  signal: AbortSignal | undefined;
  doubles?: ReadonlySet<number>;
}

/**
 * {@link checkKinds} with DuckDB's parser reading the number columns (given or guessed) as DOUBLE, as
 * fast as DuckDB's own typed read, where the file's bytes show that it reads every number text as the
 * reader's pattern does ({@link plainNumberTexts}). Undefined when that cannot be told, or when a text
 * does not parse or parses to a number that is not finite (inf, nan, or an overflow the pattern
 * accepts): then each text is checked.
 */
export async function checkParsed(
  connection: DuckDBConnection,
  file: { path: string; header: readonly string[]; guesses: readonly Guess[] } & CheckRead,
): Promise<Checked | undefined> {
  const { path, header, guesses } = file;
  const doubles = await parsedNumbers(path, file.delimiter, guesses);
  if (doubles === undefined) return undefined;
  const read = { ...file, doubles };
  const checked = await checkKinds(connection, readCsvSql(path, header, read), guesses, read);
  return 'fallback' in checked ? undefined : { ...checked, doubles };
}

/**
 * The number columns (given or guessed) DuckDB's parser may read as DOUBLE: all of them when the
 * file's bytes show that it reads every number text as the reader's pattern does, but for texts that
 * parse to a number that is not finite ({@link plainNumberTexts}); undefined when there is none, or
 * when that cannot be told.
 */
export async function parsedNumbers(
  path: string,
  delimiter: string,
  guesses: readonly Guess[],
): Promise<ReadonlySet<number> | undefined> {
  const doubles = new Set(
    guesses.flatMap((g, c) => (('given' in g ? g.given : 'guess' in g ? g.guess : '') === 'number' ? [c] : [])),
  );
  return doubles.size > 0 && (await plainNumberTexts(path, delimiter)) ? doubles : undefined;
}

/**
 * Every value checked in one pass: a guessed kind holds or the column is a string (a text of one
 * kind never fits another, so the guess is the only candidate); an unknown column tries each kind in
 * the reader's order; a given kind that some value does not fit means the JavaScript reader must
 * read the file to report the line. A column of `read.doubles` is parsed already: its check is that
 * every number is finite, and a fallback if one is not.
 */
export async function checkKinds(
  connection: DuckDBConnection,
  source: string,
  guesses: readonly Guess[],
  read: CheckRead,
): Promise<Checked> {
  const ORDER = ['number', 'boolean', 'date'] as const;
  const list = ['count(*)::DOUBLE AS n'];
  const dates: number[] = [];
  guesses.forEach((g, c) => {
    const kind = 'given' in g ? g.given : 'guess' in g ? g.guess : undefined;
    const fits = read.doubles?.has(c) ? `isfinite(c${c})` : kind === undefined ? '' : fitsSql(c, kind);
    if (kind !== undefined && kind !== 'string') list.push(`bool_and(${fits}) AS k${c}`);
    if ('unknown' in g) {
      list.push(`count(c${c})::DOUBLE AS s${c}`);
      for (const k of ORDER) list.push(`bool_and(${fitsSql(c, k)}) AS ${k}${c}`);
    }
    if (kind === 'date' || 'unknown' in g) dates.push(c);
  });
  let row: Record<string, unknown>;
  try {
    const reader = await connection.runAndReadAll(`SELECT ${list.join(', ')} FROM ${withDateParts(source, dates)}`);
    row = (reader.getRowObjectsJS()[0] ?? {}) as Record<string, unknown>;
  } catch (error) {
    read.signal?.throwIfAborted();
    return { fallback: `DuckDB: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  }
  const kinds: CsvColumnType[] = [];
  for (const [c, g] of guesses.entries()) {
    if (read.doubles?.has(c) && row[`k${c}`] === false)
      return { fallback: `a number that is not finite in column ${c}` };
    if ('unknown' in g) {
      const seen = Number(row[`s${c}`]) > 0;
      kinds.push((seen && ORDER.find((k) => row[`${k}${c}`] === true)) || 'string');
    } else if ('given' in g) {
      if (row[`k${c}`] === false) return { fallback: `a value does not fit the given type of column ${c}` };
      kinds.push(g.given);
    } else kinds.push(g.guess === 'string' || row[`k${c}`] !== false ? g.guess : 'string');
  }
  return { kinds, rows: Number(row.n) };
}
