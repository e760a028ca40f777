import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StepContext, StepType } from '@stepwise/core';
import type { ColumnTable } from 'arquero';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concatDataFrames, dataFrameChunks } from '../data-type/dataframe-type.js';
import { kindsOf, plain } from '../duckdb/test-kit.js';
import { resetFilesConfig } from '../files/data-root.js';
import { configurePushdown, resetPushdownConfig } from '../pushdown/pushdown-config.js';
import { select } from './column-steps.js';
import { readCsv } from './io-steps.js';
import { derive, filterRows } from './row-steps.js';
import { deriveStream, filterRowsStream, readCsvStream, selectStream, writeCsvStream } from './streaming-steps.js';
import { fakeContext, fixtures, runStep, tempDataRoot } from './test-kit.js';

let root: string;
beforeAll(() => {
  root = tempDataRoot();
});
afterAll(() => resetFilesConfig());

async function* stream(chunks: Iterable<ColumnTable>): AsyncIterable<ColumnTable> {
  for (const chunk of chunks) yield chunk;
}

/** Runs a streaming step's function as the runner would: chunks in, every chunk out. */
async function runStream(type: StepType, chunks: Iterable<ColumnTable> | undefined, config: Record<string, unknown>) {
  const fn = type.fn as (i: unknown, p: unknown, c: StepContext) => AsyncIterable<unknown>;
  const out: unknown[] = [];
  for await (const item of fn(chunks && stream(chunks), type.params.parse(config), fakeContext())) out.push(item);
  return out;
}

/** A streaming step over chunks of two rows gives the rows its batch step gives on the whole table. */
async function expectLikeBatch(streaming: StepType, batch: StepType, config: Record<string, unknown>) {
  for (const [name, make] of Object.entries(fixtures)) {
    const chunks = (await runStream(streaming, dataFrameChunks(make(), 2), config)) as ColumnTable[];
    const whole = await runStep(batch, make(), config);
    expect({ name, rows: concatDataFrames(chunks).objects() }).toEqual({ name, rows: whole.objects() });
  }
}

describe('chunk-by-chunk steps on the empty table, an all-null column, unicode and text to coerce', () => {
  it('select_stream keeps the named columns of every chunk', async () => {
    await expectLikeBatch(selectStream, select, { columns: ['value', 'name'] });
    await expect(runStream(selectStream, [fixtures.unicode()], { columns: ['nope'] })).rejects.toMatchObject({
      code: 'COLUMN_NOT_FOUND',
      message: expect.stringMatching(/^select_stream: column "nope" not found/),
    });
  });

  it('refuses aggregates in the streaming variants (each chunk would get its own), not in the batch steps', () => {
    const refused = deriveStream.params.safeParse({ columns: { share: 'd.value / op.sum(d.value)' } });
    expect(refused.error?.issues[0]?.message).toBe(
      'Expression refused at character 11: op.sum is an aggregate, which a streaming step would compute per chunk; use the step without _stream',
    );
    expect(filterRowsStream.params.safeParse({ where: 'd.value > op.mean(d.value)' }).success).toBe(false);
    expect(derive.params.safeParse({ columns: { share: 'd.value / op.sum(d.value)' } }).success).toBe(true);
    expect(filterRows.params.safeParse({ where: 'd.value > op.mean(d.value)' }).success).toBe(true);
  });

  it('filter_rows_stream keeps the same rows as filter_rows (text compared as JavaScript compares it)', async () => {
    await expectLikeBatch(filterRowsStream, filterRows, { where: 'd.value > 0.2' });
    await expectLikeBatch(filterRowsStream, filterRows, { where: "op.includes(d.name, 'ü')" });
  });

  it('derive_stream computes the same columns as derive (null gives null in arithmetic)', async () => {
    await expectLikeBatch(deriveStream, derive, { columns: { v2: 'd.value * 2 + 1', label: "d.name + '!'" } });
    await expect(runStream(deriveStream, [fixtures.unicode()], { columns: { x: 'd.nope + 1' } })).rejects.toMatchObject(
      { code: 'COLUMN_NOT_FOUND' },
    );
  });
});

describe('read_csv_stream and write_csv_stream', () => {
  it('write every fixture chunk by chunk and read it back in chunks, like read_csv', async () => {
    for (const [name, make] of Object.entries(fixtures)) {
      const [ref] = await runStream(writeCsvStream, dataFrameChunks(make(), 2), { path: `s/${name}.csv` });
      expect(ref).toEqual({ path: join('s', `${name}.csv`), mediaType: 'text/csv' });
      const config = { path: `s/${name}.csv`, nullValues: ['', 'N/A'], chunkRows: 2 };
      const chunks = (await runStream(readCsvStream, undefined, config)) as ColumnTable[];
      const whole = await runStep(readCsv, undefined, { path: `s/${name}.csv`, nullValues: ['', 'N/A'] });
      expect(concatDataFrames(chunks).objects()).toEqual(whole.objects());
      expect(whole.array('name')).toEqual(make().array('name'));
    }
  });

  it('read a file DuckDB streams (over 1 MiB) with the rows and kinds of read_csv, pushdown on and off', async () => {
    // nulls, quoted fields with delimiters and line breaks, and past the 256 KiB sample a value that
    // makes the "code" column text (read_csv infers from every value)
    const lines = ['id,code,value,flag,day,note'];
    for (let i = 0; i < 30_000; i++) {
      const note = i % 5 === 0 ? `"x, ""y""\nz${i}"` : i % 7 === 0 ? 'N/A' : `n${i}`;
      const code = i === 25_000 ? 'A-1' : String(i % 97);
      const day = `2024-02-${String(1 + (i % 28)).padStart(2, '0')}`;
      lines.push(`${i},${code},${i % 11 ? i / 3 : ''},${i % 2 === 0},${day},${note}`);
    }
    writeFileSync(join(root, 'big.csv'), `${lines.join('\n')}\n`);
    expect(statSync(join(root, 'big.csv')).size).toBeGreaterThan(1 << 20);
    const config = { path: 'big.csv', nullValues: ['', 'N/A'] };
    const chunks = (await runStream(readCsvStream, undefined, { ...config, chunkRows: 4000 })) as ColumnTable[];
    expect(chunks.map((c) => c.numRows())).toEqual([...Array(7).fill(4000), 2000]);
    const streamed = concatDataFrames(chunks);
    expect(kindsOf(streamed)).toEqual(['number', 'string', 'number', 'boolean', 'date', 'string']);
    try {
      for (const enabled of [true, false]) {
        configurePushdown({ enabled });
        const whole = await runStep(readCsv, undefined, config);
        expect({ enabled, kinds: kindsOf(whole) }).toEqual({ enabled, kinds: kindsOf(streamed) });
        expect(plain(whole)).toEqual(plain(streamed));
      }
    } finally {
      resetPushdownConfig();
    }
  });

  it('fail a ragged row, an unterminated quote and invalid UTF-8 with the file name and line', async () => {
    writeFileSync(join(root, 'ragged.csv'), 'a,b\n1,2\n3,4\n5\n');
    writeFileSync(join(root, 'quote.csv'), 'a,b\n1,2\n3,"x\n4,5\n');
    writeFileSync(join(root, 'latin.csv'), Buffer.concat([Buffer.from('a\nok\nok\n'), Buffer.from([0xe9, 0x0a])]));
    const read = (path: string) => runStream(readCsvStream, undefined, { path, chunkRows: 1 });
    await expect(read('ragged.csv')).rejects.toMatchObject({
      code: 'CSV_INVALID',
      message: expect.stringMatching(/^ragged\.csv:4: expected 2 fields/),
    });
    await expect(read('quote.csv')).rejects.toThrow(/^quote\.csv:3: unterminated/);
    await expect(read('latin.csv')).rejects.toThrow(/^latin\.csv:4: invalid UTF-8/);
  });
});
