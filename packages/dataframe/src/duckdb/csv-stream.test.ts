import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ColumnTable } from 'arquero';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCsvFile } from '../csv/csv-reader.js';
import { concatDataFrames } from '../data-type/dataframe-type.js';
import { tempDataRoot } from '../steps/test-kit.js';
import { type CsvChunksOptions, readCsvChunksFast } from './csv-stream.js';
import { readCsvFast } from './read-csv-fast.js';
import { csvFile, csvText, kindsOf, plain } from './test-kit.js';

let root: string;
beforeAll(() => {
  root = tempDataRoot();
});

let files = 0;
function file(content: string | Uint8Array, name = `s${++files}.csv`): string {
  const path = join(root, name);
  writeFileSync(path, content);
  return path;
}

/** DuckDB reads every file here, however small. */
const duck: CsvChunksOptions = { minDuckDBBytes: 0 };

async function chunksOf(path: string, options: CsvChunksOptions): Promise<ColumnTable[]> {
  const out: ColumnTable[] = [];
  for await (const chunk of readCsvChunksFast(path, options)) out.push(chunk);
  return out;
}

/** The chunks joined give the batch read's columns, kinds and values (both readers'). */
async function expectLikeBatch(path: string, options: CsvChunksOptions): Promise<ColumnTable[]> {
  const chunks = await chunksOf(path, options);
  const whole = concatDataFrames(chunks);
  const batch = await readCsvFast(path, options);
  expect(whole.columnNames()).toEqual(batch.columnNames());
  expect(kindsOf(whole)).toEqual(kindsOf(batch));
  expect(plain(whole)).toEqual(plain(batch));
  expect(plain(whole)).toEqual(plain(await readCsvFile(path, options)));
  return chunks;
}

function salesRows(n: number): string[] {
  const rows = ['id,group,value,flag,day,note'];
  for (let i = 0; i < n; i++) {
    const value = i % 20 ? String(i / 7 - 100) : '';
    const day = `2024-01-${String(1 + (i % 28)).padStart(2, '0')}`;
    const note = i % 5 === 0 ? `"a, ""quoted""\nnote ${i}"` : i % 7 === 0 ? '' : `n${i}`;
    rows.push(`${i},g${i % 100},${value},${i % 3 === 0},${day},${note}`);
  }
  return rows;
}

describe('readCsvChunksFast', () => {
  it('streams what the batch read gives, in chunks of chunkRows: kinds, nulls, quoted fields, order', async () => {
    const path = file(`${salesRows(12_000).join('\n')}\n`);
    // 3000 is not a multiple of DuckDB's 2048-row vectors: chunks end inside one
    const chunks = await expectLikeBatch(path, { ...duck, chunkRows: 3000 });
    expect(chunks.map((c) => c.numRows())).toEqual([3000, 3000, 3000, 3000]);
    expect(kindsOf(chunks[0] as ColumnTable)).toEqual(['number', 'string', 'number', 'boolean', 'date', 'string']);
    const small = await expectLikeBatch(path, { ...duck, chunkRows: 999 });
    expect(small.map((c) => c.numRows())).toEqual([...Array(12).fill(999), 12]);
  });

  it('gives a column the kind of every value when one past the sample does not fit the first rows', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `${i},${i % 2 === 0}`);
    rows.push('not a number,TRUE', '7,false');
    const path = file(`a,b\n${rows.join('\n')}\n`);
    const chunks = await expectLikeBatch(path, { ...duck, sampleBytes: 40, chunkRows: 500 });
    expect(kindsOf(chunks[0] as ColumnTable)).toEqual(['string', 'boolean']);
    // one column: DuckDB cannot read it as the JavaScript reader does, which then infers from every value
    const single = file(`a\n${Array.from({ length: 3000 }, (_, i) => i).join('\n')}\nx\n`);
    const js = await expectLikeBatch(single, { ...duck, chunkRows: 500 });
    expect(kindsOf(js[0] as ColumnTable)).toEqual(['string']);
    expect(js.map((c) => c.numRows())).toEqual([500, 500, 500, 500, 500, 500, 1]);
  });

  it('gives one table for an empty file, a header only and a header without a line break', async () => {
    for (const content of ['', 'a,b\n', 'a,b', 'a,b\n\n']) {
      for (const options of [duck, {}]) {
        const chunks = await expectLikeBatch(file(content), options);
        expect(chunks.length).toBe(1);
      }
    }
  });

  it('reads nullValues and given types as the batch read does', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `${i % 9 === 0 ? 'N/A' : i},${i % 4 === 0 ? 'N/A' : `t${i}`}`);
    const path = file(`n,s\n${rows.join('\n')}\n`);
    await expectLikeBatch(path, { ...duck, nullValues: ['', 'N/A'], chunkRows: 700 });
    const typed = await expectLikeBatch(path, { ...duck, nullValues: ['N/A'], types: { n: 'string' } });
    expect(kindsOf(typed[0] as ColumnTable)).toEqual(['string', 'string']);
  });

  it('fails a bad file before any table, naming the file and line: ragged, quote, encoding, types, header', async () => {
    const good = Array.from({ length: 3000 }, (_, i) => `${i},${i}`).join('\n');
    const cases: [string, string | Uint8Array, CsvChunksOptions, RegExp][] = [
      ['ragged.csv', `a,b\n${good}\n3\n`, {}, /^ragged\.csv:3002: expected 2 fields/],
      ['quote.csv', `a,b\n${good}\n3,"x\n`, {}, /^quote\.csv:3002: unterminated/],
      [
        'latin.csv',
        Buffer.concat([Buffer.from(`a,b\n${good}\nok,`), Buffer.from([0xff, 0xfe]), Buffer.from('\n')]),
        {},
        /^latin\.csv:3002: invalid UTF-8/,
      ],
      ['typed.csv', `a,b\n${good}\nx,3\n`, { types: { a: 'number' } }, /^typed\.csv:3002: value "x" in column "a"/],
      ['dup.csv', `a,a\n${good}\n`, {}, /^dup\.csv:1: duplicate column name "a"/],
    ];
    for (const [name, content, options, message] of cases) {
      const path = file(content, name);
      const read = readCsvChunksFast(path, { ...duck, ...options, displayName: name, chunkRows: 100 });
      const first = await read.next().then(
        (chunk) => ({ name, rows: chunk.value?.numRows() }),
        (error: { code: string; message: string }) => ({ name, code: error.code, message: error.message }),
      );
      expect(first).toEqual({ name, code: 'CSV_INVALID', message: expect.stringMatching(message) });
    }
  });

  it('reads a file whose every type is given in one scan; a value that does not fit fails with its line', async () => {
    const good = Array.from({ length: 3000 }, (_, i) => `${i},${i % 2 === 0},t${i}`).join('\n');
    const types = { a: 'number', b: 'boolean', c: 'string' } as const;
    const chunks = await expectLikeBatch(file(`a,b,c\n${good}\n`), { ...duck, types, chunkRows: 700 });
    expect(kindsOf(chunks[0] as ColumnTable)).toEqual(['number', 'boolean', 'string']);
    const cases: [string, string, RegExp][] = [
      [
        'misfit.csv',
        `a,b,c\n${good}\nx,true,y\n`,
        /^misfit\.csv:3002: value "x" in column "a" is not a number \(its type in "types"\)/,
      ],
      ['short.csv', `a,b,c\n${good}\n1,true\n`, /^short\.csv:3002: expected 3 fields/],
    ];
    for (const [name, content, message] of cases) {
      const rows: unknown[] = [];
      const read = async () => {
        for await (const chunk of readCsvChunksFast(file(content, name), {
          ...duck,
          types,
          chunkRows: 100,
          displayName: name,
        }))
          rows.push(...chunk.array('a'));
      };
      await expect(read()).rejects.toMatchObject({ code: 'CSV_INVALID', message: expect.stringMatching(message) });
      // the rows before it came out as they were read, in order
      expect(rows).toEqual(Array.from({ length: rows.length }, (_, i) => i));
    }
  });

  it('holds about one table at a time: the tables the consumer let go are collected', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const path = file(`${salesRows(40_000).join('\n')}\n`);
    const refs: WeakRef<ColumnTable>[] = [];
    let most = 0;
    for await (const chunk of readCsvChunksFast(path, { ...duck, chunkRows: 1000 })) {
      refs.push(new WeakRef(chunk));
      // the chunks before this one, once the loop body has let go of them
      await Promise.resolve();
      gc();
      most = Math.max(most, refs.filter((ref) => ref.deref() !== undefined).length);
    }
    expect(refs.length).toBe(40);
    expect(most).toBeLessThanOrEqual(2);
  });

  it('stops when the signal aborts: the next table rejects with its reason', async () => {
    const path = file(`${salesRows(20_000).join('\n')}\n`);
    const controller = new AbortController();
    const chunks = readCsvChunksFast(path, { ...duck, chunkRows: 1000, signal: controller.signal });
    expect((await chunks.next()).value?.numRows()).toBe(1000);
    controller.abort(new Error('cancelled by the test'));
    await expect(chunks.next()).rejects.toThrow('cancelled by the test');
    // a consumer that stops early closes the reader (and its DuckDB)
    const early = readCsvChunksFast(path, { ...duck, chunkRows: 1000 });
    await early.next();
    expect(await early.return(undefined)).toEqual({ done: true, value: undefined });
  });

  it('agrees with readCsvFile on generated files, in chunks of 1 to 5 rows (values, kinds, errors)', async () => {
    await fc.assert(
      fc.asyncProperty(
        csvFile,
        fc.boolean(),
        fc.integer({ min: 20, max: 400 }),
        fc.integer({ min: 1, max: 5 }),
        async (csv, naNull, sampleBytes, chunkRows) => {
          const path = file(csvText(csv));
          const options: CsvChunksOptions = {
            ...duck,
            sampleBytes,
            chunkRows,
            ...(naNull ? { nullValues: ['', 'N/A'] } : {}),
          };
          let expected: ColumnTable;
          try {
            expected = await readCsvFile(path, options);
          } catch (error) {
            await expect(chunksOf(path, options)).rejects.toThrow((error as Error).message);
            return;
          }
          const chunks = await chunksOf(path, options);
          expect(chunks.every((c) => c.numRows() <= chunkRows)).toBe(true);
          const actual = concatDataFrames(chunks);
          expect(actual.columnNames()).toEqual(expected.columnNames());
          expect(kindsOf(actual)).toEqual(kindsOf(expected));
          expect(plain(actual)).toEqual(plain(expected));
        },
      ),
      { numRuns: 30 },
    );
  }, 120_000);
});
