import { describe, expect } from 'vitest';
import { MemoryCacheIndex } from '../context/memory/memory-cache.js';
import { MemoryRunStore } from '../context/memory/memory-runs.js';
import { isRef, newRef } from '../context/ref.js';
import { RuntimeContext } from '../context/runtime-context.js';
import type { Store } from '../context/store.js';
import type { ValueStore } from '../context/value-store.js';
import type { MaybePromise } from '../maybe-promise.js';
import { BAD_REFS, type ContractOptions, codeOf, contractRegistry, contractTests } from './contract-kit.js';

/** Every context and value-store call that takes a ref, bound to `ref`: each must refuse a malformed one. */
export function refCalls(ctx: RuntimeContext<Store>, ref: string): (() => unknown)[] {
  const meta = { type: 'Any', createdAt: 0 };
  const values = ctx.store.values;
  return [
    () => ctx.get(ref),
    () => ctx.has(ref),
    () => ctx.info(ref),
    () => ctx.delete(ref),
    () => values.read(ref),
    () => values.has(ref),
    () => values.meta(ref),
    () => values.delete(ref),
    () => values.write(ref, 1, meta),
  ];
}

/** A context over `values` (runs and cache in memory) with the contract's registry. */
function contextOn(values: ValueStore): RuntimeContext<Store> {
  return new RuntimeContext<Store>({
    store: { values, runs: new MemoryRunStore(), cache: new MemoryCacheIndex() },
    registry: contractRegistry(),
  });
}

/**
 * Registers the tests every {@link ValueStore} passes: each data type given back, fresh refs,
 * has/delete/list, `REF_NOT_FOUND` with the ref, info, type checks, and `REF_INVALID` for anything
 * not of the ref form, before the store is touched. `make` answers a fresh, empty store per test.
 * @example describeValueStoreContract('S3ValueStore', () => new S3ValueStore(bucket), { dispose: (s) => s.clear() })
 */
export function describeValueStoreContract(
  name: string,
  make: () => MaybePromise<ValueStore>,
  options: ContractOptions<ValueStore> = {},
): void {
  describe(`${name}: value store contract`, () => {
    const { test, done } = contractTests(make, options);

    test('values: gives back every built-in data type and a registered one', async (values) => {
      const ctx = contextOn(values);
      const cases: [unknown, string][] = [
        [{ a: [1, 2], b: null, c: 'x' }, 'JSON'],
        [[{ id: 1 }, { id: 2 }], 'JSON'],
        ['héllo\nwörld', 'Text'],
        [{ path: '/data/sales.csv', mediaType: 'text/csv' }, 'FileReference'],
        [42, 'Any'],
        [{ x: 1.5, y: -2 }, 'Point'],
      ];
      for (const [value, type] of cases) expect(await ctx.get(await ctx.put(value, { type }))).toEqual(value);
      const bytes = await ctx.get(await ctx.put(new Uint8Array([0, 1, 255]), { type: 'Bytes' }));
      expect(bytes).toBeInstanceOf(Uint8Array);
      expect(Array.from(bytes as Uint8Array)).toEqual([0, 1, 255]);
    });

    test('values: hands out a new well-formed ref for every put', async (values) => {
      const ctx = contextOn(values);
      const refs = await Promise.all(Array.from({ length: 50 }, (_, i) => ctx.put(i, { type: 'JSON' })));
      expect(new Set(refs).size).toBe(50);
      expect(refs.every(isRef)).toBe(true);
      expect(new Set(await ctx.refs())).toEqual(new Set(refs));
    });

    test('values: has, refs and delete follow a value from put to gone', async (values) => {
      const ctx = contextOn(values);
      const ref = await ctx.put('v', { type: 'Text' });
      expect(await ctx.has(ref)).toBe(true);
      expect(await ctx.refs()).toContain(ref);
      expect(await ctx.delete(ref)).toBe(true);
      expect(await ctx.has(ref)).toBe(false);
      expect(await ctx.refs()).not.toContain(ref);
      expect(await ctx.delete(ref)).toBe(false);
      await expect(async () => ctx.get(ref)).rejects.toMatchObject({ code: 'REF_NOT_FOUND', ref });
    });

    test('values: reports an absent ref as REF_NOT_FOUND carrying the ref', async (values) => {
      const ctx = contextOn(values);
      const ref = newRef();
      expect(await ctx.has(ref)).toBe(false);
      const notFound = { name: 'RefNotFoundError', code: 'REF_NOT_FOUND', ref };
      await expect(async () => ctx.get(ref)).rejects.toMatchObject(notFound);
      await expect(async () => ctx.info(ref)).rejects.toMatchObject({ code: 'REF_NOT_FOUND', ref });
      expect(await values.meta(ref)).toBeUndefined();
    });

    test('values: tells type, producer, creation time, rows of a JSON array and bytes of a Text', async (values) => {
      const ctx = contextOn(values);
      const before = Date.now();
      const rows = await ctx.put([1, 2, 3], { type: 'JSON', producer: { runId: 'run_1', stepId: 'load' } });
      const text = await ctx.put('añb', { type: 'Text' });
      const rowsInfo = await ctx.info(rows);
      expect(rowsInfo).toMatchObject({
        ref: rows,
        type: 'JSON',
        producer: { runId: 'run_1', stepId: 'load' },
        rows: 3,
      });
      const created = Date.parse(rowsInfo.createdAt);
      expect(created).toBeGreaterThanOrEqual(before);
      expect(created).toBeLessThanOrEqual(Date.now());
      expect(rowsInfo.createdAt).toBe(new Date(created).toISOString());
      const textInfo = await ctx.info(text);
      expect(textInfo).toMatchObject({ ref: text, type: 'Text', bytes: 4 });
      expect(textInfo).not.toHaveProperty('producer');
      expect(textInfo).not.toHaveProperty('rows');
    });

    test('values: refuses a value that is not of its data type, naming both, and stores nothing', async (values) => {
      const ctx = contextOn(values);
      let error: unknown;
      try {
        await ctx.put({ a: 1 }, { type: 'Text' });
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ code: 'OUTPUT_TYPE_MISMATCH' });
      expect((error as Error).message).toContain('"Text"');
      expect((error as Error).message).toContain('an object');
      expect(await codeOf(() => ctx.put('x', { type: 'NoSuchType' }))).toBe('DATA_TYPE_UNKNOWN');
      expect(await ctx.refs()).toEqual([]);
    });

    test('values: rejects anything not of the ref form with REF_INVALID, in the context and in the store', async (values) => {
      const ctx = contextOn(values);
      for (const bad of BAD_REFS)
        for (const call of refCalls(ctx, bad as string))
          expect(await codeOf(call), `${String(call)} with ${JSON.stringify(bad)}`).toBe('REF_INVALID');
      expect(await ctx.refs()).toEqual([]);
    });

    test('values: shares values between two contexts on the same store', async (values) => {
      const a = contextOn(values);
      const b = contextOn(values);
      const ref = await a.put({ x: 1, y: 2 }, { type: 'Point' });
      expect(await b.get(ref)).toEqual({ x: 1, y: 2 });
      expect((await b.info(ref)).type).toBe('Point');
    });

    test('values: sync, where the store has one, settles with every value as written, also past one removed before it', async (values) => {
      const ctx = contextOn(values);
      const kept = await ctx.put([1, 2, 3], { type: 'JSON' });
      const removed = await ctx.put('gone', { type: 'Text' });
      expect(await ctx.delete(removed)).toBe(true);
      // two calls at once: the second also covers what the first is still flushing
      await Promise.all([values.sync?.(), values.sync?.()]);
      const after = await ctx.put({ x: 0, y: 1 }, { type: 'Point' });
      await values.sync?.();
      expect(await ctx.get(kept)).toEqual([1, 2, 3]);
      expect(await ctx.get(after)).toEqual({ x: 0, y: 1 });
      expect(await ctx.has(removed)).toBe(false);
      expect((await ctx.refs()).sort()).toEqual([after, kept].sort());
    });

    done();
  });
}
