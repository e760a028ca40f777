// A pushed-down step's output is a lazy value (its query, not its rows). Its row count is shown once
// the query has run anywhere in the server, also for a later step of the run, and stays after a
// restart; its preview pages come from one run of the query, until a file it reads changes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LazyFrame } from '@stepwise/dataframe';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { call, startServer, waitForRun, workflow } from './test-kit.js';

const SALES = 'region,amount\nnorth,10\nsouth,20\neast,7\nwest,1\n';

async function run(url: string, document: Record<string, unknown>) {
  const { json } = await call(url, 'POST', '/api/runs', { body: { document } });
  const done = await waitForRun(url, json.runId);
  const output = (stepId: string): string => done.json.steps.find((step: { id: string }) => step.id === stepId).output;
  return { runId: json.runId as string, values: done.json.values, output };
}

afterEach(() => vi.restoreAllMocks());

describe('lazy outputs', () => {
  it('counts a lazy output the run itself queried for a later step, with no preview', async () => {
    const { url, dir } = await startServer();
    writeFileSync(join(dir, 'sales.csv'), SALES);
    const { values, output } = await run(
      url,
      workflow('later', [
        ['read', 'read_csv', { path: 'sales.csv' }],
        ['big', 'filter_rows', { where: 'd.amount > 5' }],
        // not pushed down: the runner runs big's query to hand it rows
        ['some', 'sample', { n: 2 }],
      ]),
    );
    expect(values[output('big')].rows).toBe(3);
    expect((await call(url, 'GET', `/api/data/${output('big')}`)).json.rows).toBe(3);
    // read's query never ran (big extended it): no count rather than a guess
    expect(values[output('read')].rows).toBeUndefined();
  });

  it('keeps a learnt count in the store: a restarted server still shows it', async () => {
    const first = await startServer();
    writeFileSync(join(first.dir, 'sales.csv'), SALES);
    const { runId, output } = await run(
      first.url,
      workflow('restart', [
        ['read', 'read_csv', { path: 'sales.csv' }],
        ['big', 'filter_rows', { where: 'd.amount > 5' }],
      ]),
    );
    const ref = output('big');
    expect((await call(first.url, 'GET', `/api/data/${ref}/rows?limit=1`)).json.total).toBe(3);
    await first.server.close();

    const second = await startServer({ cwd: first.dir });
    expect((await call(second.url, 'GET', `/api/data/${ref}`)).json.rows).toBe(3);
    expect((await call(second.url, 'GET', `/api/runs/${runId}`)).json.values[ref].rows).toBe(3);
  });

  it("answers a lazy output's next pages from one run of its query, and runs it again once its file changed", async () => {
    const { url, dir } = await startServer();
    writeFileSync(join(dir, 'sales.csv'), SALES);
    const { output } = await run(
      url,
      workflow('pages', [
        ['read', 'read_csv', { path: 'sales.csv' }],
        ['sorted', 'sort', { by: ['amount'] }],
      ]),
    );
    const ref = output('sorted');
    const queries = vi.spyOn(LazyFrame.prototype, 'materialize');
    const page = async (offset: number) =>
      (await call(url, 'GET', `/api/data/${ref}/rows?offset=${offset}&limit=2`)).json;
    expect((await page(0)).rows).toEqual([
      ['west', 1],
      ['east', 7],
    ]);
    expect(queries).toHaveBeenCalledTimes(1);
    expect(await page(2)).toMatchObject({
      rows: [
        ['north', 10],
        ['south', 20],
      ],
      offset: 2,
      total: 4,
    });
    const csv = await call(url, 'GET', `/api/data/${ref}/download?format=csv`);
    expect(csv.text.split('\n')[1]).toBe('west,1');
    expect(queries).toHaveBeenCalledTimes(1);

    // a changed file: the query runs again and refuses, as it did before any page was kept
    writeFileSync(join(dir, 'sales.csv'), `${SALES}south,99\n`);
    const changed = await call(url, 'GET', `/api/data/${ref}/rows?offset=2&limit=2`);
    expect(changed.json.code).toBe('SOURCE_CHANGED');
    expect(queries).toHaveBeenCalledTimes(2);
  });

  it('keeps only the rows about the page shown of a result over its bound, and pages past them run the query', async () => {
    const { url, dir } = await startServer({ previewCacheCells: 40 });
    const rows = Array.from({ length: 20 }, (_, i) => `r${i},${i}`);
    writeFileSync(join(dir, 'many.csv'), `name,n\n${rows.join('\n')}\n`);
    const { output } = await run(url, workflow('window', [['read', 'read_csv', { path: 'many.csv' }]]));
    const ref = output('read');
    const queries = vi.spyOn(LazyFrame.prototype, 'materialize');
    const page = async (offset: number) =>
      (await call(url, 'GET', `/api/data/${ref}/rows?offset=${offset}&limit=2`)).json.rows;
    // 40 cells, a quarter for one result: 5 rows of 2 columns about the page asked for
    expect(await page(0)).toEqual([
      ['r0', 0],
      ['r1', 1],
    ]);
    expect(await page(2)).toEqual([
      ['r2', 2],
      ['r3', 3],
    ]);
    expect(queries).toHaveBeenCalledTimes(1);
    expect(await page(14)).toEqual([
      ['r14', 14],
      ['r15', 15],
    ]);
    expect(await page(13)).toEqual([
      ['r13', 13],
      ['r14', 14],
    ]);
    expect(queries).toHaveBeenCalledTimes(2);
    expect(await page(19)).toEqual([['r19', 19]]);
  });
});
