import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { peekCsvHeader } from './csv-header.js';

const dir = mkdtempSync(join(tmpdir(), 'sw-csv-header-'));
function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const names = (n: number) => Array.from({ length: n }, (_, i) => `column_${String(i).padStart(5, '0')}`);

describe('peekCsvHeader', () => {
  it('reads the header of a file far larger than the block it reads', () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `${i},"q, ${i}"`).join('\n');
    expect(peekCsvHeader(file('big.csv', `id,"note, quoted"\n${rows}\n`))).toEqual(['id', 'note, quoted']);
  });

  it('reads a header longer than its first small block, whole', () => {
    const header = names(1_000); // about 13 kB
    expect(peekCsvHeader(file('wide.csv', `${header.join(',')}\n${header.map(() => '1').join(',')}\n`))).toEqual(
      header,
    );
  });

  it('gives up on a header longer than 64 kB (the run reads it) and on an empty file', () => {
    expect(peekCsvHeader(file('wider.csv', `${names(6_000).join(',')}\n1\n`))).toBeUndefined();
    expect(peekCsvHeader(file('empty.csv', ''))).toBeUndefined();
  });
});
