import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CSV_PATTERNS } from '../csv/csv-columns.js';
import { tempDataRoot } from '../steps/test-kit.js';
import { openDuckDB, quoteLiteral } from './duckdb-tables.js';
import { plainNumberTexts } from './plain-numbers.js';

let root: string;
beforeAll(() => {
  root = tempDataRoot();
});

let files = 0;
function file(content: string): string {
  const path = join(root, `p${++files}.csv`);
  writeFileSync(path, content);
  return path;
}

describe('plainNumberTexts', () => {
  it('answers true for plain fields: numbers, words with spaces or _ inside them, empty cells', async () => {
    expect(await plainNumberTexts(file('id,name,value\n1,John Smith,-0.5\n2,user_id,1e5\n3,,+.5\n'), ',')).toBe(true);
    expect(await plainNumberTexts(file('a;b\r\n1;2\r\n'), ';')).toBe(true);
    expect(await plainNumberTexts(file('a\tb\n1\t2\n'), '\t')).toBe(true);
  });

  it('answers false where DuckDB would parse a number the reader does not: whitespace at an edge, _ after a digit, +-', async () => {
    for (const text of [
      'a,b\n 1,2\n',
      'a,b\n1 ,2\n',
      'a,b\n1,2 \n',
      'a,b\n1,2\r\n3, 4\r\n',
      'a,b\n1,2\n3,4 ',
      ' a,b\n',
    ])
      expect(await plainNumberTexts(file(text), ',')).toBe(false);
    for (const text of ['a,b\n1_000,2\n', 'a,b\n+-1,2\n', 'a,b\n1,\t2\n', 'a,b\n1,2\v\n', 'a,b\n1,\f2\n'])
      expect(await plainNumberTexts(file(text), ',')).toBe(false);
  });

  it('answers false for a quote anywhere: a quoted field may hold anything', async () => {
    expect(await plainNumberTexts(file('a,b\n1,"x"\n'), ',')).toBe(false);
  });

  it('sees the neighbours of a byte across the 1 MiB chunks it reads', async () => {
    const MiB = 1 << 20;
    // `before` ends the first chunk, `after` starts the second
    const across = (before: string, after: string) =>
      file(`a,b\n${'z'.repeat(MiB - 4 - before.length)}${before}${after}\n`);
    expect(await plainNumberTexts(across('1,+', '-1'), ',')).toBe(false);
    expect(await plainNumberTexts(across('1,1', '_0'), ',')).toBe(false);
    expect(await plainNumberTexts(across('1,', ' 1'), ',')).toBe(false);
    expect(await plainNumberTexts(across('1,1', ' '), ',')).toBe(false);
    expect(await plainNumberTexts(across('1,x', ' y'), ',')).toBe(true);
  });
});

describe("DuckDB's number parser, where plainNumberTexts lets it read numbers", () => {
  it("reads every short text of the characters that matter as the reader's pattern and Number do, but for texts that are not finite", async () => {
    const NUMBER = new RegExp(`^(?:${CSV_PATTERNS.number})$`);
    const alphabet = ['0', '1', '9', '.', 'e', 'E', '+', '-', 'i', 'n', 'f', 'a', 'x'];
    let texts = [''];
    let all: string[] = [];
    for (let length = 1; length <= 5; length++) {
      texts = texts.flatMap((t) => alphabet.map((ch) => t + ch));
      all = all.concat(texts);
    }
    // what plainNumberTexts lets through: no +- (nor whitespace or _, not in the alphabet)
    const plain = all.filter((t) => !t.includes('+-'));
    const path = file(`i,t\n${plain.map((t, i) => `${i},${t}`).join('\n')}\n`);
    expect(await plainNumberTexts(path, ',')).toBe(true);
    const { connection, close } = await openDuckDB();
    try {
      const reader = await connection.runAndReadAll(
        `SELECT i, t FROM read_csv(${quoteLiteral(path)}, header = true, auto_detect = false, columns = {'i': 'BIGINT', 't': 'DOUBLE'}, ignore_errors = true, nullstr = ['~'], delim = ',', quote = '"', escape = '"')`,
      );
      const parsed = new Map(reader.getRowsJS().map(([i, t]) => [Number(i), t as number]));
      const differ = plain.filter((text, i) => {
        const value = parsed.get(i);
        const finite = value !== undefined && Number.isFinite(value);
        const reader = NUMBER.test(text) && Number.isFinite(Number(text));
        return finite !== reader || (finite && !Object.is(value, Number(text)));
      });
      expect(differ).toEqual([]);
      expect(parsed.size).toBeGreaterThan(1000);
    } finally {
      close();
    }
  });
});
