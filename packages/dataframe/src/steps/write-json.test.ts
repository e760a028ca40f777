import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { table } from 'arquero';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toJsonSafe } from '../data-type/json-safe.js';
import { resetFilesConfig } from '../files/data-root.js';
import { writeJsonTo } from '../json/json-writer.js';
import { writeJson } from './io-steps.js';
import { runStep, tempDataRoot } from './test-kit.js';

let root: string;
beforeAll(() => {
  root = tempDataRoot();
});
afterAll(() => resetFilesConfig());

/** What write_json wrote before it built lines cell by cell: JSON.stringify of each row object made JSON-safe. */
function byObjects(rows: Record<string, unknown>[], format: 'array' | 'ndjson'): string {
  const lines = rows.map((row) => JSON.stringify(toJsonSafe(row)));
  return format === 'ndjson' ? lines.map((l) => `${l}\n`).join('') : `[${lines.join(',\n')}]\n`;
}

const cell = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.boolean(),
  fc.constantFrom(null, undefined, Number.NaN, -0, Number.POSITIVE_INFINITY, 2n ** 70n, 5n),
  fc.date({ noInvalidDate: false }),
  fc.array(fc.oneof(fc.integer(), fc.string(), fc.constant(null)), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.oneof(fc.integer(), fc.constant(Number.NaN)), { maxKeys: 2 }),
  fc.constant(new Float64Array([1, Number.NaN])),
);
const names = fc.uniqueArray(fc.constantFrom('b', 'a', '1', '0', 'ü', 'x y', '"q"', '10', '-1'), {
  minLength: 0,
  maxLength: 5,
});

describe('write_json writes what JSON.stringify of each row object gives', () => {
  it('on any cells, column names (index-like ones first, as in an object) and filtered or ordered tables', async () => {
    let k = 0;
    await fc.assert(
      fc.asyncProperty(
        names,
        fc.array(fc.array(cell, { minLength: 5, maxLength: 5 }), { maxLength: 6 }),
        fc.constantFrom('plain', 'filtered', 'ordered'),
        fc.constantFrom('array', 'ndjson' as const),
        fc.integer({ min: 1, max: 60 }),
        async (columns, rows, how, format, flushChars) => {
          const data: Record<string, unknown[]> = Object.fromEntries(
            columns.map((name, c) => [name, rows.map((row) => row[c])]),
          );
          if (how === 'ordered') data.o = rows.map((_, i) => (i * 7) % 3);
          let df = table(data, Object.keys(data).length > columns.length ? [...columns, 'o'] : columns);
          if (how === 'filtered' && columns.length > 0) df = df.filter('op.row_number() % 2 === 1').slice(1);
          if (how === 'ordered') df = df.orderby('o');
          const path = `json/${k++}.json`;
          await runStep(writeJson, df, { path, format });
          const expected = byObjects(df.objects() as never, format);
          expect(readFileSync(join(root, path), 'utf8')).toBe(expected);
          // the same text when it is written in many small blocks
          const handle = await open(join(root, `${path}.blocks`), 'w');
          try {
            await writeJsonTo(handle, df, { format, flushChars });
          } finally {
            await handle.close();
          }
          expect(readFileSync(join(root, `${path}.blocks`), 'utf8')).toBe(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});
