/**
 * The tests every ContextStore must pass, run once per store (memory-store.test.ts,
 * file-store.test.ts), in the spirit of hono's router `common.case.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { isPlainObject } from '../model/json.js';
import { StepRegistry } from '../registry/step-registry.js';
import type { ContextStore } from './context-store.js';
import { isRef, newRef } from './ref.js';
import { RuntimeContext } from './runtime-context.js';

/** Strings and values that must never be taken for a ref. */
export const BAD_REFS: readonly unknown[] = [
  '../etc/passwd',
  'ref_../../x',
  'ref_a/b',
  'ref_abcdefgh/../../x',
  'ref_abcdefgh\\x',
  'ref_abcdefgh.meta.json',
  'ref_abcdefgh\n',
  '/etc/passwd',
  'C:\\Windows\\x',
  '',
  'ref_',
  'ref_short',
  `ref_${'a'.repeat(65)}`,
  'REF_abcdefgh',
  ' ref_abcdefgh',
  42,
  null,
  undefined,
  {},
  ['ref_abcdefgh'],
];

/** Strings and values that must never be taken for a cache key. */
/** Every context and store call that takes a ref, bound to `ref`: each must refuse a malformed one. */
export function refCalls(ctx: RuntimeContext, ref: string): (() => unknown)[] {
  const meta = { type: 'Any', createdAt: 0 };
  return [
    () => ctx.get(ref),
    () => ctx.has(ref),
    () => ctx.info(ref),
    () => ctx.delete(ref),
    () => ctx.store.read(ref),
    () => ctx.store.has(ref),
    () => ctx.store.meta(ref),
    () => ctx.store.delete(ref),
    () => ctx.store.write(ref, 1, meta),
  ];
}

export const BAD_CACHE_KEYS: readonly unknown[] = [
  '',
  'short',
  '../../etc/passwd0000',
  'abcdefgh/ijklmnop',
  'abcdefghijklmnop.json',
  'abcdefghijklmnop\n',
  'a'.repeat(129),
  42,
  null,
];

/** Strings and values that must never be taken for a run id. */
export const BAD_RUN_IDS: readonly unknown[] = [
  '',
  'run_',
  'run_../x',
  '../run_x',
  'run_a/b',
  '/tmp/run_x',
  'run_a.json',
  'sales',
  `run_${'a'.repeat(65)}`,
  7,
  null,
];

interface Point {
  x: number;
  y: number;
}

/** A registry with the built-in data types plus `Point`, a user-defined one. */
export function contractRegistry(): StepRegistry {
  const registry = new StepRegistry();
  registry.registerDataType<Point>({
    name: 'Point',
    is: (v): v is Point => isPlainObject(v) && typeof v.x === 'number' && typeof v.y === 'number',
    encode: (p) => new TextEncoder().encode(`${p.x},${p.y}`),
    decode: (bytes) => {
      const [x, y] = new TextDecoder().decode(bytes).split(',').map(Number);
      return { x: x ?? 0, y: y ?? 0 };
    },
    preview: (p) => ({ x: p.x, y: p.y }),
  });
  return registry;
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

/** Registers the shared ContextStore tests for stores made by `makeStore` (a fresh, empty store per call). */
export function storeContract(name: string, makeStore: () => ContextStore): void {
  const open = () => new RuntimeContext({ store: makeStore(), registry: contractRegistry() });

  describe(`${name}: ContextStore contract`, () => {
    it('gives back every built-in data type and a registered one', () => {
      const ctx = open();
      const values: [unknown, string][] = [
        [{ a: [1, 2], b: null, c: 'x' }, 'JSON'],
        [[{ id: 1 }, { id: 2 }], 'JSON'],
        ['héllo\nwörld', 'Text'],
        [{ path: '/data/sales.csv', mediaType: 'text/csv' }, 'FileReference'],
        [42, 'Any'],
        [{ x: 1.5, y: -2 }, 'Point'],
      ];
      for (const [value, type] of values) expect(ctx.get(ctx.put(value, { type }))).toEqual(value);
      const bytes = ctx.get(ctx.put(new Uint8Array([0, 1, 255]), { type: 'Bytes' }));
      expect(bytes).toBeInstanceOf(Uint8Array);
      expect(Array.from(bytes as Uint8Array)).toEqual([0, 1, 255]);
    });

    it('hands out a new well-formed ref for every put', () => {
      const ctx = open();
      const refs = Array.from({ length: 50 }, (_, i) => ctx.put(i, { type: 'JSON' }));
      expect(new Set(refs).size).toBe(50);
      expect(refs.every(isRef)).toBe(true);
      expect(new Set(ctx.refs())).toEqual(new Set(refs));
    });

    it('has, refs and delete follow a value from put to gone', () => {
      const ctx = open();
      const ref = ctx.put('v', { type: 'Text' });
      expect(ctx.has(ref)).toBe(true);
      expect(ctx.refs()).toContain(ref);
      expect(ctx.delete(ref)).toBe(true);
      expect(ctx.has(ref)).toBe(false);
      expect(ctx.refs()).not.toContain(ref);
      expect(ctx.delete(ref)).toBe(false);
      expect(() => ctx.get(ref)).toThrow(expect.objectContaining({ code: 'REF_NOT_FOUND', ref }));
    });

    it('reports an absent ref as REF_NOT_FOUND carrying the ref', () => {
      const ctx = open();
      const ref = newRef();
      expect(ctx.has(ref)).toBe(false);
      expect(() => ctx.get(ref)).toThrow(
        expect.objectContaining({ name: 'RefNotFoundError', code: 'REF_NOT_FOUND', ref }),
      );
      expect(() => ctx.info(ref)).toThrow(expect.objectContaining({ code: 'REF_NOT_FOUND', ref }));
    });

    it('tells type, producer, creation time, rows of a JSON array and bytes of a Text', () => {
      const ctx = open();
      const before = Date.now();
      const rows = ctx.put([1, 2, 3], { type: 'JSON', producer: { runId: 'run_1', stepId: 'load' } });
      const text = ctx.put('añb', { type: 'Text' });
      const rowsInfo = ctx.info(rows);
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
      const textInfo = ctx.info(text);
      expect(textInfo).toMatchObject({ ref: text, type: 'Text', bytes: 4 });
      expect(textInfo).not.toHaveProperty('producer');
      expect(textInfo).not.toHaveProperty('rows');
    });

    it('refuses a value that is not of its data type, naming both, and stores nothing', () => {
      const ctx = open();
      let error: unknown;
      try {
        ctx.put({ a: 1 }, { type: 'Text' });
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ code: 'OUTPUT_TYPE_MISMATCH' });
      expect((error as Error).message).toContain('"Text"');
      expect((error as Error).message).toContain('an object');
      expect(codeOf(() => ctx.put('x', { type: 'NoSuchType' }))).toBe('DATA_TYPE_UNKNOWN');
      expect(ctx.refs()).toEqual([]);
    });

    it('rejects anything not of the ref form with REF_INVALID, in the context and in the store', () => {
      const ctx = open();
      for (const bad of BAD_REFS) {
        const ref = bad as string;
        for (const call of refCalls(ctx, ref))
          expect(codeOf(call), `${String(call)} with ${JSON.stringify(bad)}`).toBe('REF_INVALID');
      }
      expect(ctx.refs()).toEqual([]);
    });

    it('keeps a snapshot of each run record, replaced by the next save', () => {
      const ctx = open();
      expect(ctx.loadRun('run_none')).toBeUndefined();
      const record = { status: 'running', steps: { load: { status: 'completed', output: newRef() } } };
      ctx.saveRun('run_sales-1', record);
      record.status = 'mutated later';
      const loaded = ctx.loadRun('run_sales-1') as { status: string };
      expect(loaded).toMatchObject({ status: 'running', steps: record.steps });
      loaded.status = 'mutated copy';
      expect(ctx.loadRun('run_sales-1')).toMatchObject({ status: 'running' });
      ctx.saveRun('run_sales-1', { status: 'completed' });
      expect(ctx.loadRun('run_sales-1')).toEqual({ status: 'completed' });
    });

    it('lists run records sorted and deletes one without touching the values it names', () => {
      const store = makeStore();
      const ctx = new RuntimeContext({ store, registry: contractRegistry() });
      expect(store.listRuns()).toEqual([]);
      const ref = ctx.put(1, { type: 'JSON' });
      for (const id of ['run_b', 'run_a', 'run_c']) ctx.saveRun(id, { outputs: { result: ref } });
      expect(store.listRuns()).toEqual(['run_a', 'run_b', 'run_c']);
      expect(store.deleteRun('run_b')).toBe(true);
      expect(store.deleteRun('run_b')).toBe(false);
      expect(store.listRuns()).toEqual(['run_a', 'run_c']);
      expect(ctx.loadRun('run_b')).toBeUndefined();
      expect(ctx.get(ref)).toBe(1);
    });

    it('lists cache entries sorted and deletes one without touching its value', () => {
      const store = makeStore();
      const ctx = new RuntimeContext({ store, registry: contractRegistry() });
      const ref = ctx.put(1, { type: 'JSON' });
      const [a, b] = ['a'.repeat(64), 'b'.repeat(64)] as const;
      expect(store.listCacheEntries()).toEqual([]);
      ctx.setCachedRef(b, ref);
      ctx.setCachedRef(a, ref);
      expect(store.listCacheEntries()).toEqual([a, b]);
      expect(store.deleteCacheEntry(a)).toBe(true);
      expect(store.deleteCacheEntry(a)).toBe(false);
      expect(store.listCacheEntries()).toEqual([b]);
      expect(ctx.cachedRef(a)).toBeUndefined();
      expect(ctx.get(ref)).toBe(1);
    });

    it('rejects bad run ids with RUN_ID_INVALID and records that are not JSON with RUN_RECORD_INVALID', () => {
      const ctx = open();
      for (const bad of BAD_RUN_IDS) {
        const id = bad as string;
        for (const call of [
          () => ctx.saveRun(id, {}),
          () => ctx.loadRun(id),
          () => ctx.store.saveRun(id, {}),
          () => ctx.store.loadRun(id),
          () => ctx.store.deleteRun(id),
        ])
          expect(codeOf(call), `${String(call)} with ${JSON.stringify(bad)}`).toBe('RUN_ID_INVALID');
      }
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      for (const record of [cyclic, { n: 1n }, undefined])
        expect(codeOf(() => ctx.saveRun('run_x', record))).toBe('RUN_RECORD_INVALID');
      expect(ctx.loadRun('run_x')).toBeUndefined();
    });

    it('keeps cache entries (key to ref), replaced by the next write and shared by contexts on the store', () => {
      const store = makeStore();
      const a = new RuntimeContext({ store, registry: contractRegistry() });
      const b = new RuntimeContext({ store, registry: contractRegistry() });
      const key = 'f'.repeat(64);
      expect(a.cachedRef(key)).toBeUndefined();
      const first = a.put(1, { type: 'JSON' });
      a.setCachedRef(key, first);
      expect(b.cachedRef(key)).toBe(first);
      const second = b.put(2, { type: 'JSON' });
      b.setCachedRef(key, second);
      expect(a.cachedRef(key)).toBe(second);
      expect(store.readCacheEntry(key)).toBe(second);
      expect(a.cachedRef('0'.repeat(64))).toBeUndefined();
    });

    it('answers a cached ref only while the context still holds its value', () => {
      const ctx = open();
      const key = 'k_'.repeat(8);
      const ref = ctx.put('v', { type: 'Text' });
      ctx.setCachedRef(key, ref);
      ctx.delete(ref);
      expect(ctx.cachedRef(key)).toBeUndefined();
      expect(ctx.store.readCacheEntry(key)).toBe(ref);
    });

    it('rejects bad cache keys with CACHE_KEY_INVALID and bad refs in a cache entry with REF_INVALID', () => {
      const ctx = open();
      const ref = ctx.put(1, { type: 'JSON' });
      for (const bad of BAD_CACHE_KEYS) {
        const key = bad as string;
        for (const call of [
          () => ctx.cachedRef(key),
          () => ctx.setCachedRef(key, ref),
          () => ctx.store.readCacheEntry(key),
          () => ctx.store.writeCacheEntry(key, ref),
          () => ctx.store.deleteCacheEntry(key),
        ])
          expect(codeOf(call), `${String(call)} with ${JSON.stringify(bad)}`).toBe('CACHE_KEY_INVALID');
      }
      const key = 'a'.repeat(16);
      for (const bad of BAD_REFS) {
        expect(codeOf(() => ctx.setCachedRef(key, bad as string))).toBe('REF_INVALID');
        expect(codeOf(() => ctx.store.writeCacheEntry(key, bad as string))).toBe('REF_INVALID');
      }
      expect(ctx.cachedRef(key)).toBeUndefined();
    });

    it('shares values between two contexts on the same store', () => {
      const store = makeStore();
      const a = new RuntimeContext({ store, registry: contractRegistry() });
      const b = new RuntimeContext({ store, registry: contractRegistry() });
      const ref = a.put({ x: 1, y: 2 }, { type: 'Point' });
      expect(b.get(ref)).toEqual({ x: 1, y: 2 });
      expect(b.info(ref).type).toBe('Point');
    });
  });
}
