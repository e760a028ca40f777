import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ColumnTable } from 'arquero';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CsvColumnType } from '../csv/csv-columns.js';
import { readCsvFile } from '../csv/csv-reader.js';
import { tempDataRoot } from '../steps/test-kit.js';
import { type CsvRelationOptions, csvRelation, distinctForDuckDB } from './csv-relation.js';
import { openDuckDB, queryTable } from './duckdb-tables.js';

let root: string;
let duck: Awaited<ReturnType<typeof openDuckDB>>;
beforeAll(async () => {
  root = tempDataRoot();
  duck = await openDuckDB();
});
afterAll(() => duck.close());

let files = 0;
function file(content: string | Uint8Array, name = `f${++files}.csv`): string {
  const path = join(root, name);
  writeFileSync(path, content);
  return path;
}

/** The kind the reader gave a column: from its first non-null value, `string` when all are null. */
function kindsOf(df: ColumnTable): CsvColumnType[] {
  return df.columnNames().map((name) => {
    const value = (df.array(name) as unknown[]).find((v) => v !== null && v !== undefined);
    if (value === undefined) return 'string';
    return value instanceof Date ? 'date' : (typeof value as CsvColumnType);
  });
}

/** Values made comparable: -0 and dates kept apart from 0 and their text. */
function plain(df: ColumnTable): unknown[][] {
  return df
    .columnNames()
    .map((name) =>
      Array.from(df.array(name) as ArrayLike<unknown>, (v) =>
        v instanceof Date ? `date:${v.getTime()}` : Object.is(v, -0) ? '-0' : v,
      ),
    );
}

/** Reads `path` both ways and expects the same names, kinds and values; returns the relation. */
async function expectSameAsReader(path: string, options: CsvRelationOptions = {}) {
  const expected = await readCsvFile(path, options);
  const relation = await csvRelation(duck.connection, path, options);
  if (!relation) {
    expect(distinctForDuckDB(expected.columnNames())).toBe(false);
    return undefined;
  }
  const actual = await queryTable(duck.connection, relation.sql);
  expect(relation.columns.map((c) => c.name)).toEqual(expected.columnNames());
  expect(actual.columnNames()).toEqual(expected.columnNames());
  expect(relation.columns.map((c) => c.kind)).toEqual(kindsOf(expected));
  expect(plain(actual)).toEqual(plain(expected));
  return relation;
}

describe('csvRelation', () => {
  it('types columns as the reader does, from every value, read by DuckDB', async () => {
    const rows = ['n,b,d,s,z,late'];
    for (let i = 0; i < 20_000; i++)
      rows.push(`${i / 4},${i % 3 ? 'true' : 'FALSE'},2024-01-0${1 + (i % 9)},s${i},,${i}`);
    rows.push('1e5,True,2024-02-30T10:30:00.1239+0530,"a,""b""",,not a number');
    const relation = await expectSameAsReader(file(`${rows.join('\n')}\n`));
    expect(relation?.direct).toBe(true);
    expect(relation?.columns.map((c) => c.kind)).toEqual(['number', 'boolean', 'date', 'string', 'string', 'string']);
  });

  it('reads numbers as JavaScript does: -0, overflow to Infinity, underflow to 0, long digits', async () => {
    await expectSameAsReader(
      file('a,b\n-0,1\n1e400,2\n-1e400,3\n1e-400,4\n-1e-400,5\n0.1000000000000000055511151231257827,6\n+.5,7\n5.,8\n'),
    );
  });

  it('reads dates as JavaScript does: day overflow, 24:00, offsets, fractions; invalid ones make a string column', async () => {
    const valid = [
      '2024-02-30',
      '0000-01-01T00:00+01:00',
      '2024-01-02T24:00',
      '2024-01-02 10:30',
      '2024-01-02T10:30:59.9999Z',
      '2024-01-02T10:30:00-0800',
      '2024-12-31T24:00:00.000Z',
      '2024-01-02T10:30+23:59',
      '1969-12-31T23:59:59.999',
    ];
    await expectSameAsReader(file(`d,i\n${valid.map((d, i) => `${d},${i}`).join('\n')}\n`));
    for (const bad of [
      '2024-01-32',
      '2024-00-10',
      '2024-01-02T24:00:01',
      '2024-01-02T10:30+24:00',
      '2024-01-00',
      '2024-01-02T24:00:00.001',
    ]) {
      const relation = await expectSameAsReader(file(`d,i\n2024-01-01,0\n${bad},1\n`));
      expect(relation?.columns[0]?.kind).toBe('string');
    }
  });

  it('honours nullValues, quoted nulls and given types', async () => {
    await expectSameAsReader(file('q,z,w\n1,007,x\nN/A,010,""\n"N/A",,"y"\n'), {
      nullValues: ['', 'N/A'],
      types: { z: 'string' },
    });
    await expectSameAsReader(file('q,z\n1,\n2,N/A\n'), { nullValues: ['N/A'] });
  });

  it('reads files DuckDB would read otherwise with the JavaScript reader: one column, blank lines, duplicate names', async () => {
    const one = await expectSameAsReader(file('a\n1\n\n3\n""\n'));
    expect(one?.direct).toBe(false);
    expect((await csvRelation(duck.connection, file('a,b\n1,2\n'), { nullValues: [] }))?.direct).toBe(false);
    expect(await csvRelation(duck.connection, file('a,A\n1,2\n'))).toBeUndefined();
    await expect(csvRelation(duck.connection, file('a,a\n1,2\n'))).rejects.toThrow(/duplicate column name "a"/);
  });

  it('keeps the reader errors, with the file and line', async () => {
    await expect(
      csvRelation(duck.connection, file('a,b\n1,2\n3\n'), { displayName: 'ragged.csv' }),
    ).rejects.toMatchObject({
      code: 'CSV_INVALID',
      message: expect.stringMatching(/^ragged\.csv:3: expected 2 fields/),
    });
    await expect(csvRelation(duck.connection, file('a,b\n1,2\n3,"x\n'), { displayName: 'quote.csv' })).rejects.toThrow(
      /^quote\.csv:3: unterminated/,
    );
    const bad = Buffer.concat([Buffer.from('a,b\nok,1\n'), Buffer.from([0xff, 0xfe]), Buffer.from(',2\n')]);
    await expect(csvRelation(duck.connection, file(bad), { displayName: 'latin.csv' })).rejects.toThrow(
      /^latin\.csv:3: invalid UTF-8/,
    );
    await expect(
      csvRelation(duck.connection, file('a,b\n1,2\nx,3\n'), { displayName: 'typed.csv', types: { a: 'number' } }),
    ).rejects.toThrow(/^typed\.csv:3: value "x" in column "a" is not a number/);
  });
});

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

const csvFile = fc
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

describe('csvRelation agrees with the reader on generated files', () => {
  it('names, kinds, values, nulls and row order', async () => {
    await fc.assert(
      fc.asyncProperty(csvFile, fc.boolean(), fc.integer({ min: 20, max: 400 }), async (csv, naNull, sampleBytes) => {
        const { names, columns, quoteAll, crlf, finalNewline } = csv;
        const eol = crlf ? '\r\n' : '\n';
        const rows = (columns[0] ?? []).map((_, r) =>
          columns.map((col) => {
            const v = col[r] as string;
            return v === '' && !quoteAll ? '' : encode(v, quoteAll);
          }),
        );
        const lines = [names.map((n) => encode(n, quoteAll)), ...rows].map((fields) => fields.join(','));
        const path = file(lines.join(eol) + (finalNewline ? eol : ''));
        // a small sample: the kinds guessed from the first rows are checked against the rest in SQL
        const options: CsvRelationOptions = { sampleBytes, ...(naNull ? { nullValues: ['', 'N/A'] } : {}) };
        let expected: ColumnTable | undefined;
        try {
          expected = await readCsvFile(path, options);
        } catch (error) {
          await expect(csvRelation(duck.connection, path, options)).rejects.toThrow((error as Error).message);
          return;
        }
        void expected;
        await expectSameAsReader(path, options);
      }),
      { numRuns: 150 },
    );
  });
});
