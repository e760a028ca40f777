import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCsvFile } from '../csv/csv-reader.js';
import { readCsv } from '../steps/io-steps.js';
import { runStep, tempDataRoot } from '../steps/test-kit.js';
import { type ReadCsvFastOptions, readCsvFast } from './read-csv-fast.js';
import { csvFile, csvText, kindsOf, plain } from './test-kit.js';

let root: string;
beforeAll(() => {
  root = tempDataRoot();
});

let files = 0;
function file(content: string | Uint8Array, name = `f${++files}.csv`): string {
  const path = join(root, name);
  writeFileSync(path, content);
  return path;
}

/** DuckDB reads every file here, however small. */
const duck: ReadCsvFastOptions = { minDuckDBBytes: 0 };

describe('readCsvFast', () => {
  it('reads a large file with DuckDB as readCsvFile does: kinds, values, nulls, row order', async () => {
    const rows = ['id,group,value,flag,day'];
    for (let i = 0; i < 12_000; i++) {
      rows.push(
        `${i},g${i % 100},${i % 20 ? String(i / 7 - 100) : ''},${i % 3 === 0},2024-01-${String(1 + (i % 28)).padStart(2, '0')}`,
      );
    }
    const path = file(`${rows.join('\n')}\n`);
    const fast = await readCsvFast(path, duck);
    const slow = await readCsvFile(path);
    expect(fast.columnNames()).toEqual(slow.columnNames());
    expect(kindsOf(fast)).toEqual(['number', 'string', 'number', 'boolean', 'date']);
    expect(plain(fast)).toEqual(plain(slow));
    // typed, not per-value: a number column without nulls is a Float64Array
    expect(fast.column('id')).toBeInstanceOf(Float64Array);
  });

  it('checks every value when a later one does not fit the kind guessed from the first rows', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => `${i},${i % 2 === 0}`);
    const path = file(`a,b\n${rows.join('\n')}\nnot a number,TRUE\n`);
    const df = await readCsvFast(path, { ...duck, sampleBytes: 40 });
    expect(kindsOf(df)).toEqual(['string', 'boolean']);
    expect(plain(df)).toEqual(plain(await readCsvFile(path)));
  });

  it('fails as readCsvFile does, naming the file and line: ragged rows, quotes, encoding, given types', async () => {
    const cases: [string, string | Uint8Array, ReadCsvFastOptions, RegExp][] = [
      ['ragged.csv', 'a,b\n1,2\n3\n', {}, /^ragged\.csv:3: expected 2 fields/],
      ['quote.csv', 'a,b\n1,2\n3,"x\n', {}, /^quote\.csv:3: unterminated/],
      ['after.csv', 'a,b\n1,"x"y\n', {}, /^after\.csv:2: unexpected character "y" after a closing quote/],
      [
        'latin.csv',
        Buffer.concat([Buffer.from('a,b\nok,1\n'), Buffer.from([0xff, 0xfe]), Buffer.from(',2\n')]),
        {},
        /^latin\.csv:3: invalid UTF-8/,
      ],
      [
        'typed.csv',
        'a,b\n1,2\nx,3\n',
        { types: { a: 'number' } },
        /^typed\.csv:3: value "x" in column "a" is not a number/,
      ],
      ['dup.csv', 'a,a\n1,2\n', {}, /^dup\.csv:1: duplicate column name "a"/],
    ];
    for (const [name, content, options, message] of cases) {
      const path = file(content, name);
      await expect(readCsvFast(path, { ...duck, ...options, displayName: name })).rejects.toMatchObject({
        code: 'CSV_INVALID',
        message: expect.stringMatching(message),
      });
    }
  });

  it('is what the read_csv step runs, confined to the data root', async () => {
    file('a,b\n1,x\n2,y\n', 'step.csv');
    const df = await runStep(readCsv, undefined, { path: 'step.csv' });
    expect(df.objects()).toEqual([
      { a: 1, b: 'x' },
      { a: 2, b: 'y' },
    ]);
    await expect(runStep(readCsv, undefined, { path: '/etc/passwd' })).rejects.toMatchObject({
      code: 'PATH_OUTSIDE_DATA_ROOT',
    });
  });

  it('agrees with readCsvFile on generated files (values, kinds, nulls, order, quoting, errors)', async () => {
    await fc.assert(
      fc.asyncProperty(csvFile, fc.boolean(), fc.integer({ min: 20, max: 400 }), async (csv, naNull, sampleBytes) => {
        const path = file(csvText(csv));
        // a small sample: guessed kinds that a later value does not fit take the checked path
        const options: ReadCsvFastOptions = { ...duck, sampleBytes, ...(naNull ? { nullValues: ['', 'N/A'] } : {}) };
        let expected: Awaited<ReturnType<typeof readCsvFile>>;
        try {
          expected = await readCsvFile(path, options);
        } catch (error) {
          await expect(readCsvFast(path, options)).rejects.toThrow((error as Error).message);
          return;
        }
        const actual = await readCsvFast(path, options);
        expect(actual.columnNames()).toEqual(expected.columnNames());
        expect(kindsOf(actual)).toEqual(kindsOf(expected));
        expect(plain(actual)).toEqual(plain(expected));
      }),
      // each read opens its own DuckDB: fewer runs than csvRelation's property, which shares one
      { numRuns: 40 },
    );
  }, 120_000);
});
