import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RuntimeContext, registry, Workflow, WorkflowRunner } from '@stepwise/core';
import { configureFiles, type DataFrame, readCsvFile, resetFilesConfig } from '@stepwise/dataframe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSales } from '../data/generate-sales.js';

const here = resolve(import.meta.dirname);
let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'sw-examples-'));
  mkdirSync(join(root, 'examples', 'data'), { recursive: true });
  copyFileSync(join(here, '..', 'data', 'customers.csv'), join(root, 'examples', 'data', 'customers.csv'));
  await generateSales(20_000, join(root, 'examples', 'data', 'out', 'sales.csv'));
  configureFiles({ dataRoot: join(root, 'examples', 'data'), allowOutside: false });
});
afterAll(() => {
  resetFilesConfig();
  rmSync(root, { recursive: true, force: true });
});

function load(name: string): Workflow {
  return Workflow.fromJSON(JSON.parse(readFileSync(join(here, name), 'utf8')), { registry });
}

async function run(name: string) {
  const context = new RuntimeContext();
  const result = await new WorkflowRunner({ registry }).run(load(name), { context });
  const failed = [...result.steps.values()].find((s) => s.status === 'failed');
  expect(failed?.error, 'no step fails').toBeUndefined();
  expect(result.status).toBe('completed');
  return { result, context };
}

describe('example table workflows', () => {
  it('sales-summary: cleans, aggregates, joins customers and writes Parquet', async () => {
    const { result, context } = await run('sales-summary.workflow.json');
    const table = context.get(result.outputs.table as string) as DataFrame;
    expect(table.columnNames()).toEqual(['customer_id', 'orders', 'revenue', 'products', 'name', 'segment', 'since']);
    expect(table.numRows()).toBe(200);
    const revenue = table.array('revenue') as number[];
    expect([...revenue].sort((a, b) => b - a)).toEqual(revenue);
    expect(table.array('name').every((n) => typeof n === 'string')).toBe(true);
    expect(context.get(result.outputs.file as string)).toEqual({
      path: join('out', 'customer-revenue.parquet'), // relative to the data root, examples/data
      mediaType: 'application/vnd.apache.parquet',
    });
  });

  it('region-sql: casts dirty prices and sums revenue per normalised region in DuckDB', async () => {
    const { result, context } = await run('region-sql.workflow.json');
    const table = context.get(result.outputs.table as string) as DataFrame;
    expect(new Set(table.array('region'))).toEqual(new Set(['east', 'north', 'south', 'west']));
    expect(table.numRows()).toBe(4 * 12);
  });

  it('stream-filter: streams the CSV through filter, derive and select into a new CSV', async () => {
    const { result, context } = await run('stream-filter.workflow.json');
    const ref = context.get(result.outputs.file as string) as { path: string };
    const written = await readCsvFile(join(root, 'examples', 'data', ref.path));
    const sales = await readCsvFile(join(root, 'examples', 'data', 'out', 'sales.csv'), { nullValues: ['', 'N/A'] });
    const expected = sales.filter('d.quantity >= 8 && d.unit_price > 10');
    expect(written.columnNames()).toEqual(['order_id', 'date', 'customer_id', 'total']);
    expect(Array.from(written.array('order_id'))).toEqual(Array.from(expected.array('order_id')));
    expect(written.numRows()).toBeGreaterThan(1000);
  });

  it('reports a bad expression at validation as CONFIG_INVALID with the path to the field', () => {
    const doc = JSON.parse(readFileSync(join(here, 'sales-summary.workflow.json'), 'utf8'));
    doc.steps[2].config.where = 'd.quantity > ';
    expect(() => Workflow.fromJSON(doc, { registry })).toThrow(
      expect.objectContaining({
        issues: expect.arrayContaining([
          expect.objectContaining({
            code: 'CONFIG_INVALID',
            pathText: 'steps[2].config.where',
            message: expect.stringContaining('Expression refused at character 14: expected a value'),
          }),
        ]),
      }),
    );
  });
});
