import { describe, expect, it, vi } from 'vitest';
import { registry as defaultRegistry } from '../registry/index.js';
import { StepRegistry } from '../registry/step-registry.js';
import type { ContextStore } from './context-store.js';
import { MemoryStore } from './memory-store.js';
import { RuntimeContext } from './runtime-context.js';

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
    const spy = new Proxy(new MemoryStore(), {
      get(target, key, receiver) {
        const member = Reflect.get(target, key, receiver) as unknown;
        if (typeof member !== 'function') return member;
        return (...args: unknown[]) => {
          calls.push(String(key));
          return (member as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    }) as ContextStore;
    const ctx = new RuntimeContext({ store: spy });
    calls.length = 0;
    for (const call of [() => ctx.get('../x'), () => ctx.has('ref_a/b'), () => ctx.info(''), () => ctx.delete('/x')])
      expect(call).toThrow(expect.objectContaining({ code: 'REF_INVALID' }));
    for (const call of [() => ctx.saveRun('../x', {}), () => ctx.loadRun('run_a/b')])
      expect(call).toThrow(expect.objectContaining({ code: 'RUN_ID_INVALID' }));
    expect(calls).toEqual([]);
  });

  it('binds its registry to a store that asks for one', () => {
    const registry = new StepRegistry();
    const bind = vi.fn();
    const store = Object.assign(new MemoryStore(), { bind });
    new RuntimeContext({ store, registry });
    expect(bind).toHaveBeenCalledWith(registry);
  });
});
