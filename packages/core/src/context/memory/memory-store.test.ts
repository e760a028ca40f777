import { describe, expect, it } from 'vitest';
import { describeStoreContract } from '../../testing/index.js';
import { RuntimeContext } from '../runtime-context.js';
import { MemoryStore } from './memory-store.js';

describeStoreContract('MemoryStore', () => new MemoryStore());

describe('MemoryStore', () => {
  it('keeps values by reference: get returns the very object put', () => {
    const ctx = new RuntimeContext({ store: new MemoryStore() });
    const rows = [{ id: 1 }];
    const ref = ctx.put(rows, { type: 'JSON' });
    expect(ctx.get(ref)).toBe(rows);
  });

  it('holds values that only live in memory (a function as Any, undefined)', () => {
    const ctx = new RuntimeContext();
    const fn = () => 1;
    expect(ctx.get(ctx.put(fn))).toBe(fn);
    const ref = ctx.put(undefined);
    expect(ctx.has(ref)).toBe(true);
    expect(ctx.get(ref)).toBeUndefined();
  });
});
