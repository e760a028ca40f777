import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from '@stepwise/cli';
import { registry, type StepContext } from '@stepwise/core';
import { table } from 'arquero';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LinkedProject, linkedProject, repoRoot } from '../../tests/linked-project.js';
import { generateSales } from '../data/generate-sales.js';
import { cleanData } from './steps.js';

async function stepwise(argv: string[], cwd = repoRoot) {
  let stdout = '';
  let stderr = '';
  const code = await runCommand(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    cwd,
    env: { NO_COLOR: '1' },
  });
  return { code, stdout, stderr };
}

const ctx = { log: { info() {}, debug() {}, warn() {}, error() {} } } as unknown as StepContext;

describe('the sales example step types', () => {
  it('clean_data drops mostly-empty rows and non-positive quantities', async () => {
    const df = table({ quantity: [1, -2, 3, null], region: ['north', 'south', null, null], price: [1, 2, 3, null] });
    const kept = await cleanData.fn(df, { threshold: 0.34 }, ctx);
    expect(kept.objects()).toEqual([
      { quantity: 1, region: 'north', price: 1 },
      { quantity: 3, region: null, price: 3 },
    ]);
  });

  it('normalize_region (decorator form) trims and lower-cases, blanks become null', async () => {
    const normalize = registry.require('normalize_region');
    const df = table({ region: [' North ', 'south', '  ', null] });
    const out = (await normalize.fn(df as never, { column: 'region' } as never, ctx)) as typeof df;
    expect(out.array('region')).toEqual(['north', 'south', null, null]);
  });
});

describe('examples/sales/workflow.json', () => {
  // run in a temporary copy of the root, so the generated data and the outputs stay out of the repository
  let project: LinkedProject;
  beforeAll(async () => {
    project = await linkedProject(['examples/sales/workflow.json']);
    await generateSales(20_000, join(project.dir, 'examples/data/out/sales.csv'));
  });
  afterAll(() => project.remove());

  it('runs with stepwise run: revenue per normalized region, as CSV and Parquet', async () => {
    const root = project.dir;
    const { code, stdout, stderr } = await stepwise(['run', 'examples/sales/workflow.json'], root);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/✔ clean\s+clean_data/);
    expect(stdout).toContain('csv → examples/data/out/revenue-by-region.csv');
    const csv = readFileSync(join(root, 'examples/data/out/revenue-by-region.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('region,product,orders,units,revenue');
    const regions = new Set(csv.slice(1).map((line) => line.split(',')[0]));
    expect([...regions].sort()).toEqual(['east', 'north', 'south', 'west']);
    expect(existsSync(join(root, 'examples/data/out/revenue-by-region.parquet'))).toBe(true);
  });
});

describe('examples/tutorial/orders.json', () => {
  it('runs with stepwise run', async () => {
    const { code, stdout } = await stepwise(['run', 'examples/tutorial/orders.json', '--store', 'memory']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/✔ in_eur\s+convert_currency/);
  });
});
