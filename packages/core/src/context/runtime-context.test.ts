import { describe, expect, it, vi } from 'vitest';
import { registry as defaultRegistry } from '../registry/index.js';
import { StepRegistry } from '../registry/step-registry.js';
import { MemoryStore } from './memory/memory-store.js';
import { MemoryValueStore } from './memory/memory-values.js';
import { RuntimeContext } from './runtime-context.js';
import type { Store } from './store.js';
import type { ValueStore } from './value-store.js';

describe('RuntimeContext', () => {
  it('defaults to a MemoryStore, the default registry and the Any type', () => {
    const ctx = new RuntimeContext();
    expect(ctx.store).toBeInstanceOf(MemoryStore);
    const ref = ctx.put(new Map([[1, 2]]));
    expect(ctx.info(ref).type).toBe('Any');
    expect(defaultRegistry.dataType('Any')).toBeDefined();
  });

  it('finds data types in the registry it was given', () => {
    const registry = new StepRegistry();
    registry.registerDataType({
      name: 'Even',
      is: (v): v is number => typeof v === 'number' && v % 2 === 0,
      encode: (v) => new TextEncoder().encode(String(v)),
      decode: (b) => Number(new TextDecoder().decode(b)),
      preview: (v) => v,
    });
    const ctx = new RuntimeContext({ registry });
    expect(ctx.get(ctx.put(4, { type: 'Even' }))).toBe(4);
    expect(() => ctx.put(3, { type: 'Even' })).toThrow(expect.objectContaining({ code: 'OUTPUT_TYPE_MISMATCH' }));
    expect(() => new RuntimeContext().put(4, { type: 'Even' })).toThrow(
      expect.objectContaining({ code: 'DATA_TYPE_UNKNOWN' }),
    );
  });

  it('computes sizes on info, never on put', () => {
    const registry = new StepRegistry();
    const size = vi.fn((v: number[]) => ({ rows: v.length }));
    registry.registerDataType({
      name: 'List',
      is: (v): v is number[] => Array.isArray(v),
      encode: (v) => new TextEncoder().encode(JSON.stringify(v)),
      decode: (b) => JSON.parse(new TextDecoder().decode(b)) as number[],
      preview: (v) => v,
      size,
    });
    const ctx = new RuntimeContext({ registry });
    const ref = ctx.put([1, 2], { type: 'List' });
    expect(size).not.toHaveBeenCalled();
    expect(ctx.info(ref).rows).toBe(2);
    expect(size).toHaveBeenCalledTimes(1);
  });

  it('checks a ref before the store sees it', () => {
    const calls: string[] = [];
    const values = new Proxy(new MemoryValueStore(), {
      get(target, key, receiver) {
        const member = Reflect.get(target, key, receiver) as unknown;
        if (typeof member !== 'function') return member;
        return (...args: unknown[]) => {
          calls.push(String(key));
          return (member as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    }) as ValueStore;
    const memory = new MemoryStore();
    const ctx = new RuntimeContext<Store>({ store: { values, runs: memory.runs, cache: memory.cache } });
    calls.length = 0;
    for (const call of [() => ctx.get('../x'), () => ctx.has('ref_a/b'), () => ctx.info(''), () => ctx.delete('/x')])
      expect(call).toThrow(expect.objectContaining({ code: 'REF_INVALID' }));
    expect(calls).toEqual([]);
  });

  it('binds its registry to a value store that asks for one', () => {
    const registry = new StepRegistry();
    const bind = vi.fn();
    const memory = new MemoryStore();
    const values = Object.assign(new MemoryValueStore(), { bind });
    new RuntimeContext({ store: { values, runs: memory.runs, cache: memory.cache }, registry });
    expect(bind).toHaveBeenCalledWith(registry);
  });

  it('answers promises over a store whose values answer promises, and values over memory', async () => {
    const memory = new MemoryValueStore();
    const slow: ValueStore = {
      write: async (ref, value, meta) => memory.write(ref, value, meta),
      read: async (ref) => memory.read(ref),
      has: async (ref) => memory.has(ref),
      meta: async (ref) => memory.meta(ref),
      delete: async (ref) => memory.delete(ref),
      list: async () => memory.list(),
    };
    const ctx = new RuntimeContext({
      store: { values: slow, runs: new MemoryStore().runs, cache: new MemoryStore().cache },
    });
    const put = ctx.put([1, 2], { type: 'JSON' });
    expect(put).toBeInstanceOf(Promise);
    const ref = await put;
    expect(await ctx.get(ref)).toEqual([1, 2]);
    expect(await ctx.info(ref)).toMatchObject({ type: 'JSON', rows: 2 });
    await expect(async () => ctx.get('ref_missing1')).rejects.toMatchObject({ code: 'REF_NOT_FOUND' });
    expect(new RuntimeContext().put(1)).toMatch(/^ref_/);
  });
});
