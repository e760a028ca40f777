import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { ColumnTable } from 'arquero';
import fc from 'fast-check';
import { afterAll, beforeAll } from 'vitest';
import type { CsvColumnType } from '../csv/csv-columns.js';

/** The kind the reader gave a column: from its first non-null value, `string` when all are null. */
export function kindsOf(df: ColumnTable): CsvColumnType[] {
  return df.columnNames().map((name) => {
    const value = (df.array(name) as unknown[]).find((v) => v !== null && v !== undefined);
    if (value === undefined) return 'string';
    return value instanceof Date ? 'date' : (typeof value as CsvColumnType);
  });
}

/** Values made comparable: -0 and dates kept apart from 0 and their text. */
export function plain(df: ColumnTable): unknown[][] {
  return df
    .columnNames()
    .map((name) =>
      Array.from(df.array(name) as ArrayLike<unknown>, (v) =>
        v instanceof Date ? `date:${v.getTime()}` : Object.is(v, -0) ? '-0' : v,
      ),
    );
}

/** Cell texts that exercise the inference rules. */
const cell = fc.oneof(
  fc.constantFrom(
    '',
    'N/A',
    '-0',
    '0',
    '1e5',
    '-1.5E-3',
    '.5',
    '5.',
    '+7',
    'NaN',
    'Infinity',
    ' 1',
    '1 ',
    '0x10',
    '1_000',
    // where DuckDB's cast to DOUBLE is looser than the reader's pattern
    '\t1',
    '1\t',
    '+-1',
    '1_0.5',
    '1e1_0',
    'inf',
    '-Infinity',
    'nan',
    '1e999',
    '-1e999',
    '00012',
    '+.5e-3',
    'tRuE',
    ' true',
  ),
  fc.integer({ min: -1e6, max: 1e6 }).map(String),
  fc.double({ noNaN: true }).map(String),
  fc.constantFrom('true', 'false', 'TRUE', 'False', 'yes', 't'),
  fc.constantFrom(
    '2024-01-02',
    '2024-02-30',
    '2024-13-01',
    '2024-01-02T10:30',
    '2024-01-02 10:30:00.5Z',
    '2024-01-02T24:00',
  ),
  fc.string({ maxLength: 6 }),
  fc.string({ unit: 'grapheme', maxLength: 4 }),
  fc.constantFrom('a,b', 'say "hi"', 'two\nlines', 'cr\r\nlf', '"', ''),
);

/** A column mostly of one flavour, so that inference has something to find. */
const column = (rows: number) =>
  fc.oneof(
    fc.array(
      fc.oneof(
        { weight: 6, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }).map(String) },
        { weight: 1, arbitrary: cell },
      ),
      {
        minLength: rows,
        maxLength: rows,
      },
    ),
    fc.array(
      fc.oneof({ weight: 6, arbitrary: fc.constantFrom('true', 'false', 'TRUE', '') }, { weight: 1, arbitrary: cell }),
      {
        minLength: rows,
        maxLength: rows,
      },
    ),
    fc.array(
      fc.oneof(
        { weight: 6, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()) },
        { weight: 1, arbitrary: cell },
      ),
      {
        minLength: rows,
        maxLength: rows,
      },
    ),
    fc.array(cell, { minLength: rows, maxLength: rows }),
  );

/** A generated CSV file: unique names, 2-4 columns, 0-12 rows, quoting and line ends varied. */
export const csvFile = fc
  .record({ width: fc.integer({ min: 2, max: 4 }), rows: fc.integer({ min: 0, max: 12 }) })
  .chain(({ width, rows }) =>
    fc.record({
      names: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 5 }), { minLength: width, maxLength: width }),
      columns: fc.array(column(rows), { minLength: width, maxLength: width }),
      quoteAll: fc.boolean(),
      crlf: fc.boolean(),
      finalNewline: fc.boolean(),
    }),
  );

function encode(field: string, quoteAll: boolean): string {
  return quoteAll || /[",\r\n]/.test(field) || field === '' ? `"${field.replace(/"/g, '""')}"` : field;
}

/** The text of a generated CSV file. */
export function csvText(csv: CsvFile): string {
  const { names, columns, quoteAll, crlf, finalNewline } = csv;
  const eol = crlf ? '\r\n' : '\n';
  const rows = (columns[0] ?? []).map((_, r) =>
    columns.map((col) => {
      const v = col[r] as string;
      return v === '' && !quoteAll ? '' : encode(v, quoteAll);
    }),
  );
  const lines = [names.map((n) => encode(n, quoteAll)), ...rows].map((fields) => fields.join(','));
  return lines.join(eol) + (finalNewline ? eol : '');
}

/** What {@link csvFile} generates. */
export type CsvFile = typeof csvFile extends fc.Arbitrary<infer T> ? T : never;

/** An in-memory DuckDB connection for the test file that calls this: opened before its tests, closed after. */
export function memoryConnection(): () => DuckDBConnection {
  let instance: DuckDBInstance | undefined;
  let connection: DuckDBConnection | undefined;
  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
  });
  afterAll(() => {
    connection?.closeSync();
    instance?.closeSync();
  });
  return () => {
    if (!connection) throw new Error('memoryConnection() is read before its beforeAll ran');
    return connection;
  };
}
