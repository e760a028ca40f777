import { describe, expect } from 'vitest';
import type { CacheIndex } from '../context/cache-index.js';
import { newRef } from '../context/ref.js';
import type { MaybePromise } from '../maybe-promise.js';
import { BAD_CACHE_KEYS, BAD_REFS, type ContractOptions, codeOf, contractTests } from './contract-kit.js';

/**
 * Registers the tests every {@link CacheIndex} passes: entries replaced by the next `set`, keys
 * sorted, deletes, and `CACHE_KEY_INVALID` / `REF_INVALID` before anything is touched. `make`
 * answers a fresh, empty index per test.
 * @example describeCacheIndexContract('RedisCacheIndex', () => new RedisCacheIndex(redis, prefix))
 */
export function describeCacheIndexContract(
  name: string,
  make: () => MaybePromise<CacheIndex>,
  options: ContractOptions<CacheIndex> = {},
): void {
  describe(`${name}: cache index contract`, () => {
    const { test, done } = contractTests(make, options);

    test('cache: keeps an entry per key, replaced by the next set', async (cache) => {
      const key = 'f'.repeat(64);
      expect(await cache.get(key)).toBeUndefined();
      const [first, second] = [newRef(), newRef()];
      await cache.set(key, first);
      expect(await cache.get(key)).toBe(first);
      await cache.set(key, second);
      expect(await cache.get(key)).toBe(second);
      expect(await cache.get('0'.repeat(64))).toBeUndefined();
    });

    test('cache: lists keys sorted and deletes one', async (cache) => {
      const ref = newRef();
      const [a, b] = ['a'.repeat(64), 'b'.repeat(64)] as const;
      expect(await cache.keys()).toEqual([]);
      await cache.set(b, ref);
      await cache.set(a, ref);
      expect(await cache.keys()).toEqual([a, b]);
      expect(await cache.delete(a)).toBe(true);
      expect(await cache.delete(a)).toBe(false);
      expect(await cache.keys()).toEqual([b]);
      expect(await cache.get(a)).toBeUndefined();
    });

    test('cache: rejects bad keys with CACHE_KEY_INVALID and bad refs with REF_INVALID', async (cache) => {
      const ref = newRef();
      for (const bad of BAD_CACHE_KEYS) {
        const key = bad as string;
        for (const call of [() => cache.get(key), () => cache.set(key, ref), () => cache.delete(key)])
          expect(await codeOf(call), `${String(call)} with ${JSON.stringify(bad)}`).toBe('CACHE_KEY_INVALID');
      }
      const key = 'a'.repeat(16);
      for (const bad of BAD_REFS) expect(await codeOf(() => cache.set(key, bad as string))).toBe('REF_INVALID');
      expect(await cache.keys()).toEqual([]);
    });

    done();
  });
}
