// A value's info, pages of its rows and downloads, through a real server: JSON rows from a step,
// and a DataFrame read from a CSV file under the data root; ref ids in URLs are checked.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { call, startServer, waitForRun, workflow } from './test-kit.js';

async function outputOf(url: string, document: Record<string, unknown>, stepId: string): Promise<string> {
  const { json } = await call(url, 'POST', '/api/runs', { body: { document } });
  const run = await waitForRun(url, json.runId);
  return run.json.steps.find((step: { id: string }) => step.id === stepId).output;
}

describe('data', () => {
  it("answers a JSON value's info and pages of its rows with column names and types", async () => {
    const { url } = await startServer();
    const ref = await outputOf(url, workflow('n', [['numbers', 'srv_numbers', { count: 5 }]]), 'numbers');
    const info = await call(url, 'GET', `/api/data/${ref}`);
    expect(info.json).toMatchObject({ ref, type: 'JSON', rows: 5 });
    expect(info.json.producer.stepId).toBe('numbers');
    const page = await call(url, 'GET', `/api/data/${ref}/rows?offset=1&limit=2`);
    expect(page.json).toEqual({
      columns: [
        { name: 'n', type: 'number' },
        { name: 'label', type: 'string' },
      ],
      rows: [
        [2, 'row 2'],
        [3, 'row 3'],
      ],
      offset: 1,
      total: 5,
    });
    const bound = await call(url, 'GET', `/api/data/${ref}/rows?limit=100000`);
    expect(bound.status).toBe(400);
    expect(bound.json.message).toContain('query.limit');
    const json = await call(url, 'GET', `/api/data/${ref}/download?format=json`);
    expect(json.headers['content-disposition']).toBe(`attachment; filename="${ref}.json"`);
    expect(JSON.parse(json.text)).toHaveLength(5);
    const csv = await call(url, 'GET', `/api/data/${ref}/download?format=csv`);
    expect(csv.text.split('\n')[0]).toBe('n,label');
  });

  it('pages a DataFrame (JSON-safe values) and downloads it as CSV, JSON, Arrow and Parquet', async () => {
    const { url, dir } = await startServer();
    writeFileSync(
      join(dir, 'sales.csv'),
      'region,amount,day\nnorth,10.5,2024-01-02\nsouth,,2024-01-03\neast,7,2024-01-04\n',
    );
    const document = workflow('sales', [['read', 'read_csv', { path: 'sales.csv' }]]);
    const ref = await outputOf(url, document, 'read');
    const page = await call(url, 'GET', `/api/data/${ref}/rows?limit=2`);
    expect(page.status).toBe(200);
    expect(page.json.columns.map((c: { name: string }) => c.name)).toEqual(['region', 'amount', 'day']);
    expect(page.json.total).toBe(3);
    expect(page.json.rows[0][0]).toBe('north');
    expect(page.json.rows[1][1]).toBeNull();
    const csv = await call(url, 'GET', `/api/data/${ref}/download?format=csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text.split('\n')[0]).toBe('region,amount,day');
    const arrow = await call(url, 'GET', `/api/data/${ref}/download?format=arrow`);
    expect(arrow.headers['content-type']).toBe('application/vnd.apache.arrow.stream');
    const parquet = await call(url, 'GET', `/api/data/${ref}/download?format=parquet`);
    expect(parquet.status).toBe(200);
    expect(parquet.text.startsWith('PAR1')).toBe(true);
    expect((await call(url, 'GET', `/api/data/${ref}/download?format=xlsx`)).status).toBe(400);
  });

  it("counts a pushed-down step's lazy output once a page of it has run its query, and says so in the run", async () => {
    const { url, dir } = await startServer();
    writeFileSync(join(dir, 'sales.csv'), 'region,amount\nnorth,10\nsouth,20\neast,7\nwest,1\n');
    const document = workflow('lazy', [
      ['read', 'read_csv', { path: 'sales.csv' }],
      ['big', 'filter_rows', { where: 'd.amount > 5' }],
    ]);
    const { json } = await call(url, 'POST', '/api/runs', { body: { document } });
    const run = await waitForRun(url, json.runId);
    const ref = run.json.steps.find((step: { id: string }) => step.id === 'big').output;
    // a query not run yet: no count, rather than a wrong one
    expect(run.json.values[ref]).toMatchObject({ type: 'DataFrame' });
    expect(run.json.values[ref].rows).toBeUndefined();
    expect((await call(url, 'GET', `/api/data/${ref}`)).json.rows).toBeUndefined();
    expect((await call(url, 'GET', `/api/data/${ref}/rows?limit=1`)).json.total).toBe(3);
    expect((await call(url, 'GET', `/api/data/${ref}`)).json.rows).toBe(3);
    expect((await call(url, 'GET', `/api/runs/${json.runId}`)).json.values[ref].rows).toBe(3);
  });

  it('checks ref ids in URLs: no traversal, no %2f, no absolute paths; 404 for a ref not in the store', async () => {
    const { url } = await startServer();
    for (const path of [
      '/api/data/..%2f..%2fetc%2fpasswd',
      '/api/data/ref_abc%2f..%2f..',
      '/api/data/%2fetc%2fpasswd/rows',
      '/api/data/ref_..',
    ]) {
      const answer = await call(url, 'GET', path);
      expect(answer.status, path).toBe(400);
      expect(answer.json.code, path).toBe('FIELD_INVALID');
    }
    const missing = await call(url, 'GET', '/api/data/ref_doesnotexist');
    expect(missing.status).toBe(404);
    expect(missing.json.code).toBe('REF_NOT_FOUND');
  });
});
