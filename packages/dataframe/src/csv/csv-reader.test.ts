import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsvChunks, readCsvFile } from './csv-reader.js';
import { type CsvRecord, CsvTokenizer } from './csv-tokenizer.js';
import { toCsvText } from './csv-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'sw-csv-'));
function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function tokenize(pieces: string[]): CsvRecord[] {
  const tokenizer = new CsvTokenizer();
  const out: CsvRecord[] = [];
  for (const piece of pieces) tokenizer.push(piece, out);
  tokenizer.end(out);
  return out;
}

describe('CsvTokenizer', () => {
  it('handles quotes, escaped quotes, quoted newlines and CRLF split across pieces', () => {
    const text = 'a,b\r\n"x ""y""","multi\nline"\r\n1,\n';
    const whole = tokenize([text]);
    expect(whole.map((r) => r.fields)).toEqual([
      ['a', 'b'],
      ['x "y"', 'multi\nline'],
      ['1', ''],
    ]);
    expect(whole.map((r) => r.line)).toEqual([1, 2, 4]);
    for (let cut = 1; cut < text.length; cut++) {
      expect(tokenize([text.slice(0, cut), text.slice(cut)])).toEqual(whole);
    }
  });

  it('reports an unterminated quote at the line it opened', () => {
    expect(() => tokenize(['a,b\n1,"open\nmore\n'])).toThrow(expect.objectContaining({ line: 2 }));
  });
});

describe('readCsvFile', () => {
  it('infers number, boolean, date and string columns; empty cells are null; unicode survives', async () => {
    const df = await readCsvFile(
      file('t.csv', 'n,b,d,s,z\n1.5,true,2024-01-02,héllo 🌍,\n-2,FALSE,2024-02-03,"a,b",\n'),
    );
    expect(df.objects()).toEqual([
      { n: 1.5, b: true, d: new Date('2024-01-02'), s: 'héllo 🌍', z: null },
      { n: -2, b: false, d: new Date('2024-02-03'), s: 'a,b', z: null },
    ]);
  });

  it('reads a date-time without an offset as UTC, whatever the time zone of the machine', async () => {
    const before = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      const df = await readCsvFile(file('times.csv', 't\n2024-01-02 10:30\n2024-01-02T10:30:00+01:00\n'));
      expect(df.array('t')).toEqual([new Date('2024-01-02T10:30:00Z'), new Date('2024-01-02T09:30:00Z')]);
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
  });

  it('reads a header-only file as an empty table with its columns', async () => {
    const df = await readCsvFile(file('empty.csv', 'a,b\n'));
    expect(df.numRows()).toBe(0);
    expect(df.columnNames()).toEqual(['a', 'b']);
  });

  it('treats nullValues as null and honours explicit types', async () => {
    const df = await readCsvFile(file('na.csv', 'q,z\n1,007\nN/A,010\n'), {
      nullValues: ['', 'N/A'],
      types: { z: 'string' },
    });
    expect(df.objects()).toEqual([
      { q: 1, z: '007' },
      { q: null, z: '010' },
    ]);
  });

  it('fails a ragged row, an unterminated quote and invalid UTF-8 with the file name and line', async () => {
    await expect(readCsvFile(file('ragged.csv', 'a,b\n1,2\n3\n'))).rejects.toMatchObject({
      code: 'CSV_INVALID',
      message: expect.stringMatching(/^ragged\.csv:3: expected 2 fields/),
    });
    await expect(readCsvFile(file('quote.csv', 'a,b\n1,2\n3,"x\n'))).rejects.toThrow(/^quote\.csv:3: unterminated/);
    const bad = Buffer.concat([Buffer.from('a\nok\n'), Buffer.from([0xff, 0xfe]), Buffer.from('\n')]);
    await expect(readCsvFile(file('latin.csv', bad))).rejects.toThrow(/^latin\.csv:3: invalid UTF-8/);
  });
});

describe('readCsvChunks', () => {
  it('streams chunks of at most chunkRows rows with the types of the first chunk', async () => {
    const lines = ['id,name'];
    for (let i = 0; i < 25; i++) lines.push(`${i},"n\n${i}"`);
    const path = file('big.csv', `${lines.join('\n')}\n`);
    const sizes: number[] = [];
    const ids: unknown[] = [];
    for await (const chunk of readCsvChunks(path, { chunkRows: 10 })) {
      sizes.push(chunk.numRows());
      ids.push(...chunk.array('id'));
    }
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(25);
    expect(sizes).toEqual([10, 10, 5]);
    expect(ids).toEqual(Array.from({ length: 25 }, (_, i) => i));
  });

  it('fails a later value that does not fit the inferred type, naming the line and column', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => String(i));
    rows.push('oops');
    const path = file('drift.csv', `v\n${rows.join('\n')}\n`);
    const read = async () => {
      for await (const _ of readCsvChunks(path, { chunkRows: 5 })) void _;
    };
    await expect(read()).rejects.toThrow(/drift\.csv:22: value "oops" in column "v" is not a number/);
  });
});

describe('toCsvText', () => {
  it('writes a filtered, derived view row by row', async () => {
    const { table } = await import('arquero');
    const view = table({ a: [1, 2, 3, 4], b: [1, 0, 1, 1] })
      .filter('d.b > 0')
      .derive({ c: 'd.a * 10' });
    expect(toCsvText(view)).toBe('a,b,c\n1,1,10\n3,1,30\n4,1,40\n');
  });

  it('round-trips quoting, nulls, dates and unicode', async () => {
    const df = await readCsvFile(file('rt.csv', 'a,b,c\n"x,""y""",2024-01-02,ü\n,,\n'));
    expect(toCsvText(df)).toBe('a,b,c\n"x,""y""",2024-01-02,ü\n,,\n');
  });
});
