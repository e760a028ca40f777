// What a reader outside a run learns of a lazy table: the files its plan reads, and its row count
// once its query has run, whoever ran it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StepContext } from '@stepwise/core';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../steps/io-steps.js';
import { fakeContext, tempDataRoot } from '../steps/test-kit.js';
import { LazyFrame } from './lazy-frame.js';

async function lazyCsv(name: string, text: string): Promise<LazyFrame> {
  const root = tempDataRoot();
  writeFileSync(join(root, name), text);
  const fn = readCsv.fn as (input: unknown, params: unknown, ctx: StepContext) => Promise<unknown>;
  const value = await fn(undefined, readCsv.params.parse({ path: name }), fakeContext());
  if (!(value instanceof LazyFrame)) throw new Error('read_csv did not answer a lazy table');
  return value;
}

describe('LazyFrame', () => {
  it('tells its row count to every listener once its query has run, also to one that comes later', async () => {
    const frame = await lazyCsv('a.csv', 'x,y\n1,a\n2,b\n3,c\n');
    const heard: number[] = [];
    frame.onRows((rows) => heard.push(rows));
    frame.onRows(() => {
      throw new Error('a listener that fails');
    });
    expect(frame.rows).toBeUndefined();
    expect(heard).toEqual([]);
    await frame.materialize();
    expect(frame.rows).toBe(3);
    expect(heard).toEqual([3]);
    frame.onRows((rows) => heard.push(rows * 10));
    expect(heard).toEqual([3, 30]);
  });

  it('names the files its plan reads, as they were when it was made', async () => {
    const frame = await lazyCsv('b.csv', 'x,y\n1,a\n');
    const [file] = frame.sourceFiles();
    expect(frame.sourceFiles()).toHaveLength(1);
    expect(file?.path.endsWith('b.csv')).toBe(true);
    expect(file?.size).toBe(8);
  });
});
