import { table } from 'arquero';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadTable, openDuckDB, queryTable } from './duckdb-tables.js';
import { loadTableByColumns } from './load-columns.js';

const cell = fc.oneof(
  fc.double(),
  fc.constantFrom(null, undefined, Number.NaN, -0, 7, 2n ** 70n, 5n, true, false, ''),
  fc.string({ maxLength: 20 }),
  fc.date({ noInvalidDate: false, min: new Date(-1e13), max: new Date(1e13) }),
  fc.array(fc.integer(), { maxLength: 2 }),
);
/** Texts around DuckDB's 12-byte inline limit: multi-byte characters, surrogate pairs, lone surrogates, NUL. */
const text = fc.oneof(
  fc.string({ maxLength: 14 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.string({ unit: fc.constantFrom('a', 'ü', '€', '😀', '\0', '\ud800', '\udc00'), maxLength: 13 }),
  fc.constantFrom('', 'twelve bytes', 'thirteen byte', 'üüüüüü', 'üüüüüüa', '€€€€', '😀😀😀', 'a\0b', '\0'),
);
/** A column of one kind (as a table mostly has), or of mixed kinds (VARCHAR). */
const column = fc.oneof(
  fc.array(fc.oneof(fc.double(), fc.constantFrom(null, Number.NaN, -0)), { minLength: 2500, maxLength: 2500 }),
  fc.array(fc.oneof(fc.boolean(), fc.constant(null)), { minLength: 2500, maxLength: 2500 }),
  fc.array(cell, { minLength: 2500, maxLength: 2500 }),
  fc.array(fc.oneof(fc.date({ noInvalidDate: false }), fc.constant(null)), { minLength: 2500, maxLength: 2500 }),
  fc.array(fc.oneof(text, fc.constant(null)), { minLength: 2500, maxLength: 2500 }),
  fc.array(fc.oneof(fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }), fc.constant(null)), {
    minLength: 2500,
    maxLength: 2500,
  }),
);

describe('loadTableByColumns', () => {
  it('loads the table loadTable loads (types, values, nulls), over several data chunks', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(column, { minLength: 1, maxLength: 3 }), fc.nat({ max: 2500 }), async (cols, rows) => {
        const df = table(Object.fromEntries(cols.map((c, i) => [`c${i}`, c.slice(0, rows)])));
        const db = await openDuckDB();
        try {
          // a value loadTable cannot append (an invalid Date in a text column) fails both alike
          const failed = await loadTable(db.connection, 'a', df).then(
            () => undefined,
            (error: Error) => error,
          );
          if (failed) {
            await expect(loadTableByColumns(db.connection, 'b', df)).rejects.toThrow(failed.message);
            return;
          }
          await loadTableByColumns(db.connection, 'b', df);
          const types = (t: string) => queryTable(db.connection, `SELECT column_type FROM (DESCRIBE ${t})`);
          expect((await types('b')).objects()).toEqual((await types('a')).objects());
          const a = await queryTable(db.connection, 'SELECT * FROM a');
          const b = await queryTable(db.connection, 'SELECT * FROM b');
          expect(b.numRows()).toBe(rows);
          expect(b.objects()).toEqual(a.objects());
        } finally {
          db.close();
        }
      }),
      { numRuns: 12 },
    );
  }, 120_000);

  it('writes texts as loadTable does around the 12-byte inline limit, with NUL, lone surrogates and nulls', async () => {
    const texts = ['', 'a', 'twelve bytes', 'thirteen byte', 'üüüüüü', 'üüüüüüa', '€€€€', '€€€€a', '😀😀😀', '😀😀😀a'];
    const odd = ['a\0b', '\0', 'x\ud800', '\udc00y', '\ud83d', null, 'g42', 'a string longer than twelve bytes'];
    const all = [...texts, ...odd];
    const df = table({ s: Array.from({ length: 5000 }, (_, i) => all[i % all.length]) });
    const db = await openDuckDB();
    try {
      await loadTable(db.connection, 'a', df);
      await loadTableByColumns(db.connection, 'b', df);
      const read = async (t: string) =>
        (await queryTable(db.connection, `SELECT s, strlen(s) AS n FROM ${t}`)).objects() as { s: string | null }[];
      const b = await read('b');
      expect(b).toEqual(await read('a'));
      expect(b.slice(0, all.length).map((row) => row.s)).toEqual([
        ...texts,
        // a NUL is kept; a lone surrogate becomes U+FFFD, as node-api writes it
        'a\0b',
        '\0',
        'x\ufffd',
        '\ufffdy',
        '\ufffd',
        null,
        'g42',
        'a string longer than twelve bytes',
      ]);
    } finally {
      db.close();
    }
  });
});
