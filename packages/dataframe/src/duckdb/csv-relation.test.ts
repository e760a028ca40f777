import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ColumnTable } from 'arquero';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsvFile } from '../csv/csv-reader.js';
import { tempDataRoot } from '../steps/test-kit.js';
import { type CsvRelationOptions, csvRelation, distinctForDuckDB } from './csv-relation.js';
import { openDuckDB, queryTable } from './duckdb-tables.js';
import { csvFile, csvText, kindsOf, plain } from './test-kit.js';

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

  it('has DuckDB parse plain number texts itself, to the values the reader gives', async () => {
    const texts = [
      '-0',
      '4.9e-324',
      '2.2250738585072011e-308',
      '0.1000000000000000055511151231257827',
      '9007199254740993',
      '1.7976931348623157e308',
      '00012',
      '+.5e-3',
      '5.',
      '.5',
      '1E5',
      '1e+5',
      '-1.5e-7',
      '123456789012345678901234567890',
    ];
    const rows = texts.map((text, i) => `${text},${i},x`);
    const relation = await expectSameAsReader(file(`a,b,c\n${rows.join('\n')}\n`), { sampleBytes: 32 });
    expect(relation?.doubles).toEqual(['a', 'b']);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1 }), async (xs) => {
        const parsed = await expectSameAsReader(file(`a,b\n${xs.map((x, i) => `${x},${i}`).join('\n')}\n`));
        expect(parsed?.doubles).toEqual(['a', 'b']);
      }),
      { numRuns: 30 },
    );
  });

  it('reads as strings the number texts DuckDB casts but the reader does not: whitespace, _, +-, inf, nan', async () => {
    for (const odd of [' 1', '1 ', '\t1', '1\t', '1_000', '1_0.5', '1e1_0', '+-1', 'inf', '-Infinity', 'nan', 'NaN']) {
      const relation = await expectSameAsReader(file(`a,b\n1,0\n"${odd}",1\n2.5,2\n`));
      expect(relation?.columns[0]?.kind).toBe('string');
    }
    const relation = await expectSameAsReader(file('a,b\n1e999,TRUE\n-1e999,tRuE\n00012,False\n+.5e-3,false\n'));
    expect(relation?.columns.map((c) => c.kind)).toEqual(['number', 'boolean']);
  });

  it('finds a late text that is not a number when DuckDB parses the number columns itself', async () => {
    const rows = ['a,b,c'];
    for (let i = 0; i < 3000; i++) rows.push(`${i},${i * 0.5},x y`);
    const late = (text: string) => file(`${[...rows, `${text},1,z`].join('\n')}\n`);
    for (const text of ['oops', 'inf', '1e999', '0x10', '', '-'])
      expect((await expectSameAsReader(late(text), { sampleBytes: 64 }))?.columns[0]?.kind).toBe(
        text === '1e999' || text === '' ? 'number' : 'string',
      );
    await expect(
      csvRelation(duck.connection, late('oops'), { sampleBytes: 64, types: { a: 'number' }, displayName: 'late.csv' }),
    ).rejects.toThrow(/^late\.csv:3002: value "oops" in column "a" is not a number/);
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

describe('csvRelation agrees with the reader on generated files', () => {
  it('names, kinds, values, nulls and row order', async () => {
    await fc.assert(
      fc.asyncProperty(csvFile, fc.boolean(), fc.integer({ min: 20, max: 400 }), async (csv, naNull, sampleBytes) => {
        const path = file(csvText(csv));
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
