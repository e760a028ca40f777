import { describe, expect, it } from 'vitest';
import type { StepExecutor } from '../../executors/executor.js';
import type { StepContext } from '../../registry/step-type.js';
import { outputOf as runOn } from '../../testing/index.js';
import { joinRows, mapNumberRows, mapRows } from '../../units/row-mapping.js';
import { partitionRows } from './row-iterative.js';

const ctx = { signal: new AbortController().signal } as StepContext;

describe('mapRows', () => {
  it('answers synchronously when the function does', () => {
    const out = mapRows((n) => (n as number) + 1, [1, 2, 3], {}, ctx);
    expect(out).toEqual([2, 3, 4]);
  });

  it('switches to a promise from the first asynchronous row on, keeping order', async () => {
    const out = mapRows((n) => ((n as number) > 1 ? Promise.resolve((n as number) * 10) : n), [1, 2, 3], {}, ctx);
    expect(out).toBeInstanceOf(Promise);
    expect(await out).toEqual([1, 20, 30]);
  });

  it('expands arrays, drops null, and refuses undefined naming the row', () => {
    expect(mapRows((n) => (n === 2 ? null : [n, n]), [1, 2, 3], {}, ctx)).toEqual([1, 1, 3, 3]);
    expect(() => mapRows((n) => (n === 2 ? undefined : n), [1, 2], {}, ctx)).toThrow(/row 1.*null to drop/);
  });

  it('maps over a typed array of numbers', () => {
    expect(mapRows((n) => (n as number) * 2, new Float64Array([1.5, 2]) as unknown as number[], {}, ctx)).toEqual([
      3, 4,
    ]);
  });
});

describe('partitionRows', () => {
  it('cuts into at most n contiguous slices that join back to the input', () => {
    const items = Array.from({ length: 10 }, (_, i) => `row ${i}`);
    for (const n of [1, 2, 3, 4, 20]) {
      const parts = [...partitionRows(items, n)] as string[][];
      expect(parts.length).toBeLessThanOrEqual(n);
      expect(parts.flat()).toEqual(items);
    }
    expect([...partitionRows([], 3)]).toEqual([[]]);
  });
});

describe('mapNumberRows', () => {
  const rows = new Float64Array([1, 2, 3, 4]);

  it('answers a Float64Array while every row maps to one number', () => {
    const out = mapNumberRows((n) => (n as number) * 2, rows, {}, ctx);
    expect(out).toBeInstanceOf(Float64Array);
    expect(Array.from(out as Float64Array)).toEqual([2, 4, 6, 8]);
  });

  it('switches to an array at the first row that maps to anything else, keeping the rows before it', () => {
    expect(mapNumberRows((n) => (n === 3 ? null : n), rows, {}, ctx)).toEqual([1, 2, 4]);
    expect(mapNumberRows((n) => (n === 2 ? [n, n] : n), rows, {}, ctx)).toEqual([1, 2, 2, 3, 4]);
    expect(mapNumberRows((n) => (n === 4 ? 'four' : n), rows, {}, ctx)).toEqual([1, 2, 3, 'four']);
    expect(() => mapNumberRows((n) => (n === 2 ? undefined : n), rows, {}, ctx)).toThrow(/row 1/);
  });

  it('continues asynchronously from the first promise, in order', async () => {
    const out = mapNumberRows((n) => (n === 2 ? Promise.resolve(20) : n), rows, {}, ctx);
    expect(out).toBeInstanceOf(Promise);
    expect(await out).toEqual([1, 20, 3, 4]);
  });
});

describe('partitionRows and joinRows', () => {
  it('cuts numbers into Float64Arrays of their own that join back to the input', () => {
    const items = Array.from({ length: 11 }, (_, i) => i / 2);
    const parts = [...partitionRows(items, 3)];
    expect(parts).toHaveLength(3);
    for (const part of parts) expect(part).toBeInstanceOf(Float64Array);
    expect(new Set(parts.map((part) => (part as Float64Array).buffer)).size).toBe(3);
    expect(joinRows(parts)).toEqual(items);
  });

  it('cuts slices with anything but numbers as array slices', () => {
    const items = [1, 'two', 3, { four: 4 }];
    expect([...partitionRows(items, 2)]).toEqual([
      [1, 'two'],
      [3, { four: 4 }],
    ]);
    expect([...partitionRows([], 2)]).toEqual([[]]);
    const [numbers, mixed] = [...partitionRows([1, 2, 'x', 4], 2)];
    expect(numbers).toEqual(new Float64Array([1, 2]));
    expect(mixed).toEqual(['x', 4]);
  });

  it('joins arrays and Float64Arrays in order, and refuses anything else', () => {
    expect(joinRows([[1, 'a'], new Float64Array([2, 3]), []])).toEqual([1, 'a', 2, 3]);
    expect(() => joinRows([[1], 'rows'])).toThrow(/array of rows/);
  });
});

describe('runRowIterative on another executor', () => {
  it('hands each partition to the executor and joins the answers in order', async () => {
    const seen: unknown[] = [];
    const executor: StepExecutor = {
      kind: 'fake',
      capabilities: { inRunnerThread: false },
      execute: async (task) => {
        seen.push(task.values?.input);
        return Array.from(task.values?.input as ArrayLike<number>, (n) => n * 2);
      },
      close: async () => {},
    };
    expect(await runOn(executor, 'c_double', [1, 2, 3, 4, 5], { strategy: { workers: 2 } })).toEqual([2, 4, 6, 8, 10]);
    expect(seen).toEqual([new Float64Array([1, 2, 3]), new Float64Array([4, 5])]);
  });

  it('fails with the first failing partition in input order, whichever fails first in time', async () => {
    let calls = 0;
    const executor: StepExecutor = {
      kind: 'fake',
      capabilities: { inRunnerThread: false },
      execute: () => {
        calls += 1;
        if (calls === 1)
          return new Promise((_, reject) => setTimeout(() => reject(new Error('partition 1 failed')), 20));
        return Promise.reject(new Error('partition 2 failed'));
      },
      close: async () => {},
    };
    await expect(runOn(executor, 'c_double', [1, 2, 3, 4], { strategy: { workers: 2 } })).rejects.toThrow(
      'partition 1 failed',
    );
  });

  it('an executor that throws synchronously fails the step, and no partition rejects unobserved', async () => {
    let calls = 0;
    const executor: StepExecutor = {
      kind: 'fake',
      capabilities: { inRunnerThread: false },
      execute: () => {
        calls += 1;
        if (calls === 1) return Promise.reject(new Error('first partition failed'));
        throw new Error('second partition refused');
      },
      close: async () => {},
    };
    await expect(runOn(executor, 'c_double', [1, 2, 3, 4], { strategy: { workers: 2 } })).rejects.toThrow(
      'first partition failed',
    );
    await new Promise((resolve) => setImmediate(resolve)); // an unobserved rejection would fail the run here
  });
});
