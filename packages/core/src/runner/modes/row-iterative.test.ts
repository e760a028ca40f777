import { describe, expect, it } from 'vitest';
import type { StepContext } from '../../registry/step-type.js';
import { mapRows, partition } from './row-iterative.js';

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

describe('partition', () => {
  it('cuts into at most n contiguous slices that join back to the input', () => {
    const items = Array.from({ length: 10 }, (_, i) => i);
    for (const n of [1, 2, 3, 4, 20]) {
      const parts = partition(items, n);
      expect(parts.length).toBeLessThanOrEqual(n);
      expect(parts.flat()).toEqual(items);
    }
    expect(partition([], 3)).toEqual([[]]);
  });
});
