import { desc, table } from 'arquero';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvBlocks, csvHeader, toCsvText } from './csv-writer.js';

/** What the writer wrote before it built blocks by concatenation: each row's cells joined, each text checked with `includes`. */
function byRows(rows: Record<string, unknown>[], names: string[], delimiter: string): string {
  const cell = (value: unknown): string => {
    if (value === null || value === undefined) return '';
    let text: string;
    if (typeof value === 'string') text = value;
    else if (typeof value === 'number') return Number.isNaN(value) ? '' : String(value);
    else if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
    else if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) return '';
      const iso = value.toISOString();
      return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
    } else text = JSON.stringify(value);
    const quote = [delimiter, '"', '\n', '\r'].some((special) => text.includes(special)) || text === '';
    return quote ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return rows.map((row) => `${names.map((name) => cell(row[name])).join(delimiter)}\n`).join('');
}

const cellArb = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('', '"', 'a,b', 'a;b', 'x\ny', '\r', 'a.b', 'a*b', 'a|b', '\t'),
  fc.boolean(),
  fc.constantFrom(null, undefined, Number.NaN, -0, Number.POSITIVE_INFINITY, 2n ** 70n, 5n),
  fc.date({ noInvalidDate: false }),
  fc.array(fc.oneof(fc.integer(), fc.string()), { maxLength: 2 }),
);

describe('csvBlocks', () => {
  it('writes each row as its cells joined, quoted when they hold the delimiter, a quote or a line break, over any block size', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4 }),
        fc.array(fc.array(cellArb, { minLength: 4, maxLength: 4 }), { maxLength: 8 }),
        fc.constantFrom(',', ';', '\t', '|', '.', '*', '\\', ']'),
        fc.integer({ min: 1, max: 50 }),
        fc.boolean(),
        (width, rows, delimiter, flushChars, filtered) => {
          const names = ['a', 'b', 'c', 'd'].slice(0, width);
          const data = Object.fromEntries(names.map((name, c) => [name, rows.map((row) => row[c])]));
          let df = table({ ...data, k: rows.map((_, i) => i) });
          if (filtered) df = df.filter('d.k % 2 === 0').orderby(desc('k'));
          df = df.select(names);
          const expected = byRows(df.objects() as Record<string, unknown>[], names, delimiter);
          const blocks = [...csvBlocks(df, delimiter, flushChars)];
          expect(blocks.join('')).toBe(expected);
          // every block is whole rows
          for (const block of blocks) expect(block.endsWith('\n')).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('writes nothing for no rows, and quotes header names', () => {
    expect([...csvBlocks(table({ a: [] }))]).toEqual([]);
    expect(toCsvText(table({ 'a,b': [1], 'c"': [''] }))).toBe('"a,b","c"""\n1,""\n');
    expect(csvHeader(table({ 'a;b': [1], c: [2] }), ';')).toBe('"a;b";c\n');
  });
});
