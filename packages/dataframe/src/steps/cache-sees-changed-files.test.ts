// Regression: `strategy.cache` keyed read_csv by its config only, so cutting sales.csv from 20,000 rows
// to 5,000 still served the 20,000-row table from the cache, in 0 ms, and nothing said it was cached.
import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RuntimeContext, registry, Workflow, WorkflowRunner } from '@stepwise/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataFrame } from '../data-type/dataframe-type.js';
import { resetFilesConfig } from '../files/data-root.js';
import './io-steps.js';
import { tempDataRoot } from './test-kit.js';

let root: string;
beforeAll(() => {
  root = tempDataRoot();
});
afterAll(() => resetFilesConfig());

/** Writes `rows` rows of `x,y` with values `value`, and sets the modification time to a fixed one. */
function writeCsv(rows: number, value = 1): void {
  const path = join(root, 'sales.csv');
  writeFileSync(path, `x,y\n${`${value},${value}\n`.repeat(rows)}`);
  utimesSync(path, 1_700_000_000, 1_700_000_000);
}

function load(contentHash: boolean): Workflow {
  const wf = new Workflow({ id: 'sales', name: 'Sales', registry });
  wf.add('read_csv', { path: 'sales.csv', contentHash }, { id: 'load', strategy: { cache: true } });
  return wf;
}

async function read(context: RuntimeContext, wf: Workflow) {
  const run = await new WorkflowRunner().run(wf, { context });
  const table = context.get<DataFrame>(run.outputs.result as string);
  return {
    rows: table.numRows(),
    sum: Array.from(table.array('x') as ArrayLike<number>).reduce((a, b) => a + b, 0),
    step: run.steps.get('load'),
  };
}

describe('strategy.cache on read_csv', () => {
  it('reads the file again once it was cut, and says when it took the cache', async () => {
    const context = new RuntimeContext();
    writeCsv(20_000);
    expect((await read(context, load(false))).rows).toBe(20_000);
    const again = await read(context, load(false));
    expect(again.rows).toBe(20_000);
    expect(again.step?.cached).toBe(true);
    writeCsv(5_000);
    const cut = await read(context, load(false));
    expect(cut.rows).toBe(5_000);
    expect(cut.step).not.toHaveProperty('cached');
  });

  it('with contentHash, sees a change that keeps the size and the modification time', async () => {
    const context = new RuntimeContext();
    writeCsv(100, 1);
    await read(context, load(true));
    await read(context, load(false));
    writeCsv(100, 2);
    const plain = await read(context, load(false));
    // size and modification time alone cannot see it: this is what contentHash is for
    expect(plain.step?.cached).toBe(true);
    const hashed = await read(context, load(true));
    expect(hashed.step).not.toHaveProperty('cached');
    expect(hashed.sum).toBe(200);
  });
});
