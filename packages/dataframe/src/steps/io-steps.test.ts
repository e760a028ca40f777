import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StepContext } from '@stepwise/core';
import { table } from 'arquero';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetFilesConfig } from '../files/data-root.js';
import { readCsv, readJson, writeCsv, writeJson } from './io-steps.js';
import { readParquet, writeParquet } from './parquet-steps.js';
import { sql } from './sql-step.js';
import { fakeContext, fixtures, runStep, tempDataRoot } from './test-kit.js';

let root: string;
beforeAll(() => {
  root = tempDataRoot();
});
afterAll(() => resetFilesConfig());

describe('read_csv and write_csv', () => {
  it('round-trips every fixture through a file under the data root and outputs a FileReference', async () => {
    for (const [name, make] of Object.entries(fixtures)) {
      const ref = (await runStep(writeCsv, make(), { path: `out/${name}.csv` })) as unknown;
      expect(ref).toEqual({ path: join('out', `${name}.csv`), mediaType: 'text/csv' });
      const back = await runStep(readCsv, undefined, { path: `out/${name}.csv`, types: { id: 'string' } });
      expect(back.columnNames()).toEqual(['id', 'name', 'value']);
      expect(back.array('name')).toEqual(make().array('name'));
    }
    const coerced = await runStep(readCsv, undefined, { path: 'out/coercion.csv', nullValues: ['', 'N/A'] });
    expect(coerced.array('value')).toEqual([0.5, null, 3]);
    expect(coerced.array('id')).toEqual([1, 2, 3]);
  });

  it('refuses paths outside the data root and names missing files', async () => {
    await expect(runStep(readCsv, undefined, { path: '../etc/passwd' })).rejects.toMatchObject({
      code: 'PATH_OUTSIDE_DATA_ROOT',
    });
    await expect(runStep(writeCsv, fixtures.empty(), { path: '/tmp/x.csv' })).rejects.toMatchObject({
      code: 'PATH_OUTSIDE_DATA_ROOT',
    });
    await expect(runStep(readCsv, undefined, { path: 'nope.csv' })).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });

  it('fails a ragged row with the path and line', async () => {
    writeFileSync(join(root, 'ragged.csv'), 'a,b\n1,2\n3,4,5\n');
    await expect(runStep(readCsv, undefined, { path: 'ragged.csv' })).rejects.toThrow(
      /^ragged\.csv:3: expected 2 fields/,
    );
  });
});

describe('read_json and write_json', () => {
  it('round-trips arrays and NDJSON; dates become ISO strings', async () => {
    const df = table({ d: [new Date('2024-01-02T00:00:00Z'), null], s: ['ü', '東'] });
    for (const format of ['array', 'ndjson'] as const) {
      await runStep(writeJson, df, { path: `j.${format}`, format });
      const back = await runStep(readJson, undefined, { path: `j.${format}` });
      expect(back.objects()).toEqual([
        { d: '2024-01-02T00:00:00.000Z', s: 'ü' },
        { d: null, s: '東' },
      ]);
    }
    await runStep(writeJson, fixtures.empty(), { path: 'empty.json' });
    expect((await runStep(readJson, undefined, { path: 'empty.json' })).numRows()).toBe(0);
    await runStep(writeJson, fixtures.allNull(), { path: 'nulls.json' });
    expect((await runStep(readJson, undefined, { path: 'nulls.json' })).array('value')).toEqual([null, null, null]);
  });

  it('names the line of bad NDJSON, and the file that is not UTF-8', async () => {
    writeFileSync(join(root, 'bad.ndjson'), '{"a":1}\n{"a":\n');
    await expect(runStep(readJson, undefined, { path: 'bad.ndjson' })).rejects.toThrow(/^bad\.ndjson:2: invalid JSON/);
    // blank lines count; the last line has no line break
    writeFileSync(join(root, 'blank.ndjson'), '{"a":1}\r\n\r\n \n{"a":2}\n{"a":');
    await expect(runStep(readJson, undefined, { path: 'blank.ndjson' })).rejects.toThrow(
      /^blank\.ndjson:5: invalid JSON/,
    );
    writeFileSync(join(root, 'blank2.ndjson'), '\n{"a":1}\r\n\n\t\n{"a":2}');
    expect((await runStep(readJson, undefined, { path: 'blank2.ndjson' })).array('a')).toEqual([1, 2]);
    writeFileSync(join(root, 'bad.json'), '[\n  {"a": 1},\n  {"a": x}\n]\n');
    await expect(runStep(readJson, undefined, { path: 'bad.json' })).rejects.toMatchObject({
      code: 'JSON_INVALID',
      message: 'bad.json:3: invalid JSON at column 9: unexpected "x"',
    });
    writeFileSync(
      join(root, 'latin.json'),
      Buffer.from([0x5b, 0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d, 0x5d]),
    );
    await expect(runStep(readJson, undefined, { path: 'latin.json' })).rejects.toMatchObject({
      code: 'JSON_INVALID',
      message: 'latin.json: invalid UTF-8 (the file must be UTF-8 encoded)',
    });
  });

  it('keeps unicode, and keeps numbers and numeric text apart (no coercion on read)', async () => {
    writeFileSync(join(root, 'mixed.ndjson'), '{"id":"1","n":1,"s":"東京 🌎"}\n{"id":"2","n":null,"s":"Zürich"}\n');
    const df = await runStep(readJson, undefined, { path: 'mixed.ndjson' });
    expect(df.objects()).toEqual([
      { id: '1', n: 1, s: '東京 🌎' },
      { id: '2', n: null, s: 'Zürich' },
    ]);
  });
});

describe('read_parquet, write_parquet and sql', () => {
  it('round-trips every fixture through Parquet', async () => {
    for (const [name, make] of Object.entries(fixtures)) {
      const ref = (await runStep(writeParquet, make(), { path: `pq/${name}.parquet` })) as unknown;
      expect(ref).toMatchObject({ mediaType: 'application/vnd.apache.parquet' });
      const back = await runStep(readParquet, undefined, { path: `pq/${name}.parquet` });
      expect(back.objects()).toEqual(make().objects());
    }
    expect(
      readFileSync(join(root, 'pq', 'unicode.parquet'))
        .subarray(0, 4)
        .toString(),
    ).toBe('PAR1');
  });

  it('queries the input and named inputs as tables, and files under the data root', async () => {
    const out = await runStep(
      sql,
      fixtures.unicode(),
      { query: 'SELECT i.name, r.value AS rv FROM input i JOIN other r USING (id) ORDER BY id' },
      { other: fixtures.allNull() },
    );
    expect(out.objects()).toEqual([
      { name: 'Zürich', rv: null },
      { name: '東京', rv: null },
      { name: 'São Paulo 🌎', rv: null },
    ]);
    const fromFile = await runStep(sql, fixtures.empty(), {
      query: "SELECT count(*) AS n FROM read_parquet(data_file('pq/unicode.parquet'))",
    });
    expect(fromFile.objects()).toEqual([{ n: 3 }]);
    const coerced = await runStep(sql, fixtures.coercion(), {
      query: 'SELECT TRY_CAST(value AS DOUBLE) AS v FROM input',
    });
    expect(coerced.array('v')).toEqual([0.5, null, 3]);
  });

  it('interrupts a running query when the step is cancelled', async () => {
    const controller = new AbortController();
    const ctx = { ...fakeContext({ input: fixtures.empty() }), signal: controller.signal };
    const fn = sql.fn as (i: unknown, p: unknown, c: StepContext) => Promise<unknown>;
    // minutes of work unless interrupted
    const running = fn(fixtures.empty(), { query: 'SELECT sum(i) FROM range(1000000000000) t(i)' }, ctx);
    setTimeout(() => controller.abort(new Error('cancelled')), 100);
    // interrupted mid-query, or (on a busy machine, before DuckDB has loaded) never started
    await expect(running).rejects.toThrow(/Interrupt|cancelled/i);
  });

  // regression: under load the cancel above could land while DuckDB was still starting, where no
  // query was there to interrupt, and the query then ran for minutes
  it('runs no query when the step is cancelled while DuckDB starts', async () => {
    const controller = new AbortController();
    const ctx = { ...fakeContext({ input: fixtures.empty() }), signal: controller.signal };
    const fn = sql.fn as (i: unknown, p: unknown, c: StepContext) => Promise<unknown>;
    const running = fn(fixtures.empty(), { query: 'SELECT sum(i) FROM range(1000000000000) t(i)' }, ctx);
    controller.abort(new Error('cancelled'));
    // refused with the cancel's reason (before DuckDB opened) or as interrupted (after): never run
    await expect(running).rejects.toThrow(/Interrupt|cancelled/i);
  });

  it('refuses files outside the data root and reports DuckDB errors', async () => {
    await expect(
      runStep(sql, fixtures.empty(), { query: "SELECT * FROM read_csv('/etc/passwd')" }),
    ).rejects.toMatchObject({
      code: 'SQL_FAILED',
    });
    // one read-only SELECT by its first word (validation lets it through), but not SQL DuckDB parses
    await expect(runStep(sql, fixtures.empty(), { query: 'SELECT 1 +' })).rejects.toThrow(/DuckDB rejected the query/);
  });
});
