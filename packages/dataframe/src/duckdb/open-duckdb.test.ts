// The settings openDuckDB opens DuckDB with: what DuckDB reads of a CSV file does not change with
// the smaller read buffer (CSV_BUFFER_SIZE), and instances spill to directories of their own.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCsvFile } from '../csv/csv-reader.js';
import { tempDataRoot } from '../steps/test-kit.js';
import { csvRelation } from './csv-relation.js';
import { CSV_BUFFER_SIZE, queryTable } from './duckdb-tables.js';
import { openDuckDB, warmDuckDB } from './open-duckdb.js';
import { plain } from './test-kit.js';

let root: string;
beforeAll(() => {
  root = tempDataRoot();
});

/** How `path` reads through DuckDB: whether DuckDB read it itself, and whether it gave the reader's table. */
async function readByDuckDB(path: string): Promise<{ direct: boolean; same: boolean }> {
  const duck = await openDuckDB();
  try {
    const relation = await csvRelation(duck.connection, path);
    if (!relation) throw new Error(`${path}: no relation`);
    const actual = await queryTable(duck.connection, relation.sql);
    const expected = await readCsvFile(path);
    return { direct: relation.direct, same: JSON.stringify(plain(actual)) === JSON.stringify(plain(expected)) };
  } finally {
    duck.close();
  }
}

describe('CSV lines up to DuckDB’s default max_line_size', () => {
  it('are read by DuckDB itself wherever they are, as the JavaScript reader reads them', async () => {
    const long = (n: number) => 'x'.repeat(n);
    const rows = ['id,text,n'];
    for (let i = 0; i < 40; i++) {
      // lines just under the limit first, in the middle, last, and quoted across line breaks
      const text =
        i % 13 === 0
          ? long(CSV_BUFFER_SIZE - 20)
          : i % 7 === 3
            ? `"${long(600_000)}\n""${long(900_000)}"`
            : long(i * 997);
      rows.push(`${i},${text},${i % 5 === 0 ? '' : i}`);
    }
    rows.push(`40,${long(CSV_BUFFER_SIZE - 20)},40`);
    const path = join(root, 'long-lines.csv');
    writeFileSync(path, `${rows.join('\n')}\n`);
    expect(await readByDuckDB(path)).toEqual({ direct: true, same: true });
  });

  it('but not a longer line: the JavaScript reader reads that file, as with DuckDB’s default buffer', async () => {
    const path = join(root, 'too-long-line.csv');
    writeFileSync(path, `id,text\n1,a\n2,${'y'.repeat(2_050_000)}\n3,c\n`);
    expect(await readByDuckDB(path)).toEqual({ direct: false, same: true });
  });
});

describe('spilling', () => {
  // more than the memory limit to sort, so DuckDB writes blocks to its temporary directory
  const spilling = (k: number) =>
    `SELECT count(*)::DOUBLE AS n, sum(hash(x))::VARCHAR AS h FROM (SELECT x FROM (
       SELECT (i * ${k})::VARCHAR || repeat('a', 30) AS x FROM range(1000000) t(i)) ORDER BY x OFFSET 10)`;
  const bounded = { memory_limit: '24MB', threads: '1' };

  it('two instances spilling at once each read back their own blocks', async () => {
    const run = async (k: number) => {
      const duck = await openDuckDB(undefined, undefined, bounded);
      try {
        return (await duck.connection.runAndReadAll(spilling(k))).getRowObjectsJS();
      } finally {
        duck.close();
      }
    };
    const one = await run(3);
    const other = await run(7);
    // in a shared directory (DuckDB's default, .tmp in the working directory) they corrupt each other's files
    expect(await Promise.all([run(3), run(7)])).toEqual([one, other]);
  });
});

describe('an instance opened ahead', () => {
  const count = async (duck: Awaited<ReturnType<typeof openDuckDB>>, path: string) =>
    Number(
      (
        await duck.connection.runAndReadAll(`SELECT count(*)::DOUBLE AS n FROM read_csv('${path}')`)
      ).getRowObjectsJS()[0]?.n,
    );

  it('serves the next open on the same data root, confined to it', async () => {
    const here = tempDataRoot();
    writeFileSync(join(here, 'a.csv'), 'x,y\n1,2\n');
    warmDuckDB();
    const duck = await openDuckDB();
    try {
      expect(await count(duck, join(here, 'a.csv'))).toBe(1);
      await expect(duck.connection.run("SET allowed_directories = ['/']")).rejects.toThrow();
    } finally {
      duck.close();
    }
  });

  it('is not taken once the data root changed: the open is confined to the new root', async () => {
    const before = tempDataRoot();
    writeFileSync(join(before, 'a.csv'), 'x,y\n1,2\n');
    warmDuckDB();
    const after = tempDataRoot();
    writeFileSync(join(after, 'b.csv'), 'x,y\n1,2\n3,4\n');
    const duck = await openDuckDB();
    try {
      expect(await count(duck, join(after, 'b.csv'))).toBe(2);
      await expect(count(duck, join(before, 'a.csv'))).rejects.toThrow(/Permission Error/);
    } finally {
      duck.close();
    }
  });
});
